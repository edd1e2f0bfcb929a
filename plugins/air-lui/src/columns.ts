import { col, cpuColumns, defineLayout, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a LUI row (17 columns). */
export const layout = defineLayout({
  cpu: cpuColumns({ is_lui: Op.LUI }, { rd: true }),
  /**
   * The immediate's bytes 1..3 and its field value. Byte 0 of a U-type immediate (imm << 12) is
   * always 0, so it is the constant 0 in the program tuple and costs no column.
   */
  imm: [col('imm1'), col('imm2'), col('imm3')],
  immField: col('imm_f'),
  rd: writeColumns('rd'),
});
