import { addCpuColumns, addReadColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of an SLT/SLTU/SLTI/SLTIU row (47 columns). */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(
  layout,
  { is_slt: Op.SLT, is_sltu: Op.SLTU, is_slti: Op.SLTI, is_sltiu: Op.SLTIU },
  { rd: true, rs1: true, rs2: true, imm: true },
);
export const rs1 = addReadColumns(layout, 'rs1');
/** rs2's value on register ops; on immediate ops the same cells hold the immediate's bytes. */
export const rs2 = addReadColumns(layout, 'rs2');
export const rd = addWriteColumns(layout, 'rd');
/** The bytes of the (sign-biased) difference a - b and the borrow out of each byte. */
export const diff = layout.addMany('d', 4);
export const borrow = layout.addMany('w', 4);
/** The sign bits of a and b (read by the signed ops only). */
export const signA = layout.add('sa');
export const signB = layout.add('sb');
