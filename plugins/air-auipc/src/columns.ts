import { col, cols, cpuColumns, defineLayout, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of an AUIPC row (27 columns). */
export const layout = defineLayout({
  cpu: cpuColumns({ is_auipc: Op.AUIPC }, { rd: true }),
  /**
   * The immediate's bytes 1..3 and its field value. Byte 0 of a U-type immediate (imm << 12) is
   * always 0, so it is the constant 0 in the program tuple and costs no column.
   */
  imm: [col('imm1'), col('imm2'), col('imm3')],
  immField: col('imm_f'),
  rd: writeColumns('rd'),
  /** pc's bytes (pc < 2^30). */
  pcBytes: cols('p', 4),
  /** Bytes 1..3 of the sum (byte 0 is pc's byte 0) and the carries out of them. */
  result: [col('r1'), col('r2'), col('r3')],
  carry: [col('c1'), col('c2'), col('c3')],
});
