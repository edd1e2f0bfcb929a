import {
  BITWISE,
  BITWISE_PAIR,
  cpuExprs,
  evalCpu,
  evalRamAccess,
  evalRegisterAccess,
  TS_RD,
  TS_RS1,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { PRECOMPILE_READ_SLOT, PRECOMPILE_WRITE_SLOT } from '@nexus/vm';
import { layout } from './columns.js';
import { NUMBER } from './compute.js';

/** a7's value as the register file holds it: four little-endian bytes. */
const A7_BYTES = [NUMBER & 0xff, (NUMBER >>> 8) & 0xff, 0, 0];

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
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const sel = c.sel;
  evalCpu(e, c, c.pc.add(4));
  const clk4 = c.clk.mul(4);
  const k = (v: number) => e.constant(v);

  const a7 = A7_BYTES.map(k);
  evalRegisterAccess(
    e,
    { reg: k(17), prev: a7, next: a7, ts: clk4.add(TS_RS1), ...cols.a7, multiplicity: sel },
    'a7',
  );
  const { a0, a1, outQ, inQ, result: r, carry } = cols;
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
  e.constraint(a0.value[0]!.sub(outQ.mul(4)), 'the result pointer is word-aligned');
  e.constraint(a1.value[0]!.sub(inQ.mul(4)), 'the input pointer is word-aligned');
  e.use(BITWISE, [BITWISE_PAIR, outQ, inQ, 0], sel);
  const inIndex = wordIndex(inQ, a1.value);

  const inputs = cols.input.map((w) => w.bytes);
  for (const [i, w] of cols.input.entries()) {
    evalRamAccess(
      e,
      {
        widx: inIndex.add(i),
        prev: inputs[i]!,
        next: inputs[i]!,
        writable: w.writable,
        ts: clk4.add(PRECOMPILE_READ_SLOT),
        prevTs: w.prevTs,
        lo: w.lo,
        hi: w.hi,
        multiplicity: sel,
      },
      `input word ${i}`,
    );
  }

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
      prev: cols.out.prev,
      next: r,
      writable: k(1),
      ts: clk4.add(PRECOMPILE_WRITE_SLOT),
      prevTs: cols.out.prevTs,
      lo: cols.out.lo,
      hi: cols.out.hi,
      multiplicity: sel,
    },
    'result word',
  );
}
