/**
 * Shared helpers of the Rust guest tests: the committed ELFs, qemu-riscv32 with the guest ABI's
 * conventions, the real `nexus` binary, and the Rust toolchain probe.
 */
import { execFile, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** guests/rust (this package). */
export const pkg = fileURLToPath(new URL('..', import.meta.url));
export const root = join(pkg, '..', '..');
export const buildScript = join(pkg, 'build.sh');
export const nexusBin = join(root, 'apps', 'cli', 'bin', 'nexus.js');

export const GUESTS = [
  'fib',
  'sha256',
  'collections',
  'panic',
  'oom',
  'recursion',
  'selftest',
  'hash',
] as const;
export type GuestName = (typeof GUESTS)[number];

export const elfPath = (name: string) => join(pkg, 'bin', `${name}.elf`);
export const elf = (name: string) => new Uint8Array(readFileSync(elfPath(name)));

export const u32le = (...xs: number[]) => new Uint8Array(Uint32Array.from(xs).buffer);
export const text = (b: Uint8Array) => new TextDecoder().decode(b);
export const bytes = (s: string) => new TextEncoder().encode(s);

/** The guest's exit codes for the ways it can end badly (runtime/src/lib.rs). */
export const EXIT_PANIC = 101;
export const EXIT_OUT_OF_MEMORY = 102;
export const EXIT_STACK_OVERFLOW = 103;

export interface Inputs {
  readonly publicInput?: Uint8Array;
  readonly privateInput?: Uint8Array;
}

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

export const hasQemu = has('qemu-riscv32', ['--version']);

/** What the build script needs: Debian's rustc with the library sources, and the C toolchain. */
export const RUSTC = process.env.RUSTC ?? '/usr/bin/rustc';
export const hasRustToolchain = (() => {
  if (!has(RUSTC, ['--version']) || !has('riscv64-unknown-elf-gcc', ['--version'])) return false;
  const sysroot = spawnSync(RUSTC, ['--print', 'sysroot'], { encoding: 'utf8' }).stdout.trim();
  return existsSync(join(sysroot, 'lib/rustlib/src/rust/library/core/src/lib.rs'));
})();

/** The visible notice for tests skipped because a tool is missing. */
export function warnMissing(what: string, install: string): void {
  console.warn(`[skip] ${what} not found: install it (${install}) to run these tests`);
}

export interface QemuResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
}

/** Runs an ELF under qemu-riscv32: private input on stdin, public input on fd 3. */
export function runQemu(path: string, inputs: Inputs = {}): QemuResult {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-rust-qemu-'));
  try {
    const pub = join(dir, 'public.bin');
    writeFileSync(pub, inputs.publicInput ?? new Uint8Array(0));
    const fd3 = openSync(pub, 'r');
    try {
      const r = spawnSync('qemu-riscv32', [path], {
        input: inputs.privateInput ?? new Uint8Array(0),
        stdio: ['pipe', 'pipe', 'pipe', fd3],
        timeout: 60_000,
        maxBuffer: 64 << 20,
      });
      if (r.error !== undefined) throw r.error;
      return {
        exitCode: r.status,
        signal: r.signal,
        stdout: new Uint8Array(r.stdout),
        stderr: new Uint8Array(r.stderr),
      };
    } finally {
      closeSync(fd3);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CommandResult {
  /** Exit status; null if killed by a signal. */
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs a command asynchronously (so several can share the two cores). */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      {
        cwd: opts.cwd ?? pkg,
        env: opts.env ?? process.env,
        encoding: 'buffer',
        maxBuffer: 64 << 20,
        timeout: opts.timeoutMs ?? 240_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr: stderr.toString() });
      },
    );
  });
}

/** `nexus run <elf> ...` with the real CLI binary; the public input is written to a file. */
export async function nexusRun(
  name: string,
  inputs: Inputs = {},
  extra: readonly string[] = [],
): Promise<CommandResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-rust-cli-'));
  try {
    const args = [nexusBin, 'run', elfPath(name), ...extra];
    if (inputs.publicInput) {
      writeFileSync(join(dir, 'public.bin'), inputs.publicInput);
      args.push('--public-input', join(dir, 'public.bin'));
    }
    if (inputs.privateInput) {
      writeFileSync(join(dir, 'private.bin'), inputs.privateInput);
      args.push('--private-input', join(dir, 'private.bin'));
    }
    return await run(process.execPath, args, { cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
