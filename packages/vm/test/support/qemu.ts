/**
 * Runs ELFs under qemu-riscv32 (Linux user mode) with the guest ABI's conventions: private input
 * on stdin, public input on fd 3, public output on stdout, debug log on stderr.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

export const QEMU = 'qemu-riscv32';
export const hasQemu = has(QEMU, ['--version']);
export const hasGcc = has('riscv64-unknown-elf-gcc', ['--version']);
export const hasObjdump = has('riscv64-unknown-elf-objdump', ['--version']);

/** Prints the visible skip notice the test guidelines ask for. */
export function warnMissing(what: string, pkg: string): void {
  console.warn(
    `[skip] ${what} not found: install it (apt-get install -y ${pkg}) to run these tests`,
  );
}

export interface QemuResult {
  readonly exitCode: number;
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  /** Signal that killed qemu, if any. */
  readonly signal: string | null;
}

const dir = mkdtempSync(join(tmpdir(), 'nexus-vm-qemu-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

export function runQemu(
  elf: Uint8Array,
  inputs: { publicInput?: Uint8Array; privateInput?: Uint8Array } = {},
  timeoutMs = 20_000,
): QemuResult {
  const id = counter++;
  const elfPath = join(dir, `p${id}.elf`);
  const pubPath = join(dir, `p${id}.pub`);
  writeFileSync(elfPath, elf, { mode: 0o755 });
  writeFileSync(pubPath, inputs.publicInput ?? new Uint8Array(0));
  const fd3 = openSync(pubPath, 'r');
  try {
    const r = spawnSync(QEMU, [elfPath], {
      input: inputs.privateInput ?? new Uint8Array(0),
      stdio: ['pipe', 'pipe', 'pipe', fd3],
      timeout: timeoutMs,
      maxBuffer: 64 << 20,
    });
    if (r.error !== undefined) throw r.error;
    return {
      exitCode: r.status ?? -1,
      stdout: new Uint8Array(r.stdout),
      stderr: new Uint8Array(r.stderr),
      signal: r.signal,
    };
  } finally {
    closeSync(fd3);
    rmSync(elfPath, { force: true });
    rmSync(pubPath, { force: true });
  }
}
