import { addCpuColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of an AUIPC row (27 columns). */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(layout, { is_auipc: Op.AUIPC }, { rd: true });
/**
 * The immediate's bytes 1..3 and its field value. Byte 0 of a U-type immediate (imm << 12) is
 * always 0, so it is the constant 0 in the program tuple and costs no column.
 */
export const imm = [layout.add('imm1'), layout.add('imm2'), layout.add('imm3')] as const;
export const immField = layout.add('imm_f');
export const rd = addWriteColumns(layout, 'rd');
/** pc's bytes (pc < 2^30). */
export const pcBytes = layout.addMany('p', 4);
/** Bytes 1..3 of the sum (byte 0 is pc's byte 0) and the carries out of them. */
export const result = [layout.add('r1'), layout.add('r2'), layout.add('r3')] as const;
export const carry = [layout.add('c1'), layout.add('c2'), layout.add('c3')] as const;
