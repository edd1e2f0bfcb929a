import {
  accessExprs,
  addCpuColumns,
  addReadColumns,
  BITWISE,
  BITWISE_PAIR,
  ColumnLayout,
  cpuExprs,
  evalCpu,
  evalRamAccess,
  evalRegisterAccess,
  TS_RD,
  TS_RS1,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { Op, PRECOMPILE_READ_SLOT, PRECOMPILE_WRITE_SLOT } from '@nexus/vm';
import { INPUT_WORDS, NUMBER } from './compute.js';

/** a7's value as the register file holds it: four little-endian bytes. */
const A7_BYTES = [NUMBER & 0xff, (NUMBER >>> 8) & 0xff, 0, 0];

/** The layout: one row per call. Trace generation and tests address cells by these names. */
export const layout = new ColumnLayout();
/** sel, clk, pc and the one op flag is_ecall (a call is an `ecall` instruction). */
export const cpu = addCpuColumns(layout, { is_ecall: Op.ECALL }, {});
/** a7's read: its value is the constant NUMBER, so only the timestamp columns. */
export const A7 = {
  prevTs: layout.add('a7_prev_ts'),
  lo: layout.add('a7_lo'),
  hi: layout.add('a7_hi'),
};
/** a0 (the result pointer; overwritten with 0) and a1 (the input pointer). */
export const A0 = addReadColumns(layout, 'a0');
export const A1 = addReadColumns(layout, 'a1');
/** Byte 0 of each pointer divided by 4 (the pointers are word-aligned). */
export const OUT_Q = layout.add('out_q');
export const IN_Q = layout.add('in_q');
/** The input words' reads: their bytes, previous timestamp, gap limbs, writable flag. */
export const IN = Array.from({ length: INPUT_WORDS }, (_, k) => ({
  bytes: layout.addMany(`in${k}_b`, 4),
  prevTs: layout.add(`in${k}_prev_ts`),
  lo: layout.add(`in${k}_lo`),
  hi: layout.add(`in${k}_hi`),
  writable: layout.add(`in${k}_w`),
}));
/** The result's bytes and the carry out of each byte (the last one is dropped: mod 2^32). */
export const RESULT = layout.addMany('r', 4);
export const CARRY = layout.addMany('carry', 4);
/** The result word's write: its bytes before, previous timestamp, gap limbs. */
export const OUT = {
  prev: layout.addMany('out_prev', 4),
  prevTs: layout.add('out_prev_ts'),
  lo: layout.add('out_lo'),
  hi: layout.add('out_hi'),
};

/** The word index of a pointer whose byte 0 is 4·q: q + 2^6·b1 + 2^14·b2 + 2^22·b3. */
const wordIndex = (q: Expr, bytes: readonly Expr[]) =>
  q
    .add(bytes[1]!.mul(64))
    .add(bytes[2]!.mul(1 << 14))
    .add(bytes[3]!.mul(1 << 22));

/**
 * The ecall row of a call. Every value is pinned (write the argument next to every constraint
 * you add: SOUNDNESS.md section 7.2 of the zkVM lists the author's duties):
 *
 * - The instruction: `evalCpu` looks (pc, ECALL) up in the program table and steps the exec
 *   bus (pc, clk) -> (pc + 4, clk + 1) with sel (boolean), so clk is unique and every timestamp
 *   4·clk + slot is below 2^30 + 4.
 * - The call: a7 is read at 4·clk with the constant value NUMBER: the row exists only if a7
 *   holds NUMBER (the register bus carries a7's real value).
 * - The pointers: a1 is read at 4·clk, a0 read and set to 0 ("done") at 4·clk + 2. Register
 *   bytes are bytes; byte 0 = 4·q with q a looked-up byte, so q <= 63, the pointer is aligned
 *   and its word index q + 2^6·b1 + 2^14·b2 + 2^22·b3 < 2^30 is an integer (index + 1 < p).
 * - The inputs: each word is read through the memory bus at 4·clk + 1 (the token taken is the
 *   word's current value: prevTs < ts by the gap limbs, range16/range11); its bytes are bytes
 *   (every writer of memory range-checks them). writable travels unchanged.
 * - The result: r_k + 256·c_k = x_k + y_k + c_(k-1) with c boolean and r_k looked up as bytes:
 *   both sides are integers <= 511 < p, so the equation holds over the integers and r is
 *   x + y mod 2^32 (c_3, the carry out, is dropped).
 * - The write: the result word, accessed at 4·clk + 3 with writable = 1 (no write to read-only
 *   memory), gets four checked bytes.
 * - Padding rows (sel = 0): every multiplicity is 0, every constraint holds on zeros.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const sel = c.sel;
  evalCpu(e, c, c.pc.add(4));
  const clk4 = c.clk.mul(4);
  const k = (v: number) => e.constant(v);

  const a7 = A7_BYTES.map(k);
  const a7Ts = { prevTs: e.col(A7.prevTs), lo: e.col(A7.lo), hi: e.col(A7.hi) };
  evalRegisterAccess(
    e,
    { reg: k(17), prev: a7, next: a7, ts: clk4.add(TS_RS1), ...a7Ts, multiplicity: sel },
    'a7',
  );
  const a0 = accessExprs(e, A0);
  const a1 = accessExprs(e, A1);
  const zero = [k(0), k(0), k(0), k(0)];
  const { prevTs: a1Ts, lo: a1Lo, hi: a1Hi } = a1;
  evalRegisterAccess(
    e,
    {
      reg: k(11),
      prev: a1.value,
      next: a1.value,
      ts: clk4.add(TS_RS1),
      prevTs: a1Ts,
      lo: a1Lo,
      hi: a1Hi,
      multiplicity: sel,
    },
    'a1',
  );
  evalRegisterAccess(
    e,
    {
      reg: k(10),
      prev: a0.value,
      next: zero,
      ts: clk4.add(TS_RD),
      prevTs: a0.prevTs,
      lo: a0.lo,
      hi: a0.hi,
      multiplicity: sel,
    },
    'a0',
  );
  const outQ = e.col(OUT_Q);
  const inQ = e.col(IN_Q);
  e.constraint(a0.value[0]!.sub(outQ.mul(4)), 'the result pointer is word-aligned');
  e.constraint(a1.value[0]!.sub(inQ.mul(4)), 'the input pointer is word-aligned');
  e.use(BITWISE, [BITWISE_PAIR, outQ, inQ, 0], sel);
  const inIndex = wordIndex(inQ, a1.value);

  const inputs = IN.map((w) => w.bytes.map((n) => e.col(n)));
  for (const [i, w] of IN.entries()) {
    evalRamAccess(
      e,
      {
        widx: inIndex.add(i),
        prev: inputs[i]!,
        next: inputs[i]!,
        writable: e.col(w.writable),
        ts: clk4.add(PRECOMPILE_READ_SLOT),
        prevTs: e.col(w.prevTs),
        lo: e.col(w.lo),
        hi: e.col(w.hi),
        multiplicity: sel,
      },
      `input word ${i}`,
    );
  }

  const r = RESULT.map((n) => e.col(n));
  const carry = CARRY.map((n) => e.col(n));
  for (let b = 0; b < 4; b++) {
    const carryIn = b === 0 ? k(0) : carry[b - 1]!;
    e.constraint(carry[b]!.mul(carry[b]!.sub(1)), `carry ${b} is boolean`);
    e.constraint(
      r[b]!.add(carry[b]!.mul(256)).sub(inputs[0]![b]!).sub(inputs[1]![b]!).sub(carryIn),
      `result byte ${b} = x + y + carry in`,
    );
  }
  e.use(BITWISE, [BITWISE_PAIR, r[0]!, r[1]!, 0], sel);
  e.use(BITWISE, [BITWISE_PAIR, r[2]!, r[3]!, 0], sel);

  evalRamAccess(
    e,
    {
      widx: wordIndex(outQ, a0.value),
      prev: OUT.prev.map((n) => e.col(n)),
      next: r,
      writable: k(1),
      ts: clk4.add(PRECOMPILE_WRITE_SLOT),
      prevTs: e.col(OUT.prevTs),
      lo: e.col(OUT.lo),
      hi: e.col(OUT.hi),
      multiplicity: sel,
    },
    'result word',
  );
}
