import { cols, cpuColumns, defineLayout, readColumns, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of an ADD/ADDI row, declared once for `evaluate` and trace generation. */
export const layout = defineLayout({
  cpu: cpuColumns(
    { is_add: Op.ADD, is_addi: Op.ADDI },
    { rd: true, rs1: true, rs2: true, imm: true },
  ),
  rs1: readColumns('rs1'),
  rs2: readColumns('rs2'),
  rd: writeColumns('rd'),
  /** The sum's bytes and the carry out of each byte. */
  result: cols('r', 4),
  carry: cols('c', 4),
});
