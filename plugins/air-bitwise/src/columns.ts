import { cols, cpuColumns, defineLayout, readColumns, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of an XOR/OR/AND/XORI/ORI/ANDI row (43 columns). */
export const layout = defineLayout({
  cpu: cpuColumns(
    {
      is_xor: Op.XOR,
      is_or: Op.OR,
      is_and: Op.AND,
      is_xori: Op.XORI,
      is_ori: Op.ORI,
      is_andi: Op.ANDI,
    },
    { rd: true, rs1: true, rs2: true, imm: true },
  ),
  rs1: readColumns('rs1'),
  /** rs2's value on register ops; on immediate ops the same cells hold the immediate's bytes. */
  rs2: readColumns('rs2'),
  rd: writeColumns('rd'),
  /** The result's bytes, each looked up in the bitwise table. */
  result: cols('r', 4),
});
