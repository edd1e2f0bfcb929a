import { addCpuColumns, addReadColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a store row (SB, SH, SW). */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(
  layout,
  { is_sb: Op.SB, is_sh: Op.SH, is_sw: Op.SW },
  { rs1: true, rs2: true, imm: true },
);
export const rs1 = addReadColumns(layout, 'rs1');
export const rs2 = addReadColumns(layout, 'rs2');
/**
 * The RAM word before the store and the timestamp witnesses of the access. There is no
 * writable column: a store passes the constant 1, so it can only touch writable words.
 */
export const mem = {
  prev: layout.addMany('mem_prev', 4),
  prevTs: layout.add('mem_prev_ts'),
  lo: layout.add('mem_lo'),
  hi: layout.add('mem_hi'),
};
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
/** The word after the store. */
export const next = layout.addMany('n', 4);
