import { addCpuColumns, addReadColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

export const layout = new ColumnLayout();
export const cpu = addCpuColumns(layout, { is_ecall: Op.ECALL }, {});
/** The syscall, one-hot: chosen by a7 (93 exit, 63 read, 64 write). */
export const IS_EXIT = layout.add('is_exit');
export const IS_READ = layout.add('is_read');
export const IS_WRITE = layout.add('is_write');
/** The four argument registers, read at 4·clk. */
export const a7 = addReadColumns(layout, 'a7');
export const a0 = addReadColumns(layout, 'a0');
export const a1 = addReadColumns(layout, 'a1');
export const a2 = addReadColumns(layout, 'a2');
/** read: fd 3 (public) rather than 0 (private); write: fd 2 (log) rather than 1 (output). */
export const IS_PUBLIC = layout.add('is_public');
export const IS_LOG = layout.add('is_log');
/** Bytes transferred (the result written to a0), as bytes. */
export const N = layout.addMany('n', 4);
/** len - n as bytes with borrows: proves n <= len. */
export const D = layout.addMany('d', 4);
export const BORROW = layout.addMany('borrow', 4);
/** 1 when n < len (the tape ran out), with the inverse witness of the difference's byte sum. */
export const SHORT = layout.add('short');
export const SHORT_INV = layout.add('short_inv');
export const PUBLIC_SHORT = layout.add('public_short');
/** The tape register (32..35) and its (position, ended) before the call. */
export const TAPE_REG = layout.add('tape_reg');
export const POS = layout.add('pos');
export const ENDED = layout.add('ended');
export const NEW_ENDED = layout.add('new_ended');
export const TAPE_PREV_TS = layout.add('tape_prev_ts');
export const TAPE_LO = layout.add('tape_lo');
export const TAPE_HI = layout.add('tape_hi');
