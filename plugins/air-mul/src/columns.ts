import { addCpuColumns, addReadColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a MUL/MULH/MULHSU/MULHU row. */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(
  layout,
  { is_mul: Op.MUL, is_mulh: Op.MULH, is_mulhsu: Op.MULHSU, is_mulhu: Op.MULHU },
  { rd: true, rs1: true, rs2: true },
);
export const rs1 = addReadColumns(layout, 'rs1');
export const rs2 = addReadColumns(layout, 'rs2');
export const rd = addWriteColumns(layout, 'rd');
/**
 * The 64-bit product's bytes: `o` is the half written to rd (low for MUL, high for the
 * others), `x` the other half.
 */
export const out = layout.addMany('o', 4);
export const other = layout.addMany('x', 4);
/** The carry out of each of the product's 8 byte columns. */
export const carry = layout.addMany('c', 8);
/** Top bits of rs1 and rs2 (and the other 7 bits of their top bytes), and their sign bits. */
export const msbA = layout.add('ma');
export const low7A = layout.add('la');
export const msbB = layout.add('mb');
export const low7B = layout.add('lb');
export const signA = layout.add('sa');
export const signB = layout.add('sb');
