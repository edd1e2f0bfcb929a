import { col, cols, cpuColumns, defineLayout, readColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';
import { INPUT_WORDS } from './popcount.js';

/**
 * The layout of `popcount256`: one row per call (320 columns), declared once. `evaluate`
 * (air.ts) reads it as expressions with `layout.exprs(e)`, trace generation (trace.ts) writes it
 * as Uint32Array columns with `layout.trace(logSize)`, the component lists `layout.names`; a
 * misspelt column is a type error in each. The column names (`layout.shape.countLo.name` is
 * 'count_lo') are what the malicious prover of the tests addresses cells by.
 */
export const layout = defineLayout({
  /** sel, clk, pc and the one op flag is_ecall (the call is an `ecall` instruction). */
  cpu: cpuColumns({ is_ecall: Op.ECALL }),
  /** a7's read: its value is the constant 0x1800, so only the timestamp columns. */
  a7: { prevTs: col('a7_prev_ts'), lo: col('a7_lo'), hi: col('a7_hi') },
  /** a0 (the result pointer; overwritten with 0) and a1 (the input pointer): bytes, timestamps. */
  a0: readColumns('a0'),
  a1: readColumns('a1'),
  /** Byte 0 of each pointer divided by 4 (the pointers are word-aligned). */
  outQ: col('out_q'),
  inQ: col('in_q'),
  /** The input words' reads: previous timestamp, gap limbs, writable flag of the token. */
  input: Array.from({ length: INPUT_WORDS }, (_, k) => ({
    prevTs: col(`in${k}_prev_ts`),
    lo: col(`in${k}_lo`),
    hi: col(`in${k}_hi`),
    writable: col(`in${k}_w`),
  })),
  /** The 256 input bits: bit 32·k + i is bit i of input word k. The words' bytes are made of them. */
  bits: cols('bit', 32 * INPUT_WORDS),
  /** The result word's write: its bytes before, previous timestamp, gap limbs. */
  out: {
    prev: cols('out_prev', 4),
    prevTs: col('out_prev_ts'),
    lo: col('out_lo'),
    hi: col('out_hi'),
  },
  /** The result, count = count_lo + 256·count_hi (a byte and a bit): bytes 0 and 1 of the word. */
  countLo: col('count_lo'),
  countHi: col('count_hi'),
});
