import { addCpuColumns, addReadColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a DIV/DIVU/REM/REMU row. */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(
  layout,
  { is_div: Op.DIV, is_divu: Op.DIVU, is_rem: Op.REM, is_remu: Op.REMU },
  { rd: true, rs1: true, rs2: true },
);
export const rs1 = addReadColumns(layout, 'rs1');
export const rs2 = addReadColumns(layout, 'rs2');
export const rd = addWriteColumns(layout, 'rd');
/** Quotient and remainder bytes (both computed on every row), and the bytes written to rd. */
export const quotient = layout.addMany('q', 4);
export const remainder = layout.addMany('r', 4);
export const written = layout.addMany('w', 4);
/** The carry out of each of the 8 byte columns of b·q + r = a (64-bit, sign-extended). */
export const carry = layout.addMany('c', 8);
/** Top bits of a = rs1, b = rs2 and r with the other 7 bits of their top bytes. */
export const msbA = layout.add('ma');
export const low7A = layout.add('la');
export const msbB = layout.add('mb');
export const low7B = layout.add('lb');
export const msbR = layout.add('mr');
export const low7R = layout.add('lr');
/** Sign bits as the op reads them (0 on unsigned ops); sq: q is read as q - 2^32. */
export const signA = layout.add('sa');
export const signB = layout.add('sb');
export const signR = layout.add('sr');
export const signQ = layout.add('sq');
/** b = 0, and the inverse of b's byte sum (0 when b = 0). */
export const bZero = layout.add('bz');
export const bInv = layout.add('binv');
/** |b| - |r| - 1 (+ 2^32 when b = 0) in bytes, and the chain's carries plus 3. */
export const slack = layout.addMany('d', 4);
export const slackCarry = layout.addMany('e', 3);
