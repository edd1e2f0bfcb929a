import { evalBytes, evalTimestampIncrease, RAM } from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { PRECOMPILE_READ_SLOT, PRECOMPILE_WRITE_SLOT } from '@nexus/vm';
import { SHA256_CALL, SHA256_SCHEDULE } from './relations.js';
import { layout } from './rounds-columns.js';

const xor2 = (x: Expr, y: Expr) => x.add(y).sub(x.mul(y).mul(2));
const xor3 = (x: Expr, y: Expr, z: Expr) => xor2(xor2(x, y), z);
/** Bit i of a rotation right by n / a shift right by n. */
const rotr = (x: readonly Expr[], n: number) => (i: number) => x[(i + n) % 32]!;
const shr = (x: readonly Expr[], n: number, zero: Expr) => (i: number) =>
  i + n < 32 ? x[i + n]! : zero;

/** The 16-bit half h (0 low, 1 high) of a 32-bit value given bit by bit. */
function half(bit: (i: number) => Expr, h: number): Expr {
  let v = bit(16 * h);
  for (let i = 1; i < 16; i++) v = v.add(bit(16 * h + i).mul(2 ** i));
  return v;
}

/** Byte k of a 32-bit value given as bits (weight 2^i), little-endian. */
function byteOf(bits: readonly Expr[], k: number): Expr {
  let v = bits[8 * k]!;
  for (let j = 1; j < 8; j++) v = v.add(bits[8 * k + j]!.mul(2 ** j));
  return v;
}

/** A carry given as bits: Σ 2^j c_j. */
const carry = (bits: readonly Expr[]) => bits.reduce((acc, b, j) => acc.add(b.mul(2 ** j)));

/**
 * `sha256-rounds`: the SHA-256 compression of each sha256_compress call, 68 rows per call (see
 * rounds-columns.ts for the row plan). Why every value is pinned:
 *
 * - Row kinds. Each real row looks (idx, start, init, msg, sched, K_t) up in the fixed schedule
 *   table, so its kind and round constant match its idx in 0..67. A row that is not a start
 *   continues the row before: same clk, ps, pb, idx one more, a real row. A start row takes
 *   (clk, ps, pb) off the call bus, which only the call's ecall row yields, once. Each init row
 *   j also sees, 64 rows on, a real row of the same clk with idx j + 64: so every call has all
 *   68 rows, consecutive (cyclically), and no row exists outside a call.
 * - Bits. a, e, W and every carry are bits; Σ0, Σ1, ch, maj, σ0, σ1 are their definitions on
 *   the bits, on every row (degree 3, ungated: padding is zero and stays consistent).
 * - Arithmetic mod 2^32 in 16-bit halves: half + 2^16·carry = Σ terms, with at most 7 terms
 *   below 2^16 and a carry below 8, so both sides stay below 2^19 < p and the equation holds
 *   over the integers; the carry out of the high half is the dropped 2^32.
 * - Rounds (msg and sched rows): e' = d + T1 and a' = T1 + Σ0(a) + maj(a, b, c), with
 *   T1 = h + Σ1(e) + ch(e, f, g) + K_t + W_t; a..d are the a of rows -1..-4, e..h the e.
 * - Schedule (sched rows, t >= 16): W_t = σ1(W_t-2) + W_t-7 + σ0(W_t-15) + W_t-16.
 * - Memory: msg rows read block word t at pb + t (4·clk + 1) as W_t's big-endian bytes; init
 *   row j reads state words H_3-j and H_7-j (its a and e, little-endian bytes) and writes
 *   H + a_64-... and H + e_64-... (its a and e plus those 64 rows on) at 4·clk + 3, as checked
 *   bytes; the state words are written with writable = 1, so read-only memory cannot be.
 */
