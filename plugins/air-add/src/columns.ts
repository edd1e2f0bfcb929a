import { addCpuColumns, addReadColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of an ADD/ADDI row. */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(
  layout,
  { is_add: Op.ADD, is_addi: Op.ADDI },
  { rd: true, rs1: true, rs2: true, imm: true },
);
export const rs1 = addReadColumns(layout, 'rs1');
export const rs2 = addReadColumns(layout, 'rs2');
export const rd = addWriteColumns(layout, 'rd');
/** The sum's bytes and the carry out of each byte. */
export const result = layout.addMany('r', 4);
export const carry = layout.addMany('c', 4);
