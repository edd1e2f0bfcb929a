import { col, cols, cpuColumns, defineLayout, readColumns, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a JALR row. */
export const layout = defineLayout({
  cpu: cpuColumns({ is_jalr: Op.JALR }, { rd: true, rs1: true, imm: true }),
  rs1: readColumns('rs1'),
  rd: writeColumns('rd'),
  /**
   * The sum s = rs1 + imm (mod 2^32): its byte 0 as 4·t_lo + t_b0 (bit 1 is 0: the target is
   * 4-byte aligned), bytes 1..3, and the carry out of each byte. The target is s with t_b0 dropped.
   */
  targetLow: col('t_lo'),
  targetBit0: col('t_b0'),
  sum: [col('s1'), col('s2'), col('s3')],
  carry: cols('c', 4),
  /** The bytes of the link value pc + 4 written to rd. */
  result: cols('r', 4),
});
