/**
 * The `nexus` command line: `nexus <command> [options]`. Each command is one file under
 * commands/ (run, trace; prove, verify and inspect will join them).
 */
import { ElfError, VmError } from '@nexus/vm';
import { UsageError } from './args.js';
import type { Command } from './commands/command.js';
import { run } from './commands/run.js';
import { trace } from './commands/trace.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import type { CliIo } from './io.js';

export { EXIT } from './exit-codes.js';
export { type CliIo, nodeIo } from './io.js';

/** Every command, by name. */
export const COMMANDS: readonly Command[] = [run, trace];

const VERSION = '0.1.0';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `usage: nexus <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`nexus <command> --help\` for a command's options.`;
}

/**
 * Runs the command line `argv` (without node and the script) and returns the exit code.
 *
 * @example
 * process.exitCode = await main(['run', 'guests/bin/fib.elf'], nodeIo());
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
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
  try {
    return await command.execute(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`nexus ${name}: ${e.message}\n\n${command.usage}\n`);
      return EXIT.USAGE;
    }
    if (e instanceof ElfError) {
      io.stderr(`nexus ${name}: cannot run this ELF: ${e.message}\n`);
      return EXIT.BAD_ELF;
    }
    if (e instanceof VmError) {
      io.stderr(`nexus ${name}: ${e.message}\n`);
      return exitCodeFor(e);
    }
    io.stderr(
      `nexus ${name}: internal error (please report): ${(e as Error)?.stack ?? String(e)}\n`,
    );
    return EXIT.INTERNAL;
  }
}
