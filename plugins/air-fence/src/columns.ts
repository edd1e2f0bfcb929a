import { cpuColumns, defineLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/**
 * The layout of a FENCE row (4 columns): the instruction row only. FENCE reads no field: the
 * decoder sets rd = rs1 = 0 and the program table its immediate (the fm/pred/succ bits) to 0,
 * so they are all constants in the program tuple.
 */
export const layout = defineLayout({
  cpu: cpuColumns({ is_fence: Op.FENCE }, {}),
});
