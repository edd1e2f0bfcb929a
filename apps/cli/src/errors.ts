/**
 * An error the user can act on, with the exit status it maps to. Commands throw it; `main`
 * prints its one-line message (the stack only with --verbose) and exits with `exitCode`.
 */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
