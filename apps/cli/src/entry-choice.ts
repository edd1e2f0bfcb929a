/**
 * Which build of the CLI bin/nexus.js runs, decided before loading either (no imports but
 * config-names.ts): the bundle (dist/nexus.cjs with its code cache, bundle-loader.ts) for the
 * commands whose fixed cost it cuts, or the packages' own modules (dist/main.js).
 */
import { usesConfigFile } from './config-names.js';

/**
 * The commands run from the bundle. Not `prove` and `worker`: they start worker threads whose
 * entry files the SDK finds next to its own modules (segment-pool.ts), and a proof's seconds
 * dwarf the bundle's ~150 ms. Not `new` and `debug`: they serve or copy files of the package.
 */
export const BUNDLED_COMMANDS: readonly string[] = ['verify', 'inspect', 'run', 'trace'];

/**
 * True when bin/nexus.js should run the bundle: a bundled command, and no config file (its
 * plugins import @nexus/kernel themselves, and the kernel accepts only objects of its own copy,
 * which the bundle's is not).
 *
 * @example
 * usesBundle(['verify', 'fib.proof', '--elf', 'fib.elf'], process.cwd()); // true
 */
export function usesBundle(argv: readonly string[], cwd: string): boolean {
  const command = argv.find((a) => a !== '--verbose');
  return command !== undefined && BUNDLED_COMMANDS.includes(command) && !usesConfigFile(argv, cwd);
}
