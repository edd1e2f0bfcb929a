import { col, cols, cpuColumns, defineLayout, readColumns, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of an SLT/SLTU/SLTI/SLTIU row (47 columns). */
export const layout = defineLayout({
  cpu: cpuColumns(
    { is_slt: Op.SLT, is_sltu: Op.SLTU, is_slti: Op.SLTI, is_sltiu: Op.SLTIU },
    { rd: true, rs1: true, rs2: true, imm: true },
  ),
  rs1: readColumns('rs1'),
  /** rs2's value on register ops; on immediate ops the same cells hold the immediate's bytes. */
  rs2: readColumns('rs2'),
  rd: writeColumns('rd'),
  /** The bytes of the (sign-biased) difference a - b and the borrow out of each byte. */
  diff: cols('d', 4),
  borrow: cols('w', 4),
  /** The sign bits of a and b (read by the signed ops only). */
  signA: col('sa'),
  signB: col('sb'),
});
