/**
 * Per-instruction semantics against a reference written here from the RISC-V unprivileged spec
 * (BigInt for the 64-bit products and the division rules), on edge values: overflow, sign
 * extension, shifts by 31/32/33 and negative amounts, x0 as source and destination, branches
 * both ways, every load/store width at every byte offset.
 *
 * Every case runs inside a loop executed 20 times, storing its results on each iteration: the
 * first iterations run interpreted, the later ones as compiled blocks (both passes), and all
 * must give the reference value. Pass 2 is checked against pass 1 and its records must balance.
 */
import { describe, expect, it } from 'vitest';
import {
  Asm,
  type BranchOp,
  type IOp,
  type LoadOp,
  Reg,
  type ROp,
  type StoreOp,
} from './support/asm.js';
import { DATA_BASE, programElf } from './support/elf-writer.js';
import { runAllPaths } from './support/run.js';

const ITER = 20;
const s32 = (v: bigint) => Number(BigInt.asIntN(32, v));
const u = (v: number) => BigInt(v >>> 0);
const s = (v: number) => BigInt(v | 0);

/** Reference semantics of the R-type and I-type ALU operations (result as int32). */
function ref(op: string, a: number, b: number): number {
  switch (op) {
    case 'add':
    case 'addi':
      return (a + b) | 0;
    case 'sub':
      return (a - b) | 0;
    case 'sll':
    case 'slli':
      return s32(u(a) << BigInt(b & 31));
    case 'srl':
    case 'srli':
      return s32(u(a) >> BigInt(b & 31));
    case 'sra':
    case 'srai':
      return s32(s(a) >> BigInt(b & 31));
    case 'slt':
    case 'slti':
      return s(a) < s(b) ? 1 : 0;
    case 'sltu':
    case 'sltiu':
      return u(a) < u(b) ? 1 : 0;
    case 'xor':
    case 'xori':
      return s32(u(a) ^ u(b));
    case 'or':
    case 'ori':
      return s32(u(a) | u(b));
    case 'and':
    case 'andi':
      return s32(u(a) & u(b));
    case 'mul':
      return s32(s(a) * s(b));
    case 'mulh':
      return s32((s(a) * s(b)) >> 32n);
    case 'mulhsu':
      return s32((s(a) * u(b)) >> 32n);
    case 'mulhu':
      return s32((u(a) * u(b)) >> 32n);
    case 'div':
      if (b === 0) return -1;
      if (a === -0x80000000 && b === -1) return a;
      return s32(s(a) / s(b)); // BigInt division truncates toward zero, like RISC-V
    case 'divu':
      if (b === 0) return -1;
      return s32(u(a) / u(b));
    case 'rem':
      if (b === 0) return a;
      if (a === -0x80000000 && b === -1) return 0;
      return s32(s(a) % s(b)); // BigInt remainder takes the dividend's sign, like RISC-V
    case 'remu':
      if (b === 0) return a;
      return s32(u(a) % u(b));
  }
  throw new Error(`no reference for ${op}`);
}

const EDGE = [
  0, 1, -1, 2, -2, 31, 32, 33, -0x80000000, 0x7fffffff, -0x7fffffff, 0x12345678, -0x21524111,
  0xffff, 0x10000, 7, -7,
];
const IMMS = [0, 1, -1, 2047, -2048, 0x555, -0x556, 31];

/**
 * Builds the looping test program. `emit` adds cases; each case emits code leaving its result in
 * t2 (x7) and records the expected value. Results are stored through x30, which walks the
 * output buffer; x28 holds the start of the current iteration's row.
 */
