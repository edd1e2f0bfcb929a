import {
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
/**
 * The address rs1 + imm (mod 2^32): byte 0 as o0 + 2·o1 + 4·q (the offset bits within the word
 * and the word index's low six bits), bytes 1..3, o01 = o0·o1, and the carries of the sum.
 */
export const address = {
  o0: layout.add('a_o0'),
  o1: layout.add('a_o1'),
  o01: layout.add('a_o01'),
  q: layout.add('a_q'),
  s: ['a_s1', 'a_s2', 'a_s3'].map((n) => layout.add(n)),
  carry: layout.addMany('a_c', 4),
};
/** The loaded value's bytes (written to rd). */
export const result = layout.addMany('r', 4);
/** The byte whose sign LB/LH extend (0 for the other ops), and that sign. */
export const top = layout.add('top');
export const sign = layout.add('sgn');
