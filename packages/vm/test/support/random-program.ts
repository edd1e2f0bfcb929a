/**
 * Random RV32IM programs for differential testing: every instruction of the ISA with random
 * registers and immediates, loads and stores into a data buffer, forward branches and jumps,
 * jalr through auipc, and (optionally) loops. The program ends by storing x1..x31 into the
 * buffer, hashing them in guest code, writing dump + hash with the write syscall (fd 1) and
 * exiting with the hash's low byte, so any difference in any register shows up in the output.
 *
 * Register conventions: x30 holds the data buffer's address and x31/x29 are loop counters; random
 * instructions never write them (they may read them). Everything else, x0 included, is fair game.
 */
import {
  Asm,
  BRANCH_OP_NAMES,
  I_OP_NAMES,
  type IOp,
  type LoadOp,
  R_OP_NAMES,
  type ROp,
  type StoreOp,
} from './asm.js';
import { DATA_BASE, programElf } from './elf-writer.js';

/** A small seeded PRNG (xorshift32): reproducible programs from a seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n: number): number {
    return this.u32() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  /** Biased toward edge values: 0, +-1, INT_MIN, INT_MAX, small numbers, or uniform. */
  value(): number {
    const edges = [
      0, 1, -1, 0x80000000, 0x7fffffff, 0x80000001, 2, -2, 31, 32, 33, 0xffff, 0x10000,
    ];
    const k = this.int(4);
    if (k === 0) return this.pick(edges) | 0;
    if (k === 1) return this.int(64) - 32;
    return this.u32() | 0;
  }
}

const BUF = 1536; // bytes of the data buffer random loads/stores use (dump follows; imm < 2048)
const DUMP = BUF; // register dump follows the buffer

const SHIFT_I = ['slli', 'srli', 'srai'] as const;
const LOADS: readonly LoadOp[] = ['lb', 'lh', 'lw', 'lbu', 'lhu'];
const STORES: readonly StoreOp[] = ['sb', 'sh', 'sw'];

export interface RandomProgramOptions {
  /** Straight-line instructions per body. */
  readonly length: number;
  /** Wrap the body in a loop (and sometimes a nested one). */
  readonly loops: boolean;
}

export interface RandomProgram {
  readonly elf: Uint8Array;
  readonly seed: number;
}

function writable(rng: Rng, reserved: ReadonlySet<number>): number {
  for (;;) {
    const r = rng.int(32);
    if (!reserved.has(r)) return r;
  }
}

/** Emits `n` random instructions (all control flow forward and inside this body). */
function body(a: Asm, rng: Rng, n: number, reserved: ReadonlySet<number>, tag: string): void {
  let pendingLabel: { name: string; at: number } | undefined;
  for (let k = 0; k < n; k++) {
    if (pendingLabel !== undefined && pendingLabel.at <= k) {
      a.label(pendingLabel.name);
      pendingLabel = undefined;
    }
    const rd = writable(rng, reserved);
    const rs1 = rng.int(32);
    const rs2 = rng.int(32);
    const kind = rng.int(100);
    if (kind < 30) a.r(rng.pick(R_OP_NAMES) as ROp, rd, rs1, rs2);
    else if (kind < 45) a.i(rng.pick(I_OP_NAMES) as IOp, rd, rs1, rng.int(4096) - 2048);
    else if (kind < 52) a.shift(rng.pick(SHIFT_I), rd, rs1, rng.int(32));
    else if (kind < 55) a.lui(rd, rng.int(1 << 20));
    else if (kind < 57) a.auipc(rd, rng.int(1 << 20));
    else if (kind < 67) {
      const op = rng.pick(LOADS);
      const size = op === 'lw' ? 4 : op === 'lh' || op === 'lhu' ? 2 : 1;
      a.load(op, rd, 30, rng.int(BUF / size) * size);
    } else if (kind < 77) {
      const op = rng.pick(STORES);
      const size = op === 'sw' ? 4 : op === 'sh' ? 2 : 1;
      a.store(op, rs2, 30, rng.int(BUF / size) * size);
    } else if (kind < 90 && pendingLabel === undefined && k + 2 < n) {
      // Forward branch over 1..6 instructions of this body.
      const name = `${tag}_f${k}`;
      pendingLabel = { name, at: Math.min(n, k + 1 + 1 + rng.int(6)) };
      a.branch(rng.pick(BRANCH_OP_NAMES), rs1, rs2, name);
    } else if (kind < 94 && pendingLabel === undefined && k + 2 < n) {
      const name = `${tag}_j${k}`;
      pendingLabel = { name, at: Math.min(n, k + 1 + 1 + rng.int(4)) };
      a.jal(rd, name);
    } else if (kind < 97 && k + 3 < n) {
      // jalr via auipc: t = pc; jalr rd, t + 8 + 4*skip (skips `skip` filler instructions).
      const t = writable(rng, new Set([...reserved, 0])); // x0 would drop the auipc result
      const skip = rng.int(3);
      a.auipc(t, 0);
      // bit 0 of the target is cleared by jalr: an odd offset must land on the same place.
      a.jalr(rd, t, 8 + 4 * skip + rng.int(2));
      for (let s = 0; s < skip; s++)
        a.i('addi', writable(rng, reserved), rng.int(32), rng.int(100));
      k += 1 + skip;
    } else if (kind < 98) a.fence();
    else a.i('addi', rd, rs1, rng.int(4096) - 2048);
  }
  if (pendingLabel !== undefined) a.label(pendingLabel.name);
}

