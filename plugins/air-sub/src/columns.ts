import { addCpuColumns, addReadColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a SUB row (37 columns). */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(layout, { is_sub: Op.SUB }, { rd: true, rs1: true, rs2: true });
export const rs1 = addReadColumns(layout, 'rs1');
export const rs2 = addReadColumns(layout, 'rs2');
export const rd = addWriteColumns(layout, 'rd');
/** The difference's bytes and the borrow out of each byte. */
export const result = layout.addMany('r', 4);
export const borrow = layout.addMany('w', 4);
