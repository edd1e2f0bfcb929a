import { col, cols, cpuColumns, defineLayout, readColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';
import { INPUT_WORDS } from './compute.js';

/**
 * The layout: one row per call, declared once. `evaluate` (air.ts) reads it as expressions with
 * `layout.exprs(e)`, trace generation (trace.ts) writes it as Uint32Array columns with
 * `layout.trace(logSize)`, the component lists `layout.names`: a misspelt column is a type
 * error, and the order is written nowhere else. Tests read a trace with `layout.bind(columns)`.
 */
export const layout = defineLayout({
  /** sel, clk, pc and the one op flag is_ecall (a call is an `ecall` instruction). */
  cpu: cpuColumns({ is_ecall: Op.ECALL }),
  /** a7's read: its value is the constant NUMBER, so only the timestamp columns. */
  a7: { prevTs: col('a7_prev_ts'), lo: col('a7_lo'), hi: col('a7_hi') },
  /** a0 (the result pointer; overwritten with 0) and a1 (the input pointer). */
  a0: readColumns('a0'),
  a1: readColumns('a1'),
  /** Byte 0 of each pointer divided by 4 (the pointers are word-aligned). */
  outQ: col('out_q'),
  inQ: col('in_q'),
  /** The input words' reads: their bytes, previous timestamp, gap limbs, writable flag. */
  input: Array.from({ length: INPUT_WORDS }, (_, k) => ({
    bytes: cols(`in${k}_b`, 4),
    prevTs: col(`in${k}_prev_ts`),
    lo: col(`in${k}_lo`),
    hi: col(`in${k}_hi`),
    writable: col(`in${k}_w`),
  })),
  /** The result's bytes and the carry out of each byte (the last one is dropped: mod 2^32). */
  result: cols('r', 4),
  carry: cols('carry', 4),
  /** The result word's write: its bytes before, previous timestamp, gap limbs. */
  out: {
    prev: cols('out_prev', 4),
    prevTs: col('out_prev_ts'),
    lo: col('out_lo'),
    hi: col('out_hi'),
  },
});
