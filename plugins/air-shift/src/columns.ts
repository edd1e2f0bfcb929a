import { addCpuColumns, addReadColumns, addWriteColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a shift row (SLL, SRL, SRA, SLLI, SRLI, SRAI). */
export const layout = new ColumnLayout();
/**
 * The instruction row. The immediate of a shift is its shift amount (0..31, the decoder rejects
 * larger ones), so only its low byte needs a column: the program tuple's other immediate bytes
 * are 0 and its field value equals that byte (see air.ts).
 */
export const cpu = addCpuColumns(
  layout,
  {
    is_sll: Op.SLL,
    is_srl: Op.SRL,
    is_sra: Op.SRA,
    is_slli: Op.SLLI,
    is_srli: Op.SRLI,
    is_srai: Op.SRAI,
  },
  { rd: true, rs1: true, rs2: true },
);
export const imm0 = layout.add('imm0');
export const rs1 = addReadColumns(layout, 'rs1');
export const rs2 = addReadColumns(layout, 'rs2');
export const rd = addWriteColumns(layout, 'rd');
/** The shift amount s = m + 8·q: the bits of m (0..7) and a one-hot q (0..3). */
export const bits = layout.addMany('m', 3);
export const byteShift = layout.addMany('g', 4);
/** Bits 5..7 of the shift byte, which the instruction ignores. */
export const ignored = layout.add('t');
/** 2^m (left shifts multiply by it) and 2^(8-m) (right shifts multiply by it). */
export const powLeft = layout.add('pow_l');
export const powRight = layout.add('pow_r');
/** a_k times the multiplier, split as lo_k + 256·hi_k. */
export const lo = layout.addMany('lo', 4);
export const hi = layout.addMany('hi', 4);
/** rs1's top bit, the other 7 bits of its top byte, and the fill bit of SRA/SRAI. */
export const msb = layout.add('msb');
export const low7 = layout.add('low7');
export const sign = layout.add('sgn');
/** The result bytes (written to rd). */
export const result = layout.addMany('r', 4);
