import { Op } from './isa.js';

/**
 * The M-extension operations JavaScript has no single operator for, on int32 inputs, returning
 * int32 (the register representation of both passes). No BigInt: the 64-bit products are built
 * from 16-bit limbs whose partial products stay below 2^32, exact in doubles.
 */

/** High 32 bits of the unsigned 64-bit product a * b (MULHU). */
export function mulhu(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  // Carry out of the low word: (p00 >> 16) + low halves of the cross products, < 3 * 2^16.
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/**
 * High 32 bits of the signed product (MULH). With a_s = a_u - 2^32·[a<0], the signed product is
 * a_u·b_u - 2^32·([a<0]·b_u + [b<0]·a_u) mod 2^64, so only the high word changes.
 */
export function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** High 32 bits of signed a times unsigned b (MULHSU). */
export function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}

/**
 * Signed division, RISC-V semantics: x/0 = -1, INT_MIN/-1 = INT_MIN (overflow), otherwise
 * truncation toward zero. `(a / b) | 0` is exact here: for |a|, |b| < 2^31 the double quotient's
 * rounding error (< 2^-22 / |b|) is smaller than its distance to the next integer (>= 1/|b|).
 */
export function div(a: number, b: number): number {
  if (b === 0) return -1;
  if (a === -0x80000000 && b === -1) return a;
  return (a / b) | 0;
}

/** Unsigned division: x/0 = 2^32 - 1. */
export function divu(a: number, b: number): number {
  if (b === 0) return -1;
  return ((a >>> 0) / (b >>> 0)) | 0;
}

/** Signed remainder: x%0 = x, INT_MIN % -1 = 0; the sign follows the dividend (like JS `%`). */
export function rem(a: number, b: number): number {
  if (b === 0) return a;
  if (b === -1) return 0;
  return (a % b) | 0;
}

/** Unsigned remainder: x%0 = x. */
export function remu(a: number, b: number): number {
  if (b === 0) return a;
  return ((a >>> 0) % (b >>> 0)) | 0;
}

/** An operation's semantics as JavaScript source over two int32 operand expressions. */
export type OpSource = (a: string, b: string) => string;

/**
 * The semantics of every register-writing ALU op, declared once: rd as an int32 expression of
 * the int32 operands a (rs1) and b (rs2, or the immediate of the I-type form). Both JITs inline
 * these expressions and both interpreters are compiled from them (`alu`), so the four places
 * that execute instructions cannot disagree. JavaScript shifts use the count's low 5 bits, as
 * RV32 does.
 */
export const ALU_SOURCE: Readonly<Partial<Record<number, OpSource>>> = (() => {
  const add: OpSource = (a, b) => `(${a} + ${b}) | 0`;
  const slt: OpSource = (a, b) => `${a} < ${b} ? 1 : 0`;
  const sltu: OpSource = (a, b) => `(${a} >>> 0) < (${b} >>> 0) ? 1 : 0`;
  const xor: OpSource = (a, b) => `${a} ^ ${b}`;
  const or: OpSource = (a, b) => `${a} | ${b}`;
  const and: OpSource = (a, b) => `${a} & ${b}`;
  const sll: OpSource = (a, b) => `${a} << ${b}`;
  const srl: OpSource = (a, b) => `(${a} >>> ${b}) | 0`;
  const sra: OpSource = (a, b) => `${a} >> ${b}`;
  const call =
    (f: string): OpSource =>
    (a, b) =>
      `${f}(${a}, ${b})`;
  return {
    [Op.ADD]: add,
    [Op.ADDI]: add,
    [Op.SUB]: (a, b) => `(${a} - ${b}) | 0`,
    [Op.SLT]: slt,
    [Op.SLTI]: slt,
    [Op.SLTU]: sltu,
    [Op.SLTIU]: sltu,
    [Op.XOR]: xor,
    [Op.XORI]: xor,
    [Op.OR]: or,
    [Op.ORI]: or,
    [Op.AND]: and,
    [Op.ANDI]: and,
    [Op.SLL]: sll,
    [Op.SLLI]: sll,
    [Op.SRL]: srl,
    [Op.SRLI]: srl,
    [Op.SRA]: sra,
    [Op.SRAI]: sra,
    [Op.MUL]: call('Math.imul'),
    [Op.MULH]: call('mulh'),
    [Op.MULHSU]: call('mulhsu'),
    [Op.MULHU]: call('mulhu'),
    [Op.DIV]: call('div'),
    [Op.DIVU]: call('divu'),
    [Op.REM]: call('rem'),
    [Op.REMU]: call('remu'),
  };
})();

/** Whether each branch is taken, as a boolean expression of its int32 operands (declared once). */
export const BRANCH_SOURCE: Readonly<Partial<Record<number, OpSource>>> = {
  [Op.BEQ]: (a, b) => `${a} === ${b}`,
  [Op.BNE]: (a, b) => `${a} !== ${b}`,
  [Op.BLT]: (a, b) => `${a} < ${b}`,
  [Op.BGE]: (a, b) => `${a} >= ${b}`,
  [Op.BLTU]: (a, b) => `(${a} >>> 0) < (${b} >>> 0)`,
  [Op.BGEU]: (a, b) => `(${a} >>> 0) >= (${b} >>> 0)`,
};

/** The helpers the sources call, by the names they use. */
export const ALU_HELPERS = { mulh, mulhu, mulhsu, div, divu, rem, remu } as const;

/** Compiles a `switch (op)` over a source table into a function (the interpreters' form). */
function compileSwitch<T>(table: Readonly<Partial<Record<number, OpSource>>>, what: string): T {
  const cases = Object.entries(table)
    .map(([op, src]) => `case ${op}: return ${src!('a', 'b')};`)
    .join('\n    ');
  const names = Object.keys(ALU_HELPERS);
  const body = `"use strict";
return function ${what}(op, a, b) {
  switch (op) {
    ${cases}
  }
  throw new Error('${what}: op ' + op + ' has no source');
};`;
  return new Function(...names, body)(...Object.values(ALU_HELPERS)) as T;
}

/** rd of an ALU op from its int32 operands (b: rs2 or the immediate). */
export const alu: (op: number, a: number, b: number) => number = compileSwitch(ALU_SOURCE, 'alu');
/** Whether a branch is taken. */
export const branchTaken: (op: number, a: number, b: number) => boolean = compileSwitch(
  BRANCH_SOURCE,
  'branchTaken',
);
