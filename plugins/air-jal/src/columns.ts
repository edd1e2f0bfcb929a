import { cols, cpuColumns, defineLayout, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a JAL row. */
export const layout = defineLayout({
  /** JAL reads rd and the immediate (the jump offset); it has no source registers. */
  cpu: cpuColumns({ is_jal: Op.JAL }, { rd: true, imm: true }),
  rd: writeColumns('rd'),
  /** The bytes of the link value pc + 4 written to rd. */
  result: cols('r', 4),
});
