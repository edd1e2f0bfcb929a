import { addAddressColumns, addCpuColumns, addReadColumns, ColumnLayout } from '@nexus/air-common';
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
/** The address rs1 + imm and its word index and offset (see air-common's evalAddress). */
export const address = addAddressColumns(layout);
/** The word after the store. */
export const next = layout.addMany('n', 4);
