/**
 * Which build of the CLI bin/nexus.js runs, decided before loading either (no imports but
 * config-names.ts): the bundle (dist/nexus.cjs with its code cache, bundle-loader.ts) for the
 * commands whose fixed cost it cuts, or the packages' own modules (dist/main.js).
 */
import { usesConfigFile } from './config-names.js';

/**
 * The commands run from the bundle. `prove` too: its worker threads (segmented runs) come from
 * the SDK's own files (`@nexus/sdk/node`, left out of the bundle), and the bundle cut its
 * fixed cost (bench/README.md, "Small proofs"); but `prove --queue` runs on the modules, as
 * BullMQ reads its Redis scripts from files next to its own. Not `worker` (BullMQ too). Not
 * `new` and `debug`: they serve or copy files of the package.
 */
export const BUNDLED_COMMANDS: readonly string[] = ['verify', 'inspect', 'run', 'trace', 'prove'];

/**
 * True when bin/nexus.js should run the bundle: a bundled command, no config file (its
 * plugins import @nexus/kernel themselves, and the kernel accepts only objects of its own copy,
 * which the bundle's is not), and no `--queue`. `prove` also needs a Node.js that requires ES
 * modules (20.19+, 22.12+: `process.features.require_module`): the bundle loads the SDK's
 * thread pool with require, since import() fails in code run from V8's code cache.
 *
 * @example
 * usesBundle(['verify', 'fib.proof', '--elf', 'fib.elf'], process.cwd()); // true
 * usesBundle(['prove', 'fib.elf', '--queue', 'redis://127.0.0.1:6379'], process.cwd()); // false
 */
export function usesBundle(
  argv: readonly string[],
  cwd: string,
  requiresEsm: boolean = (process.features as { require_module?: boolean }).require_module === true,
): boolean {
  const command = argv.find((a) => a !== '--verbose');
  return (
    command !== undefined &&
    BUNDLED_COMMANDS.includes(command) &&
    (command !== 'prove' || requiresEsm) &&
    !argv.some((a) => a === '--queue' || a.startsWith('--queue=')) &&
    !usesConfigFile(argv, cwd)
  );
}
