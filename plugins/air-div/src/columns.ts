import { col, cols, cpuColumns, defineLayout, readColumns, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a DIV/DIVU/REM/REMU row. */
export const layout = defineLayout({
  cpu: cpuColumns(
    { is_div: Op.DIV, is_divu: Op.DIVU, is_rem: Op.REM, is_remu: Op.REMU },
    { rd: true, rs1: true, rs2: true },
  ),
  rs1: readColumns('rs1'),
  rs2: readColumns('rs2'),
  rd: writeColumns('rd'),
  /** Quotient and remainder bytes (both computed on every row), and the bytes written to rd. */
  quotient: cols('q', 4),
  remainder: cols('r', 4),
  written: cols('w', 4),
  /** The carry out of each of the 8 byte columns of b·q + r = a (64-bit, sign-extended). */
  carry: cols('c', 8),
  /** Top bits of a = rs1, b = rs2 and r with the other 7 bits of their top bytes. */
  msbA: col('ma'),
  low7A: col('la'),
  msbB: col('mb'),
  low7B: col('lb'),
  msbR: col('mr'),
  low7R: col('lr'),
  /** Sign bits as the op reads them (0 on unsigned ops); sq: q is read as q - 2^32. */
  signA: col('sa'),
  signB: col('sb'),
  signR: col('sr'),
  signQ: col('sq'),
  /** b = 0, and the inverse of b's byte sum (0 when b = 0). */
  bZero: col('bz'),
  bInv: col('binv'),
  /** |b| - |r| - 1 (+ 2^32 when b = 0) in bytes, and the chain's carries plus 3. */
  slack: cols('d', 4),
  slackCarry: cols('e', 3),
});
