import {
  addAddressColumns,
  addCpuColumns,
  addRamColumns,
  addReadColumns,
  addWriteColumns,
  ColumnLayout,
} from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a load row (LB, LH, LW, LBU, LHU). */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(
  layout,
  { is_lb: Op.LB, is_lh: Op.LH, is_lw: Op.LW, is_lbu: Op.LBU, is_lhu: Op.LHU },
  { rd: true, rs1: true, imm: true },
);
export const rs1 = addReadColumns(layout, 'rs1');
export const rd = addWriteColumns(layout, 'rd');
/** The RAM word read (its bytes are the same before and after). */
export const mem = addRamColumns(layout, 'mem');
/** The address rs1 + imm and its word index and offset (see air-common's evalAddress). */
export const address = addAddressColumns(layout);
/** The loaded value's bytes (written to rd). */
export const result = layout.addMany('r', 4);
/** The byte whose sign LB/LH extend (0 for the other ops), and that sign. */
export const top = layout.add('top');
export const sign = layout.add('sgn');
