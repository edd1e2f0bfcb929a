import { readFileSync } from 'node:fs';

/** Where a command reads files and writes its output (tests pass an in-memory one). */
export interface CliIo {
  /** Writes bytes or text to standard output. */
  stdout(data: Uint8Array | string): void;
  /** Writes bytes or text to standard error. */
  stderr(data: Uint8Array | string): void;
  /** Reads a whole file (throws with a code like ENOENT when it cannot). */
  readFile(path: string): Uint8Array;
  /** Milliseconds, for timings. */
  now(): number;
}

/** The real process: stdout, stderr, the file system. */
export function nodeIo(): CliIo {
  return {
    stdout: (d) => process.stdout.write(d),
    stderr: (d) => process.stderr.write(d),
    readFile: (p) => new Uint8Array(readFileSync(p)),
    now: () => performance.now(),
  };
}
