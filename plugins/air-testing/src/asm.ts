/**
 * A minimal RV32IM assembler for tests: one function per instruction, returning the encoded
 * word. Register arguments are numbers (x0..x31); immediates are the instruction's semantic
 * value (byte offsets for branches and jumps, the upper 20 bits for LUI/AUIPC).
 */
const r = (f7: number, rs2: number, rs1: number, f3: number, rd: number, opc: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
const i = (imm: number, rs1: number, f3: number, rd: number, opc: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
const s = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 5) & 0x7f) << 25) |
    (rs2 << 20) |
    (rs1 << 15) |
    (f3 << 12) |
    ((imm & 0x1f) << 7) |
    0x23) >>>
  0;
const b = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 12) & 1) << 31) |
    (((imm >> 5) & 0x3f) << 25) |
    (rs2 << 20) |
    (rs1 << 15) |
    (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) |
    (((imm >> 11) & 1) << 7) |
    0x63) >>>
  0;
const u = (imm20: number, rd: number, opc: number) =>
  (((imm20 & 0xfffff) << 12) | (rd << 7) | opc) >>> 0;
const j = (imm: number, rd: number) =>
  ((((imm >> 20) & 1) << 31) |
    (((imm >> 1) & 0x3ff) << 21) |
    (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) |
    (rd << 7) |
    0x6f) >>>
  0;

export const asm = {
  lui: (rd: number, imm20: number) => u(imm20, rd, 0x37),
  auipc: (rd: number, imm20: number) => u(imm20, rd, 0x17),
  jal: (rd: number, off: number) => j(off, rd),
  jalr: (rd: number, rs1: number, imm: number) => i(imm, rs1, 0, rd, 0x67),
  beq: (rs1: number, rs2: number, off: number) => b(off, rs2, rs1, 0),
  bne: (rs1: number, rs2: number, off: number) => b(off, rs2, rs1, 1),
  blt: (rs1: number, rs2: number, off: number) => b(off, rs2, rs1, 4),
  bge: (rs1: number, rs2: number, off: number) => b(off, rs2, rs1, 5),
  bltu: (rs1: number, rs2: number, off: number) => b(off, rs2, rs1, 6),
  bgeu: (rs1: number, rs2: number, off: number) => b(off, rs2, rs1, 7),
  lb: (rd: number, rs1: number, imm: number) => i(imm, rs1, 0, rd, 0x03),
  lh: (rd: number, rs1: number, imm: number) => i(imm, rs1, 1, rd, 0x03),
  lw: (rd: number, rs1: number, imm: number) => i(imm, rs1, 2, rd, 0x03),
  lbu: (rd: number, rs1: number, imm: number) => i(imm, rs1, 4, rd, 0x03),
  lhu: (rd: number, rs1: number, imm: number) => i(imm, rs1, 5, rd, 0x03),
  sb: (rs2: number, rs1: number, imm: number) => s(imm, rs2, rs1, 0),
  sh: (rs2: number, rs1: number, imm: number) => s(imm, rs2, rs1, 1),
  sw: (rs2: number, rs1: number, imm: number) => s(imm, rs2, rs1, 2),
  addi: (rd: number, rs1: number, imm: number) => i(imm, rs1, 0, rd, 0x13),
  slti: (rd: number, rs1: number, imm: number) => i(imm, rs1, 2, rd, 0x13),
  sltiu: (rd: number, rs1: number, imm: number) => i(imm, rs1, 3, rd, 0x13),
  xori: (rd: number, rs1: number, imm: number) => i(imm, rs1, 4, rd, 0x13),
  ori: (rd: number, rs1: number, imm: number) => i(imm, rs1, 6, rd, 0x13),
  andi: (rd: number, rs1: number, imm: number) => i(imm, rs1, 7, rd, 0x13),
  slli: (rd: number, rs1: number, sh: number) => r(0, sh, rs1, 1, rd, 0x13),
  srli: (rd: number, rs1: number, sh: number) => r(0, sh, rs1, 5, rd, 0x13),
  srai: (rd: number, rs1: number, sh: number) => r(0x20, sh, rs1, 5, rd, 0x13),
  add: (rd: number, rs1: number, rs2: number) => r(0, rs2, rs1, 0, rd, 0x33),
  sub: (rd: number, rs1: number, rs2: number) => r(0x20, rs2, rs1, 0, rd, 0x33),
  sll: (rd: number, rs1: number, rs2: number) => r(0, rs2, rs1, 1, rd, 0x33),
  slt: (rd: number, rs1: number, rs2: number) => r(0, rs2, rs1, 2, rd, 0x33),
  sltu: (rd: number, rs1: number, rs2: number) => r(0, rs2, rs1, 3, rd, 0x33),
  xor: (rd: number, rs1: number, rs2: number) => r(0, rs2, rs1, 4, rd, 0x33),
  srl: (rd: number, rs1: number, rs2: number) => r(0, rs2, rs1, 5, rd, 0x33),
  sra: (rd: number, rs1: number, rs2: number) => r(0x20, rs2, rs1, 5, rd, 0x33),
  or: (rd: number, rs1: number, rs2: number) => r(0, rs2, rs1, 6, rd, 0x33),
  and: (rd: number, rs1: number, rs2: number) => r(0, rs2, rs1, 7, rd, 0x33),
  mul: (rd: number, rs1: number, rs2: number) => r(1, rs2, rs1, 0, rd, 0x33),
  mulh: (rd: number, rs1: number, rs2: number) => r(1, rs2, rs1, 1, rd, 0x33),
  mulhsu: (rd: number, rs1: number, rs2: number) => r(1, rs2, rs1, 2, rd, 0x33),
  mulhu: (rd: number, rs1: number, rs2: number) => r(1, rs2, rs1, 3, rd, 0x33),
  div: (rd: number, rs1: number, rs2: number) => r(1, rs2, rs1, 4, rd, 0x33),
  divu: (rd: number, rs1: number, rs2: number) => r(1, rs2, rs1, 5, rd, 0x33),
  rem: (rd: number, rs1: number, rs2: number) => r(1, rs2, rs1, 6, rd, 0x33),
  remu: (rd: number, rs1: number, rs2: number) => r(1, rs2, rs1, 7, rd, 0x33),
  fence: () => 0x0ff0000f,
  ecall: () => 0x00000073,
};

/** Loads a 32-bit constant into rd (LUI + ADDI, the usual `li`). */
export function li(rd: number, value: number): number[] {
  const v = value | 0;
  const lo = (v << 20) >> 20; // sign-extended low 12 bits
  const hi = ((v - lo) >>> 12) & 0xfffff;
  return hi === 0 ? [asm.addi(rd, 0, lo)] : [asm.lui(rd, hi), asm.addi(rd, rd, lo)];
}

/** exit(code) from register a0 already set: li a7, 93; ecall. */
export function exit(code?: number): number[] {
  return [...(code === undefined ? [] : li(10, code)), asm.addi(17, 0, 93), asm.ecall()];
}

/** write(fd, buf, len) with the buffer address and length in a1/a2 already set. */
export function write(fd: number): number[] {
  return [asm.addi(10, 0, fd), asm.addi(17, 0, 64), asm.ecall()];
}

/** read(fd, buf, len) with a1/a2 already set. */
export function read(fd: number): number[] {
  return [asm.addi(10, 0, fd), asm.addi(17, 0, 63), asm.ecall()];
}
