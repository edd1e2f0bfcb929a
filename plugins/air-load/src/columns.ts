import {
  addressColumns,
  col,
  cols,
  cpuColumns,
  defineLayout,
  ramColumns,
  readColumns,
  writeColumns,
} from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a load row (LB, LH, LW, LBU, LHU). */
export const layout = defineLayout({
  cpu: cpuColumns(
    { is_lb: Op.LB, is_lh: Op.LH, is_lw: Op.LW, is_lbu: Op.LBU, is_lhu: Op.LHU },
    { rd: true, rs1: true, imm: true },
  ),
  rs1: readColumns('rs1'),
  rd: writeColumns('rd'),
  /** The RAM word read (its bytes are the same before and after). */
  mem: ramColumns('mem'),
  /** The address rs1 + imm and its word index and offset (see air-common's evalAddress). */
  address: addressColumns(),
  /** The loaded value's bytes (written to rd). */
  result: cols('r', 4),
  /** The byte whose sign LB/LH extend (0 for the other ops), and that sign. */
  top: col('top'),
  sign: col('sgn'),
});
