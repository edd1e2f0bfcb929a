/**
 * Runs the CLI's `main` in this process with captured output (no subprocess, no build of the
 * bin needed): for tests of what a command prints and returns.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type CliIo, main } from '../../src/main.js';

export interface Captured {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** `nexus ...argv` run by `main` with `cwd` as the working directory. */
export async function nexusInProcess(cwd: string, argv: readonly string[]): Promise<Captured> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const io: CliIo = {
    stdout: (d) => out.push(Buffer.from(d)),
    stderr: (d) => err.push(Buffer.from(d)),
    readFile: (p) => new Uint8Array(readFileSync(p)),
    writeFile: (p, d) => writeFileSync(p, d),
    now: () => performance.now(),
    cwd: () => cwd,
  };
  const code = await main([...argv], io);
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() };
}
