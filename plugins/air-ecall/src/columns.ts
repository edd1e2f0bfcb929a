import { col, cols, cpuColumns, defineLayout, readColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

export const layout = defineLayout({
  cpu: cpuColumns({ is_ecall: Op.ECALL }),
  /** The syscall, one-hot: chosen by a7 (93 exit, 63 read, 64 write). */
  isExit: col('is_exit'),
  isRead: col('is_read'),
  isWrite: col('is_write'),
  /** The four argument registers, read at 4·clk. */
  a7: readColumns('a7'),
  a0: readColumns('a0'),
  a1: readColumns('a1'),
  a2: readColumns('a2'),
  /** read: fd 3 (public) rather than 0 (private); write: fd 2 (log) rather than 1 (output). */
  isPublic: col('is_public'),
  isLog: col('is_log'),
  /** Bytes transferred (the result written to a0), as bytes. */
  n: cols('n', 4),
  /** len - n as bytes with borrows: proves n <= len. */
  d: cols('d', 4),
  borrow: cols('borrow', 4),
  /** 1 when n < len (the tape ran out), with the inverse witness of the difference's byte sum. */
  short: col('short'),
  shortInv: col('short_inv'),
  publicShort: col('public_short'),
  /** The tape register (32..35) and its (position, ended) before the call. */
  tapeReg: col('tape_reg'),
  pos: col('pos'),
  ended: col('ended'),
  newEnded: col('new_ended'),
  tapePrevTs: col('tape_prev_ts'),
  tapeLo: col('tape_lo'),
  tapeHi: col('tape_hi'),
});
