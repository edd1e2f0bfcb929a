/**
 * A small RV32IM assembler for tests: encodes every instruction from its fields (written from the
 * RISC-V unprivileged spec's encoding tables, independently of the VM's decoder so the two check
 * each other), with labels for branches and jumps.
 */

export const Reg = {
  zero: 0,
  ra: 1,
  sp: 2,
  gp: 3,
  tp: 4,
  t0: 5,
  t1: 6,
  t2: 7,
  s0: 8,
  s1: 9,
  a0: 10,
  a1: 11,
  a2: 12,
  a3: 13,
  a4: 14,
  a5: 15,
  a6: 16,
  a7: 17,
  s2: 18,
  t3: 28,
  t4: 29,
  t5: 30,
  t6: 31,
} as const;

const chk = (v: number, bits: number, what: string) => {
  if (v < 0 || v >= 1 << bits || !Number.isInteger(v)) throw new Error(`${what} ${v} out of range`);
  return v;
};
const simm = (v: number, bits: number, what: string) => {
  if (v < -(2 ** (bits - 1)) || v >= 2 ** (bits - 1) || !Number.isInteger(v))
    throw new Error(`${what} ${v} out of range`);
  return v;
};

export function encR(
  funct7: number,
  rs2: number,
  rs1: number,
  funct3: number,
  rd: number,
  opcode: number,
): number {
  return (
    ((funct7 << 25) |
      (chk(rs2, 5, 'rs2') << 20) |
      (chk(rs1, 5, 'rs1') << 15) |
      (funct3 << 12) |
      (chk(rd, 5, 'rd') << 7) |
      opcode) >>>
    0
  );
}
export function encI(imm: number, rs1: number, funct3: number, rd: number, opcode: number): number {
  return (
    (((simm(imm, 12, 'imm') & 0xfff) << 20) |
      (chk(rs1, 5, 'rs1') << 15) |
      (funct3 << 12) |
      (chk(rd, 5, 'rd') << 7) |
      opcode) >>>
    0
  );
}
export function encS(
  imm: number,
  rs2: number,
  rs1: number,
  funct3: number,
  opcode: number,
): number {
  const i = simm(imm, 12, 'imm') & 0xfff;
  return (
    (((i >> 5) << 25) |
      (chk(rs2, 5, 'rs2') << 20) |
      (chk(rs1, 5, 'rs1') << 15) |
      (funct3 << 12) |
      ((i & 0x1f) << 7) |
      opcode) >>>
    0
  );
}
export function encB(imm: number, rs2: number, rs1: number, funct3: number): number {
  if (imm % 2 !== 0) throw new Error(`branch offset ${imm} is odd`);
  const i = simm(imm, 13, 'branch offset') & 0x1fff;
  return (
    ((((i >> 12) & 1) << 31) |
      (((i >> 5) & 0x3f) << 25) |
      (chk(rs2, 5, 'rs2') << 20) |
      (chk(rs1, 5, 'rs1') << 15) |
      (funct3 << 12) |
      (((i >> 1) & 0xf) << 8) |
      (((i >> 11) & 1) << 7) |
      0x63) >>>
    0
  );
}
export function encU(imm20: number, rd: number, opcode: number): number {
  return ((chk(imm20, 20, 'imm20') << 12) | (chk(rd, 5, 'rd') << 7) | opcode) >>> 0;
}
export function encJ(imm: number, rd: number): number {
  if (imm % 2 !== 0) throw new Error(`jump offset ${imm} is odd`);
  const i = simm(imm, 21, 'jump offset') & 0x1fffff;
  return (
    ((((i >> 20) & 1) << 31) |
      (((i >> 1) & 0x3ff) << 21) |
      (((i >> 11) & 1) << 20) |
      (((i >> 12) & 0xff) << 12) |
      (chk(rd, 5, 'rd') << 7) |
      0x6f) >>>
    0
  );
}

type Target = string | number;

const R_OPS = {
  add: [0, 0],
  sub: [0x20, 0],
  sll: [0, 1],
  slt: [0, 2],
  sltu: [0, 3],
  xor: [0, 4],
  srl: [0, 5],
  sra: [0x20, 5],
  or: [0, 6],
  and: [0, 7],
  mul: [1, 0],
  mulh: [1, 1],
  mulhsu: [1, 2],
  mulhu: [1, 3],
  div: [1, 4],
  divu: [1, 5],
  rem: [1, 6],
  remu: [1, 7],
} as const;
export type ROp = keyof typeof R_OPS;
export const R_OP_NAMES = Object.keys(R_OPS) as ROp[];