function harness(emit: (c: CaseBuilder) => void): {
  elf: Uint8Array;
  expected: number[];
  names: string[];
} {
  const a = new Asm();
  const expected: number[] = [];
  const names: string[] = [];
  let n = 0;
  const cb: CaseBuilder = {
    asm: a,
    add(name, value, code) {
      code(a);
      a.store('sw', Reg.t2, 30, 0);
      a.i('addi', 30, 30, 4);
      expected.push(value | 0);
      names.push(name);
      n++;
    },
  };
  // Data for the load tests: bytes 0x00..0xff, then the output buffer.
  a.li(29, DATA_BASE); // x29 = load/store test area (never written by load cases)
  a.li(28, DATA_BASE + 1024); // x28 = output row of this iteration
  a.li(31, ITER);
  a.label('loop');
  a.r('add', 30, 28, 0);
  emit(cb);
  const stride = n * 4;
  a.li(Reg.t0, stride);
  a.r('add', 28, 28, Reg.t0);
  a.i('addi', 31, 31, -1);
  // The loop body is far longer than a branch reaches: branch over a JAL back.
  a.branch('beq', 31, 0, 'done');
  a.jal(0, 'loop');
  a.label('done');
  // write(1, DATA_BASE + 1024, ITER * stride); exit(0)
  a.li(Reg.a0, 1)
    .li(Reg.a1, DATA_BASE + 1024)
    .li(Reg.a2, ITER * stride)
    .li(Reg.a7, 64)
    .ecall();
  a.exit(0);
  const data = new Uint8Array(1024);
  for (let i = 0; i < 256; i++) data[i] = i;
  return { elf: programElf(a.bytes(), data, 1024 + ITER * stride + 64), expected, names };
}

interface CaseBuilder {
  readonly asm: Asm;
  add(name: string, expected: number, code: (a: Asm) => void): void;
}

function check(emit: (c: CaseBuilder) => void): void {
  const { elf, expected, names } = harness(emit);
  const { run } = runAllPaths(elf, {});
  expect(run.exitCode).toBe(0);
  const out = new DataView(run.output.buffer, run.output.byteOffset, run.output.byteLength);
  expect(run.output.length).toBe(ITER * expected.length * 4);
  for (let it = 0; it < ITER; it++) {
    for (let k = 0; k < expected.length; k++) {
      const got = out.getInt32(4 * (it * expected.length + k), true);
      if (got !== expected[k]) {
        expect(`iteration ${it}: ${names[k]} = ${got}`).toBe(
          `iteration ${it}: ${names[k]} = ${expected[k]}`,
        );
      }
    }
  }
}

const R_GROUPS: Record<string, ROp[]> = {
  'add, sub': ['add', 'sub'],
  'slt, sltu': ['slt', 'sltu'],
  'and, or, xor': ['and', 'or', 'xor'],
  'sll, srl, sra (shift amounts masked to 5 bits)': ['sll', 'srl', 'sra'],
  'mul, mulh, mulhsu, mulhu': ['mul', 'mulh', 'mulhsu', 'mulhu'],
  'div, divu, rem, remu (division by zero, INT_MIN / -1)': ['div', 'divu', 'rem', 'remu'],
};

describe('R-type instructions on edge values', () => {
  for (const [title, ops] of Object.entries(R_GROUPS)) {
    it(title, () => {
      check((c) => {
        for (const op of ops) {
          for (const x of EDGE) {
            for (const y of EDGE) {
              c.add(`${op} ${x}, ${y}`, ref(op, x, y), (a) =>
                a.li(Reg.t0, x).li(Reg.t1, y).r(op, Reg.t2, Reg.t0, Reg.t1),
              );
            }
          }
          // x0 as a source reads 0; rd = rs1 = rs2 reads the old value.
          c.add(`${op} x0, 5`, ref(op, 0, 5), (a) => a.li(Reg.t1, 5).r(op, Reg.t2, 0, Reg.t1));
          c.add(`${op} 9, x0`, ref(op, 9, 0), (a) => a.li(Reg.t0, 9).r(op, Reg.t2, Reg.t0, 0));
          c.add(`${op} rd=rs1=rs2=-3`, ref(op, -3, -3), (a) =>
            a.li(Reg.t2, -3).r(op, Reg.t2, Reg.t2, Reg.t2),
          );
          // A write to x0 is dropped.
          c.add(`${op} into x0`, 0, (a) =>
            a.li(Reg.t0, 0x1234).li(Reg.t1, 3).r(op, 0, Reg.t0, Reg.t1).r('add', Reg.t2, 0, 0),
          );
        }
      });
    });
  }
});

