import { addCpuColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a LUI row (17 columns). */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(layout, { is_lui: Op.LUI }, { rd: true });
/**
 * The immediate's bytes 1..3 and its field value. Byte 0 of a U-type immediate (imm << 12) is
 * always 0, so it is the constant 0 in the program tuple and costs no column.
 */
export const imm = [layout.add('imm1'), layout.add('imm2'), layout.add('imm3')] as const;
export const immField = layout.add('imm_f');
export const rd = addWriteColumns(layout, 'rd');
