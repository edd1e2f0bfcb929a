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
import { INPUT_WORDS, POPCOUNT256 } from './popcount.js';

/** a7's value as the register file holds it: four little-endian bytes. */
const A7_BYTES = [POPCOUNT256 & 0xff, (POPCOUNT256 >>> 8) & 0xff, 0, 0];

/** The word index of a pointer whose byte 0 is 4·q: q + 2^6·b1 + 2^14·b2 + 2^22·b3. */
const wordIndex = (q: Expr, bytes: readonly Expr[]) =>
  q
    .add(bytes[1]!.mul(64))
    .add(bytes[2]!.mul(1 << 14))
    .add(bytes[3]!.mul(1 << 22));

/**
 * `popcount256`: the ecall row of a popcount256 call, a0 = pointer to the result word (written),
 * a1 = pointer to 8 input words (read). Everything the row claims, and why it is pinned:
 *
 * 1. The instruction. `evalCpu` looks (pc, ECALL, 0, ...) up in the program table, so the row
 *    executes an `ecall` the program holds at pc, and takes (pc, clk) off the exec bus and puts
 *    (pc + 4, clk + 1) back, with sel (constrained boolean: multiplicities 0 or 1). So the row
 *    is the step at cycle clk of the one execution, and clk is unique (SOUNDNESS.md 4.1), which
 *    keeps every timestamp 4·clk + slot below 2^30 + 4 and distinct from other rows'.
 * 2. Which call. a7 is read at 4·clk with the constant value 0x1800 (bytes 0x00, 0x18, 0, 0):
 *    the register bus holds a7's real value, so the row exists only when a7 = 0x1800 (and the
 *    ecall family, which allows only a7 in {93, 63, 64}, cannot take this cycle instead).
 * 3. The pointers. a1 is read at 4·clk; a0 is read and overwritten with 0 ("done") in one
 *    access at 4·clk + 2 (the VM's last touch of a0 in this cycle). Register bytes are bytes (the
 *    register file's invariant, SOUNDNESS.md 4.3). Byte 0 of each pointer equals 4·q with q
 *    looked up as a byte (bitwise pair), so over the integers 4·q <= 255, q <= 63 and the
 *    pointer is 4-aligned (a misaligned pointer, where the VM faults, has no witness). The word
 *    index q + 2^6·b1 + 2^14·b2 + 2^22·b3 <= 63 + 2^6·255 + 2^14·255 + 2^22·255 < 2^30 is the
 *    pointer / 4 as an integer, and index + 7 < 2^30 + 7 < p: no sum below wraps mod p, and no
 *    index aliases a mapped word (SOUNDNESS.md 7.2, aliasing).
 * 4. The input. Word k (index in + k) is read at 4·clk + 1 through the memory bus: the row
 *    takes the token (in + k, bytes, prevTs, writable) and puts (in + k, bytes, 4·clk + 1,
 *    writable) back, with prevTs < 4·clk + 1 proven by the gap limbs (lo and 8·hi in range16:
 *    `evalTimestampIncrease`, which relies on every range16 value being below 2^16 and on
 *    timestamps below 2^30 + 4). So the bytes are the word's current value: never a stale one, never an unmapped
 *    word (no token). The eight words are distinct (consecutive indices), so no two accesses
 *    share a (word, timestamp). writable is not constrained: it is whatever the token carries
 *    (input may be read-only memory) and it is put back unchanged.
 * 5. The bits. Each bit is constrained boolean; byte b of word k is Σ_j 2^j·bit(32k + 8b + j),
 *    an integer in [0, 255], and a byte has exactly one such decomposition: the bits are the
 *    word's bits.
 * 6. The result. count_lo + 256·count_hi = Σ of the 256 bits, with count_hi boolean and count_lo
 *    looked up as a byte: the left side is an integer <= 255 + 256 = 511 and the right side an
 *    integer <= 256, both below p, so the equation holds over the integers and (count_lo,
 *    count_hi) is the count in base 256, unique. Without the byte check count_hi = 1 with
 *    count_lo = count - 256 (mod p) would pass: a word that is not four bytes (test: "range").
 * 7. The write. The result word (index out) is accessed at 4·clk + 3 like a store: the row takes
 *    (out, previous bytes, prevTs, 1) and puts (out, count_lo, count_hi, 0, 0, 4·clk + 3, 1)
 *    back: four checked bytes (count_lo looked up, count_hi a bit, two constants); writable is
 *    the constant 1, so read-only memory cannot be written. The previous bytes are whatever the
 *    token holds (bytes by the memory invariant) and do not enter the result. If out lies inside
 *    the input, its two accesses are at +1 and +3: distinct timestamps, in the VM's order.
 * 8. Padding. On rows with sel = 0 every multiplicity is 0 and every constraint holds on an
 *    all-zero row (the sum and the alignment equations included).
 *
 * Constraints are of degree 2; every bus tuple is linear in the columns.
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const sel = c.sel;
  evalCpu(e, c, c.pc.add(4));
  const clk4 = c.clk.mul(4);
  const k = (v: number) => e.constant(v);

  // 2. a7 = 0x1800, read at 4·clk.
  const a7 = A7_BYTES.map(k);
  evalRegisterAccess(
    e,
    {
      reg: k(17),
      prev: a7,
      next: a7,
      ts: clk4.add(TS_RS1),
      ...cols.a7,
      multiplicity: sel,
    },
    'a7',
  );

  // 3. The pointers: a1 read at 4·clk; a0 read and set to 0 at 4·clk + 2.
  const { a0, a1, outQ, inQ, bits } = cols;
  evalRegisterAccess(
    e,
    {
      reg: k(11),
      prev: a1.value,
      next: a1.value,
      ts: clk4.add(TS_RS1),
      ...limbs(a1),
      multiplicity: sel,
    },
    'a1',
  );
  evalRegisterAccess(
    e,
    {
      reg: k(10),
      prev: a0.value,
      next: [k(0), k(0), k(0), k(0)],
      ts: clk4.add(TS_RD),
      ...limbs(a0),
      multiplicity: sel,
    },
    'a0',
  );
  e.constraint(a0.value[0]!.sub(outQ.mul(4)), 'the result pointer is word-aligned');
  e.constraint(a1.value[0]!.sub(inQ.mul(4)), 'the input pointer is word-aligned');
  e.use(BITWISE, [BITWISE_PAIR, outQ, inQ, 0], sel); // q's are bytes, so q <= 63
  const outIndex = wordIndex(outQ, a0.value);
  const inIndex = wordIndex(inQ, a1.value);

  // 5. The bits, boolean; their sum.
  let sum: Expr = k(0);
  for (const [i, b] of bits.entries()) {
    e.constraint(b.mul(b.sub(1)), `bit ${i} is boolean`);
    sum = sum.add(b);
  }

  // 4. The input words, read at 4·clk + 1 with bytes made of the bits.
  for (let w = 0; w < INPUT_WORDS; w++) {
    const bytes = [0, 1, 2, 3].map((b) => {
      let v: Expr = bits[32 * w + 8 * b]!;
      for (let j = 1; j < 8; j++) v = v.add(bits[32 * w + 8 * b + j]!.mul(1 << j));
      return v; // in [0, 255]
    });
    evalRamAccess(
      e,
      {
        widx: inIndex.add(w), // < 2^30 + 7 < p
        prev: bytes,
        next: bytes,
        ts: clk4.add(PRECOMPILE_READ_SLOT),
        ...cols.input[w]!, // prevTs, lo, hi and the token's writable flag
        multiplicity: sel,
      },
      `input word ${w}`,
    );
  }

  // 6. The result: count_lo + 256·count_hi = Σ bits (<= 511 and <= 256: over the integers).
  const { countLo: lo, countHi: hi } = cols;
  e.constraint(hi.mul(hi.sub(1)), 'count_hi is boolean');
  e.constraint(lo.add(hi.mul(256)).sub(sum), 'count = the number of set bits');
  e.use(BITWISE, [BITWISE_PAIR, lo, hi, 0], sel); // count_lo is a byte

  // 7. The result word, written at 4·clk + 3 to writable memory.
  evalRamAccess(
    e,
    {
      widx: outIndex,
      prev: cols.out.prev,
      next: [lo, hi, k(0), k(0)],
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

/** The timestamp columns of a register access, as evalRegisterAccess takes them. */
function limbs(a: { prevTs: Expr; lo: Expr; hi: Expr }) {
  return { prevTs: a.prevTs, lo: a.lo, hi: a.hi };
}