describe('I-type instructions (sign-extended 12-bit immediates)', () => {
  const ops: IOp[] = ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'];
  for (const op of ops) {
    it(op, () => {
      check((c) => {
        for (const x of EDGE) {
          for (const imm of IMMS)
            c.add(`${op} ${x}, ${imm}`, ref(op, x, imm), (a) =>
              a.li(Reg.t0, x).i(op, Reg.t2, Reg.t0, imm),
            );
        }
        c.add(`${op} into x0`, 0, (a) =>
          a.li(Reg.t0, 77).i(op, 0, Reg.t0, 5).r('add', Reg.t2, 0, 0),
        );
      });
    });
  }
  it('slli, srli, srai by 0, 1, 15, 31', () => {
    check((c) => {
      for (const op of ['slli', 'srli', 'srai'] as const) {
        for (const x of EDGE) {
          for (const sh of [0, 1, 15, 31])
            c.add(`${op} ${x}, ${sh}`, ref(op, x, sh), (a) =>
              a.li(Reg.t0, x).shift(op, Reg.t2, Reg.t0, sh),
            );
        }
      }
    });
  });
});

describe('LUI and AUIPC', () => {
  it('place the 20-bit immediate in the upper bits (AUIPC adds the pc)', () => {
    check((c) => {
      for (const imm of [0, 1, 0x7ffff, 0x80000, 0xfffff, 0x12345]) {
        c.add(`lui ${imm}`, (imm << 12) | 0, (a) => a.lui(Reg.t2, imm));
        const at = c.asm.pc;
        c.add(`auipc ${imm}`, (at + (imm << 12)) | 0, (a) => a.auipc(Reg.t2, imm));
      }
      c.add('lui into x0', 0, (a) => a.lui(0, 5).r('add', Reg.t2, 0, 0));
    });
  });
});

describe('branches, both ways', () => {
  const ops: BranchOp[] = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];
  const taken = (op: BranchOp, x: number, y: number) =>
    op === 'beq'
      ? x === y
      : op === 'bne'
        ? x !== y
        : op === 'blt'
          ? (x | 0) < (y | 0)
          : op === 'bge'
            ? (x | 0) >= (y | 0)
            : op === 'bltu'
              ? x >>> 0 < y >>> 0
              : x >>> 0 >= y >>> 0;
  for (const op of ops) {
    it(op, () => {
      let label = 0;
      check((c) => {
        for (const x of EDGE) {
          for (const y of [0, 1, -1, -0x80000000, 0x7fffffff, x]) {
            const name = `${op}_${label++}`;
            // t2 = 1; branch over "t2 = 0" when taken.
            c.add(`${op} ${x}, ${y}`, taken(op, x, y) ? 1 : 0, (a) =>
              a
                .li(Reg.t0, x)
                .li(Reg.t1, y)
                .i('addi', Reg.t2, 0, 1)
                .branch(op, Reg.t0, Reg.t1, name)
                .i('addi', Reg.t2, 0, 0)
                .label(name),
            );
          }
        }
        // A backward branch (taken once): t2 counts the passes.
        const back = `back_${op}`;
        const exit = `exit_${op}`;
        c.add(`${op} backward`, 2, (a) => {
          a.i('addi', Reg.t2, 0, 0);
          a.label(back).i('addi', Reg.t2, Reg.t2, 1);
          a.i('addi', Reg.t0, 0, 2);
          a.branch('beq', Reg.t2, Reg.t0, exit);
          a.branch(op, 0, 0, op === 'bne' || op === 'blt' || op === 'bltu' ? exit : back);
          a.jal(0, back);
          a.label(exit);
        });
      });
    });
  }
});

