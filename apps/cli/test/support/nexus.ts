/**
 * Runs the real `nexus` binary (bin/nexus.js over the built dist/) as a subprocess, the way a
 * user runs it: real argv, real exit status, stdout and stderr as the process wrote them.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../../', import.meta.url));
export const bin = fileURLToPath(new URL('../../bin/nexus.js', import.meta.url));
export const guest = (name: string) => join(root, 'guests', 'bin', `${name}.elf`);
export const exampleConfig = join(root, 'examples', 'custom-plugin', 'nexus.config.mjs');

export interface Result {
  /** The exit status (null only if killed by a signal). */
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** stdout as text. */
  out: string;
}

/** Runs `nexus ...args` in `cwd` (default: a directory with no nexus.config.*). */
export function nexus(
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: opts.cwd ?? tmpdir(),
        env: opts.env ?? process.env,
        encoding: 'buffer',
        maxBuffer: 64 << 20,
        timeout: opts.timeoutMs ?? 120_000,
      },
      (error, stdout, stderr) => {
        const code =
          error === null ? 0 : typeof error.code === 'number' ? error.code : (error.signal ?? null);
        resolve({
          code: typeof code === 'number' ? code : null,
          stdout,
          stderr: stderr.toString(),
          out: stdout.toString(),
        });
      },
    );
  });
}

/** Runs many invocations at most `limit` at a time (the machine has few cores). */
export async function pool<T, R>(items: readonly T[], limit: number, f: (x: T) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeIn(dir: string, name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

export const u32le = (...xs: number[]) => new Uint8Array(Uint32Array.from(xs).buffer);

/** Whether a command exists on PATH. */
export function hasCommand(cmd: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** One line, no stack trace: what every user-facing error must look like. */
export function expectOneLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n');
  if (lines.length !== 1 || /\n\s+at /.test(stderr)) {
    throw new Error(`expected a one-line error message, got:\n${stderr}`);
  }
}
