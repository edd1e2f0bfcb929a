import { addCpuColumns, addReadColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a JALR row. */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(layout, { is_jalr: Op.JALR }, { rd: true, rs1: true, imm: true });
export const rs1 = addReadColumns(layout, 'rs1');
export const rd = addWriteColumns(layout, 'rd');
/**
 * The sum s = rs1 + imm (mod 2^32): its byte 0 as 4·t_lo + t_b0 (bit 1 is 0: the target is
 * 4-byte aligned), bytes 1..3, and the carry out of each byte. The target is s with t_b0 dropped.
 */
export const targetLow = layout.add('t_lo');
export const targetBit0 = layout.add('t_b0');
export const sum = ['s1', 's2', 's3'].map((n) => layout.add(n));
export const carry = layout.addMany('c', 4);
/** The bytes of the link value pc + 4 written to rd. */
export const result = layout.addMany('r', 4);