const I_OPS = { addi: 0, slti: 2, sltiu: 3, xori: 4, ori: 6, andi: 7 } as const;
export type IOp = keyof typeof I_OPS;
export const I_OP_NAMES = Object.keys(I_OPS) as IOp[];
const SHIFT_OPS = { slli: [0, 1], srli: [0, 5], srai: [0x20, 5] } as const;
export type ShiftOp = keyof typeof SHIFT_OPS;
const LOAD_OPS = { lb: 0, lh: 1, lw: 2, lbu: 4, lhu: 5 } as const;
export type LoadOp = keyof typeof LOAD_OPS;
const STORE_OPS = { sb: 0, sh: 1, sw: 2 } as const;
export type StoreOp = keyof typeof STORE_OPS;
const BRANCH_OPS = { beq: 0, bne: 1, blt: 4, bge: 5, bltu: 6, bgeu: 7 } as const;
export type BranchOp = keyof typeof BRANCH_OPS;
export const BRANCH_OP_NAMES = Object.keys(BRANCH_OPS) as BranchOp[];

/** Assembles into a word list starting at `base`; labels resolve at `words()`. */
export class Asm {
  private readonly out: number[] = [];
  private readonly labels = new Map<string, number>();
  private readonly fixups: { at: number; label: string; enc: (off: number) => number }[] = [];
  constructor(readonly base = 0x10000) {}

  get pc(): number {
    return this.base + 4 * this.out.length;
  }

  label(name: string): this {
    if (this.labels.has(name)) throw new Error(`duplicate label ${name}`);
    this.labels.set(name, this.pc);
    return this;
  }

  word(w: number): this {
    this.out.push(w >>> 0);
    return this;
  }

  r(op: ROp, rd: number, rs1: number, rs2: number): this {
    const [f7, f3] = R_OPS[op];
    return this.word(encR(f7, rs2, rs1, f3, rd, 0x33));
  }
  i(op: IOp, rd: number, rs1: number, imm: number): this {
    return this.word(encI(imm, rs1, I_OPS[op], rd, 0x13));
  }
  shift(op: ShiftOp, rd: number, rs1: number, shamt: number): this {
    const [f7, f3] = SHIFT_OPS[op];
    return this.word(encR(f7, chk(shamt, 5, 'shamt'), rs1, f3, rd, 0x13));
  }
  load(op: LoadOp, rd: number, rs1: number, imm: number): this {
    return this.word(encI(imm, rs1, LOAD_OPS[op], rd, 0x03));
  }
  store(op: StoreOp, rs2: number, rs1: number, imm: number): this {
    return this.word(encS(imm, rs2, rs1, STORE_OPS[op], 0x23));
  }
  lui(rd: number, imm20: number): this {
    return this.word(encU(imm20 >>> 0, rd, 0x37));
  }
  auipc(rd: number, imm20: number): this {
    return this.word(encU(imm20 >>> 0, rd, 0x17));
  }
  jalr(rd: number, rs1: number, imm: number): this {
    return this.word(encI(imm, rs1, 0, rd, 0x67));
  }
  private target(t: Target, enc: (off: number) => number): this {
    if (typeof t === 'number') return this.word(enc(t));
    this.fixups.push({ at: this.out.length, label: t, enc });
    return this.word(0);
  }
  /** Branch to a label or by a byte offset relative to this instruction. */
  branch(op: BranchOp, rs1: number, rs2: number, t: Target): this {
    return this.target(t, (off) => encB(off, rs2, rs1, BRANCH_OPS[op]));
  }
  jal(rd: number, t: Target): this {
    return this.target(t, (off) => encJ(off, rd));
  }
  ecall(): this {
    return this.word(0x00000073);
  }
  fence(): this {
    return this.word(0x0ff0000f);
  }
  /** rd = value (any 32-bit value), with LUI + ADDI. */
  li(rd: number, value: number): this {
    const v = value | 0;
    const lo = (v << 20) >> 20;
    const hi = ((v - lo) >>> 12) & 0xfffff;
    if (hi !== 0) {
      this.lui(rd, hi);
      if (lo !== 0) this.i('addi', rd, rd, lo);
    } else this.i('addi', rd, 0, lo);
    return this;
  }
  /** exit(code) */
  exit(code: number): this {
    return this.li(Reg.a0, code).li(Reg.a7, 93).ecall();
  }
  /** syscall with a7 = n and a0..a2 */
  syscall(n: number, a0: number, a1: number, a2: number): this {
    return this.li(Reg.a0, a0).li(Reg.a1, a1).li(Reg.a2, a2).li(Reg.a7, n).ecall();
  }

  words(): Uint32Array {
    for (const f of this.fixups) {
      const target = this.labels.get(f.label);
      if (target === undefined) throw new Error(`undefined label ${f.label}`);
      this.out[f.at] = f.enc(target - (this.base + 4 * f.at)) >>> 0;
    }
    return Uint32Array.from(this.out);
  }

  bytes(): Uint8Array {
    const w = this.words();
    const out = new Uint8Array(w.length * 4);
    const dv = new DataView(out.buffer);
    w.forEach((x, k) => {
      dv.setUint32(4 * k, x, true);
    });
    return out;
  }
}