export function evaluate(e: EvalContext): void {
  // The AIR reads rows up to 16 back and 64 on: the layout bound at each offset it reads, once.
  const at = layout.exprsAt(e);
  const row = at(0);
  const zero = e.constant(0);
  const one = e.constant(1);
  const bool = (x: Expr, label: string) => e.constraint(x.mul(x.sub(1)), `${label} is boolean`);

  const sel = row.SEL;
  const clk = row.CLK;
  const ps = row.PS;
  const pb = row.PB;
  const idx = row.IDX;
  const start = row.START;
  const init = row.INIT;
  const msg = row.MSG;
  const sched = row.SCHED;
  const round = msg.add(sched);
  const a = row.A;
  const eb = row.E;
  const w = row.W;

  bool(sel, 'sel');
  for (const [name, bits] of [
    ['a', row.A],
    ['e', row.E],
    ['w', row.W],
    ['ca_lo', row.CA[0]],
    ['ca_hi', row.CA[1]],
    ['ce_lo', row.CE[0]],
    ['ce_hi', row.CE[1]],
    ['cw_lo', row.CW[0]],
    ['cw_hi', row.CW[1]],
    ['oa', row.OA],
    ['oe', row.OE],
  ] as const) {
    for (const [i, bit] of bits.entries()) bool(bit, `${name} bit ${i}`);
  }

  // Row kinds from the schedule table; padding rows have none.
  e.use(SHA256_SCHEDULE, [idx, start, init, msg, sched, row.K_LO, row.K_HI], sel);
  for (const [f, l] of [
    [start, 'start'],
    [init, 'init'],
    [msg, 'msg'],
    [sched, 'sched'],
  ] as const) {
    e.constraint(f.mul(one.sub(sel)), `${l} only on real rows`);
  }

  // One call's rows are consecutive: a row that is not a start continues the row before.
  const cont = sel.sub(start);
  e.constraint(cont.mul(one.sub(at(-1).SEL)), 'a continuing row follows a real row');
  e.constraint(cont.mul(idx.sub(at(-1).IDX).sub(1)), 'idx counts up within a call');
  for (const n of ['CLK', 'PS', 'PB'] as const)
    e.constraint(
      cont.mul(row[n].sub(at(-1)[n])),
      `${layout.shape[n].name} is constant within a call`,
    );
  e.use(SHA256_CALL, [clk, ps, pb], start);
  // ... and reach 64 rows past every init row (so all 68 exist).
  e.constraint(init.mul(one.sub(at(64).SEL)), 'the round 64 rows on exists');
  e.constraint(init.mul(at(64).CLK.sub(clk)), 'the row 64 on belongs to the same call');
  e.constraint(init.mul(at(64).IDX.sub(idx).sub(64)), 'the row 64 on is idx + 64');

  // The bit functions, on every row.
  const aPrev1 = at(-1).A;
  const aPrev2 = at(-2).A;
  const ePrev1 = at(-1).E;
  const ePrev2 = at(-2).E;
  const defs: [readonly Expr[], (i: number) => Expr, string][] = [
    [row.S0, (i) => xor3(rotr(a, 2)(i), rotr(a, 13)(i), rotr(a, 22)(i)), 'Σ0(a)'],
    [row.S1, (i) => xor3(rotr(eb, 6)(i), rotr(eb, 11)(i), rotr(eb, 25)(i)), 'Σ1(e)'],
    [
      row.CH,
      (i) => eb[i]!.mul(ePrev1[i]!).add(one.sub(eb[i]!).mul(ePrev2[i]!)),
      'ch(e, e@-1, e@-2)',
    ],
    [
      row.MAJ,
      (i) => {
        const x = a[i]!;
        const y = aPrev1[i]!;
        const z = aPrev2[i]!;
        return x.mul(y).add(x.mul(z)).add(y.mul(z)).sub(x.mul(y).mul(z).mul(2));
      },
      'maj(a, a@-1, a@-2)',
    ],
    [row.s0, (i) => xor3(rotr(w, 7)(i), rotr(w, 18)(i), shr(w, 3, zero)(i)), 'σ0(W)'],
    [row.s1, (i) => xor3(rotr(w, 17)(i), rotr(w, 19)(i), shr(w, 10, zero)(i)), 'σ1(W)'],
  ];
  for (const [names, bit, label] of defs) {
    for (let h = 0; h < 2; h++) e.constraint(names[h]!.sub(half(bit, h)), `${label} half ${h}`);
  }

  // The round: new e and a in halves, with their carries.
  /** Half h of the word whose bits are column group `bits` (A, E or W), `o` rows on. */
  const val = (bits: 'A' | 'E' | 'W', h: number, o: number) => half((i) => at(o)[bits][i]!, h);
  const ce = row.CE.map((bits) => carry(bits));
  const ca = row.CA.map((bits) => carry(bits));
  const cw = row.CW.map((bits) => carry(bits));
  const K = [row.K_LO, row.K_HI];
  for (let h = 0; h < 2; h++) {
    const carryIn = h === 0 ? zero : null;
    const t1 = val('E', h, -4)
      .add(at(-1).S1[h]!)
      .add(at(-1).CH[h]!)
      .add(K[h]!)
      .add(val('W', h, 0));
    const inE = carryIn ?? ce[0]!;
    const inA = carryIn ?? ca[0]!;
    e.constraint(
      round.mul(
        val('E', h, 0)
          .add(ce[h]!.mul(65536))
          .sub(val('A', h, -4))
          .sub(t1)
          .sub(inE),
      ),
      `round: e = d + T1, half ${h}`,
    );
    e.constraint(
      round.mul(
        val('A', h, 0)
          .add(ca[h]!.mul(65536))
          .sub(t1)
          .sub(at(-1).S0[h]!)
          .sub(at(-1).MAJ[h]!)
          .sub(inA),
      ),
      `round: a = T1 + Σ0(a) + maj(a, b, c), half ${h}`,
    );
    e.constraint(
      sched.mul(
        val('W', h, 0)
          .add(cw[h]!.mul(65536))
          .sub(at(-2).s1[h]!)
          .sub(val('W', h, -7))
          .sub(at(-15).s0[h]!)
          .sub(val('W', h, -16))
          .sub(h === 0 ? zero : cw[0]!),
      ),
      `schedule: W_t = σ1(W_t-2) + W_t-7 + σ0(W_t-15) + W_t-16, half ${h}`,
    );
  }

  // Memory access 1: the message word (msg rows) or the a-chain state word (init rows).
  const m1Widx = row.M1_WIDX;
  const m1Prev = row.M1_PREV;
  const m1Next = row.M1_NEXT;
  const m1W = row.M1_W;
  e.constraint(msg.mul(m1Widx.sub(pb).sub(idx).add(4)), 'msg: block word t at pb + t');
  e.constraint(init.mul(m1Widx.sub(ps).sub(3).add(idx)), 'init: state word 3 - j at ps');
  e.constraint(init.mul(m1W.sub(1)), 'init: the state is writable');
  for (let k = 0; k < 4; k++) {
    // Memory byte k of a message word is W's byte 3 - k (big-endian).
    e.constraint(msg.mul(m1Prev[k]!.sub(byteOf(w, 3 - k))), `msg: byte ${k} is W's`);
    e.constraint(msg.mul(m1Next[k]!.sub(m1Prev[k]!)), `msg: byte ${k} is unchanged`);
    e.constraint(init.mul(m1Prev[k]!.sub(byteOf(a, k))), `init: byte ${k} is a's`);
  }
  const oa = row.OA;
  const oe = row.OE;
  const m2Next = row.M2_NEXT;
  for (const [next, c, bits, label] of [
    [m1Next, oa, 'A', 'a'],
    [m2Next, oe, 'E', 'e'],
  ] as const) {
    for (let h = 0; h < 2; h++) {
      e.constraint(
        init.mul(
          next[2 * h]!.add(next[2 * h + 1]!.mul(256))
            .add(c[h]!.mul(65536))
            .sub(val(bits, h, 0))
            .sub(val(bits, h, 64))
            .sub(h === 0 ? zero : c[0]!),
        ),
        `init: new state word = ${label} + ${label} 64 rows on, half ${h}`,
      );
    }
    evalBytes(e, next, init);
  }
  const mult1 = init.add(msg);
  const ts1 = clk
    .mul(4)
    .add(PRECOMPILE_READ_SLOT)
    .add(init.mul(PRECOMPILE_WRITE_SLOT - PRECOMPILE_READ_SLOT));
  e.use(RAM, [m1Widx, ...m1Prev, row.M1_PREV_TS, m1W], mult1);
  e.yield(RAM, [m1Widx, ...m1Next, ts1, m1W], mult1);
  evalTimestampIncrease(
    e,
    { ts: ts1, prevTs: row.M1_PREV_TS, lo: row.M1_LO, hi: row.M1_HI, multiplicity: mult1 },
    'memory access 1',
  );

  // Memory access 2 (init rows): the e-chain state word H_7-j.
  const m2Widx = ps.add(7).sub(idx);
  const ts2 = clk.mul(4).add(PRECOMPILE_WRITE_SLOT);
  const eBytes = [0, 1, 2, 3].map((k) => byteOf(eb, k));
  e.use(RAM, [m2Widx, ...eBytes, row.M2_PREV_TS, one], init);
  e.yield(RAM, [m2Widx, ...m2Next, ts2, one], init);
  evalTimestampIncrease(
    e,
    { ts: ts2, prevTs: row.M2_PREV_TS, lo: row.M2_LO, hi: row.M2_HI, multiplicity: init },
    'memory access 2',
  );
}
