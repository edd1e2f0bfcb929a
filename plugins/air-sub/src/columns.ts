import { cols, cpuColumns, defineLayout, readColumns, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a SUB row (37 columns). */
export const layout = defineLayout({
  cpu: cpuColumns({ is_sub: Op.SUB }, { rd: true, rs1: true, rs2: true }),
  rs1: readColumns('rs1'),
  rs2: readColumns('rs2'),
  rd: writeColumns('rd'),
  /** The difference's bytes and the borrow out of each byte. */
  result: cols('r', 4),
  borrow: cols('w', 4),
});