describe('JAL and JALR', () => {
  it('link pc + 4, jump to pc + imm; JALR clears bit 0 and reads rs1 before writing rd', () => {
    check((c) => {
      const a = c.asm;
      let at = a.pc;
      c.add('jal link', at + 4, (b) => b.jal(Reg.t2, 'j1').i('addi', Reg.t2, 0, 0).label('j1'));
      // jalr t2, t0, 9 with t0 = address of the jalr: target = (t0 + 9) & ~1 = +8 (skips one)
      at = a.pc;
      c.add('jalr odd target', 1, (b) => {
        b.auipc(Reg.t0, 0); // t0 = at
        b.i('addi', Reg.t1, 0, 1);
        b.jalr(Reg.a3, Reg.t0, 17); // at+8 is this jalr; (at + 17) & ~1 = at + 16
        b.i('addi', Reg.t1, 0, 0); // at + 12, skipped
        b.r('add', Reg.t2, Reg.t1, 0); // at + 16
      });
      at = a.pc;
      c.add('jalr rd = rs1', at + 8, (b) => {
        b.auipc(Reg.t2, 0); // t2 = at
        b.jalr(Reg.t2, Reg.t2, 12); // target at + 12 computed from the old t2; t2 = at + 8
        b.i('addi', Reg.t2, 0, 0); // skipped
      });
      c.add('jal x0 (plain jump) writes nothing', 5, (b) =>
        b.i('addi', Reg.t2, 0, 5).jal(0, 'j2').i('addi', Reg.t2, 0, 0).label('j2'),
      );
    });
  });
});

describe('loads and stores at every offset', () => {
  it('LB/LBU/LH/LHU/LW sign- and zero-extend', () => {
    check((c) => {
      // The test area holds bytes 0, 1, ..., 255: word at 4k is 4k | (4k+1)<<8 | ...
      const byte = (i: number) => i & 0xff;
      const half = (i: number) => byte(i) | (byte(i + 1) << 8);
      const word = (i: number) => half(i) | (half(i + 2) << 16);
      const loads: [LoadOp, number, (i: number) => number][] = [
        ['lb', 1, (i) => (byte(i) << 24) >> 24],
        ['lbu', 1, byte],
        ['lh', 2, (i) => (half(i) << 16) >> 16],
        ['lhu', 2, half],
        ['lw', 4, word],
      ];
      for (const [op, size, f] of loads) {
        for (const off of [0, 4, 124, 128, 252, 0x7c, 0x80, 0xfc].flatMap((o) => [
          o,
          o + 1,
          o + 2,
          o + 3,
        ])) {
          if (off % size !== 0 || off + size > 256) continue;
          c.add(`${op} ${off}`, f(off), (a) => a.load(op, Reg.t2, 29, off));
        }
      }
      // Negative offset from a base register; a load into x0 is performed and dropped.
      c.add('lw -4(base+8)', word(4), (a) =>
        a.i('addi', Reg.t0, 29, 8).load('lw', Reg.t2, Reg.t0, -4),
      );
      c.add('lw into x0', 0, (a) => a.load('lw', 0, 29, 8).r('add', Reg.t2, 0, 0));
    });
  });
  it('SB/SH/SW replace exactly their bytes', () => {
    check((c) => {
      const init = 0x8899aabb | 0;
      const stores: [StoreOp, number, number][] = [
        ['sb', 1, 0xff],
        ['sh', 2, 0xffff],
        ['sw', 4, 0xffffffff],
      ];
      for (const [op, size, mask] of stores) {
        for (let off = 0; off < 4; off += size) {
          const v = 0x1234f6e5;
          const expected = (init & ~(mask << (8 * off))) | ((v & mask) << (8 * off)) | 0;
          c.add(`${op} at +${off}`, expected, (a) =>
            a
              .li(Reg.t0, init)
              .store('sw', Reg.t0, 29, 512)
              .li(Reg.t1, v)
              .store(op, Reg.t1, 29, 512 + off)
              .load('lw', Reg.t2, 29, 512),
          );
        }
      }
      c.add('sw x0 stores 0', 0, (a) =>
        a
          .li(Reg.t0, -1)
          .store('sw', Reg.t0, 29, 516)
          .store('sw', 0, 29, 516)
          .load('lw', Reg.t2, 29, 516),
      );
    });
  });
});

describe('FENCE', () => {
  it('is a no-op that takes one cycle', () => {
    check((c) => {
      c.add('fence', 3, (a) => a.i('addi', Reg.t2, 0, 3).fence());
    });
  });
});
