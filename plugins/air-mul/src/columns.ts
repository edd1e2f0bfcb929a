import { col, cols, cpuColumns, defineLayout, readColumns, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a MUL/MULH/MULHSU/MULHU row. */
export const layout = defineLayout({
  cpu: cpuColumns(
    { is_mul: Op.MUL, is_mulh: Op.MULH, is_mulhsu: Op.MULHSU, is_mulhu: Op.MULHU },
    { rd: true, rs1: true, rs2: true },
  ),
  rs1: readColumns('rs1'),
  rs2: readColumns('rs2'),
  rd: writeColumns('rd'),
  /**
   * The 64-bit product's bytes: `o` is the half written to rd (low for MUL, high for the
   * others), `x` the other half.
   */
  out: cols('o', 4),
  other: cols('x', 4),
  /** The carry out of each of the product's 8 byte columns. */
  carry: cols('c', 8),
  /** Top bits of rs1 and rs2 (and the other 7 bits of their top bytes), and their sign bits. */
  msbA: col('ma'),
  low7A: col('la'),
  msbB: col('mb'),
  low7B: col('lb'),
  signA: col('sa'),
  signB: col('sb'),
});
