import { readFileSync, writeFileSync } from 'node:fs';
import { terminalSafe } from './format.js';

/** Where a command reads files and writes its output (tests pass an in-memory one). */
export interface CliIo {
  /** Writes bytes or text to standard output. */
  stdout(data: Uint8Array | string): void;
  /** Writes bytes or text to standard error. */
  stderr(data: Uint8Array | string): void;
  /** Reads a whole file (throws with a code like ENOENT when it cannot). */
  readFile(path: string): Uint8Array;
  /** Writes a whole file (throws with a code like EACCES when it cannot). */
  writeFile(path: string, data: Uint8Array): void;
  /** Milliseconds, for timings. */
  now(): number;
  /** Whether stderr is a terminal (progress bars are drawn only there). */
  readonly stderrIsTTY?: boolean;
  /** The terminal's width in columns, when stderr is one. */
  readonly columns?: number;
  /** The directory relative paths and the default config are looked up in. */
  cwd(): string;
}

/** The real process: stdout, stderr, the file system. */
export function nodeIo(): CliIo {
  // `nexus trace ... | head`: when the reader goes away, stop quietly as a native tool killed by
  // SIGPIPE would (status 128 + 13), instead of dying on an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(128 + 13);
      throw e;
    });
  }
  return {
    stdout: (d) => process.stdout.write(d),
    stderr: (d) => process.stderr.write(d),
    readFile: (p) => new Uint8Array(readFileSync(p)),
    writeFile: (p, d) => writeFileSync(p, d),
    now: () => performance.now(),
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
    cwd: () => process.cwd(),
  };
}

/**
 * The same io, with every text written to stdout and stderr passed through terminalSafe (bytes
 * pass unchanged). For the commands that print what a proof file says (verify, inspect): none
 * of their own output needs a control character, and a proof's text then cannot carry one.
 */
export function terminalSafeIo(io: CliIo): CliIo {
  const safe = (write: (d: Uint8Array | string) => void) => (d: Uint8Array | string) =>
    write(typeof d === 'string' ? terminalSafe(d) : d);
  return {
    stdout: safe((d) => io.stdout(d)),
    stderr: safe((d) => io.stderr(d)),
    readFile: (p) => io.readFile(p),
    writeFile: (p, d) => io.writeFile(p, d),
    now: () => io.now(),
    cwd: () => io.cwd(),
    ...(io.stderrIsTTY === undefined ? {} : { stderrIsTTY: io.stderrIsTTY }),
    ...(io.columns === undefined ? {} : { columns: io.columns }),
  };
}
