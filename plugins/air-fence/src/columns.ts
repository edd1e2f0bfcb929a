import { addCpuColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/**
 * The layout of a FENCE row (9 columns): the instruction row only. The immediate (the fence's
 * fm/pred/succ bits, decoded as an I-type immediate) has columns because the program tuple
 * carries it; rd and rs1 are 0 in the program table for FENCE, so they are constants.
 */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(layout, { is_fence: Op.FENCE }, { imm: true });
