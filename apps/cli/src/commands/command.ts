import type { CliIo } from '../io.js';

/** One subcommand of `nexus` (one file per command under commands/). */
export interface Command {
  readonly name: string;
  /** One line for `nexus --help`. */
  readonly summary: string;
  /** Full usage text for `nexus <command> --help` and usage errors. */
  readonly usage: string;
  /** Runs the command; returns the process exit code. */
  execute(argv: string[], io: CliIo): number | Promise<number>;
}
