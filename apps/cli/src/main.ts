/**
 * The `nexus` command line: `nexus <command> [options]`. Each command is one file under
 * commands/.
 */

import { ElfError, VmError } from '@nexus/vm';
import pkg from '../package.json' with { type: 'json' };
import { UsageError } from './args.js';
import type { Command } from './commands/command.js';
import { debug } from './commands/debug.js';
import { inspect } from './commands/inspect.js';
import { newProject } from './commands/new.js';
import { profile } from './commands/profile.js';
import { prove } from './commands/prove.js';
import { run } from './commands/run.js';
import { trace } from './commands/trace.js';
import { verify } from './commands/verify.js';
import { worker } from './commands/worker.js';
import { CliError } from './errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { terminalSafe } from './format.js';
import type { CliIo } from './io.js';

export { CliError } from './errors.js';
export { EXIT } from './exit-codes.js';
export { type CliIo, nodeIo } from './io.js';

/** Every command, by name. */
export const COMMANDS: readonly Command[] = [
  run,
  trace,
  debug,
  profile,
  prove,
  verify,
  inspect,
  newProject,
  worker,
];

const VERSION: string = pkg.version;

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `usage: nexus <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`nexus <command> --help\` for a command's options. --verbose (any command) prints the
stack trace of an error.

exit status: 0 success (run, trace: the guest's exit code); 1 verify: the proof is invalid
(the failed check is named); 2 usage error; 3 a file not found; 4 a file unreadable; 5 bad
config (--config, nexus.config.mjs: does not load, unknown plugin, plugins that do not
assemble or cannot prove the guest); 6 cannot write an output; 7 the --queue's Redis
not reachable, or no worker's result accepted; 70 internal error (a bug);
126 not a runnable ELF (inspect: not an ELF or proof file); 128+N the guest faulted (132
illegal instruction, 135 misaligned, 139 bad memory access, 152 cycle limit, 159 bad
syscall).`;
}

/**
 * Runs the command line `argv` (without node and the script) and returns the exit code.
 *
 * @example
 * process.exitCode = await main(['run', 'guests/bin/fib.elf'], nodeIo());
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  // --verbose is global: taken out wherever it is, so every command accepts it.
  const verbose = argv.includes('--verbose');
  const [name, ...rest] = argv.filter((a) => a !== '--verbose');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io[name === undefined ? 'stderr' : 'stdout'](`${usage()}\n`);
    return name === undefined ? EXIT.USAGE : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`nexus ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(`nexus: unknown command '${name}'\n\n${usage()}\n`);
    return EXIT.USAGE;
  }
  // Error messages can quote what a file said (an ELF, a proof, a config): shown, never obeyed.
  const stack = (e: unknown) =>
    verbose && e instanceof Error && e.stack !== undefined ? `${terminalSafe(e.stack)}\n` : '';
  const said = (e: Error) => terminalSafe(e.message);
  try {
    return await command.execute(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`nexus ${name}: ${said(e)}\n${stack(e)}\n${command.usage}\n`);
      return EXIT.USAGE;
    }
    if (e instanceof CliError) {
      io.stderr(`nexus ${name}: ${said(e)}\n${stack(e)}`);
      return e.exitCode;
    }
    if (e instanceof ElfError) {
      io.stderr(`nexus ${name}: cannot run this ELF: ${said(e)}\n${stack(e)}`);
      return EXIT.BAD_ELF;
    }
    if (e instanceof VmError) {
      io.stderr(`nexus ${name}: ${said(e)}\n${stack(e)}`);
      return exitCodeFor(e);
    }
    const message = terminalSafe(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    io.stderr(
      `nexus ${name}: internal error (a bug in nexus: please report it${verbose ? '' : ', with the output of --verbose'}): ${message.split('\n')[0]}\n${stack(e)}`,
    );
    return EXIT.INTERNAL;
  }
}
