import { addCpuColumns, addReadColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of an XOR/OR/AND/XORI/ORI/ANDI row (43 columns). */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(
  layout,
  {
    is_xor: Op.XOR,
    is_or: Op.OR,
    is_and: Op.AND,
    is_xori: Op.XORI,
    is_ori: Op.ORI,
    is_andi: Op.ANDI,
  },
  { rd: true, rs1: true, rs2: true, imm: true },
);
export const rs1 = addReadColumns(layout, 'rs1');
/** rs2's value on register ops; on immediate ops the same cells hold the immediate's bytes. */
export const rs2 = addReadColumns(layout, 'rs2');
export const rd = addWriteColumns(layout, 'rd');
/** The result's bytes, each looked up in the bitwise table. */
export const result = layout.addMany('r', 4);
