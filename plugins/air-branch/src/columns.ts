import { col, cols, cpuColumns, defineLayout, readColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a branch row (BEQ, BNE, BLT, BGE, BLTU, BGEU). */
export const layout = defineLayout({
  cpu: cpuColumns(
    {
      is_beq: Op.BEQ,
      is_bne: Op.BNE,
      is_blt: Op.BLT,
      is_bge: Op.BGE,
      is_bltu: Op.BLTU,
      is_bgeu: Op.BGEU,
    },
    { rs1: true, rs2: true, imm: true },
  ),
  rs1: readColumns('rs1'),
  rs2: readColumns('rs2'),
  /** rs1 - rs2 (mod 2^32) byte by byte, and the borrow out of each byte (borrow 3: rs1 <u rs2). */
  diff: cols('d', 4),
  borrow: cols('br', 4),
  /** The sign bits of rs1 and rs2. */
  signA: col('sa'),
  signB: col('sb'),
  /** rs1 <s rs2. */
  lessSigned: col('lt'),
  /** rs1 = rs2, and the inverse of the difference's byte sum when they differ (0 otherwise). */
  equal: col('eq'),
  inverse: col('inv'),
  /** The successor pc: pc + 4, or pc + imm when the branch is taken. */
  nextPc: col('next_pc'),
});