export function randomProgram(seed: number, options: RandomProgramOptions): RandomProgram {
  const rng = new Rng(seed);
  const a = new Asm();
  // Random initial registers (all of them: qemu's initial register file is not ours).
  for (let r = 1; r < 30; r++) a.li(r, rng.value());
  a.li(30, DATA_BASE);
  a.li(31, 0);
  if (!options.loops) {
    body(a, rng, options.length, new Set([0x1e, 0x1f]), 'b');
  } else {
    const reserved = new Set([29, 30, 31]);
    a.li(31, 1 + rng.int(12));
    a.label('outer');
    body(a, rng, Math.ceil(options.length / 2), reserved, 'o1');
    if (rng.int(2) === 0) {
      a.li(29, 1 + rng.int(20));
      a.label('inner');
      body(a, rng, Math.ceil(options.length / 3), reserved, 'in');
      a.i('addi', 29, 29, -1);
      a.branch('bne', 29, 0, 'inner');
    }
    body(a, rng, Math.ceil(options.length / 4), reserved, 'o2');
    a.i('addi', 31, 31, -1);
    a.branch('bne', 31, 0, 'outer');
  }
  // Dump x1..x31 at buf + DUMP (x30 is the base, so store it first, then the rest).
  for (let r = 1; r < 32; r++) a.store('sw', r, 30, DUMP + 4 * (r - 1));
  // h = FNV-1a-like fold of the 31 words, in guest code.
  a.li(5, 0x811c9dc5);
  a.li(6, 0x01000193);
  a.i('addi', 7, 30, DUMP);
  a.li(28, 31);
  a.label('hash');
  a.load('lw', 29, 7, 0);
  a.r('xor', 5, 5, 29);
  a.r('mul', 5, 5, 6);
  a.i('addi', 7, 7, 4);
  a.i('addi', 28, 28, -1);
  a.branch('bne', 28, 0, 'hash');
  a.store('sw', 5, 30, DUMP + 4 * 31);
  // write(1, buf + DUMP, 128); exit(h & 0xff)
  a.li(10, 1);
  a.i('addi', 11, 30, DUMP);
  a.li(12, 128);
  a.li(17, 64);
  a.ecall();
  a.i('andi', 10, 5, 0xff);
  a.li(17, 93);
  a.ecall();
  const data = new Uint8Array(BUF);
  for (let i = 0; i < BUF; i++) data[i] = rng.int(256);
  return { elf: programElf(a.bytes(), data, 4096), seed };
}
