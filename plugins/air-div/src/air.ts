import {
  accessExprs,
  cpuExprs,
  evalBytes,
  evalCpu,
  evalRegisterAccess,
  RANGE11,
  TS_RD,
  TS_RS1,
  TS_RS2,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import {
  bInv,
  bZero,
  carry,
  cpu,
  low7A,
  low7B,
  low7R,
  msbA,
  msbB,
  msbR,
  quotient,
  rd,
  remainder,
  rs1,
  rs2,
  signA,
  signB,
  signQ,
  signR,
  slack,
  slackCarry,
  written,
} from './columns.js';

/**
 * DIV, DIVU (rd = q) and REM, REMU (rd = r), a = rs1, b = rs2, signed (DIV, REM) or unsigned.
 * Every row proves the whole division: q and r are both columns, rd receives one of them.
 *
 * Values. a_s, b_s, r_s are a, b, r read with their sign bits sa, sb, sr (x - 2^32·s; the sign
 * bits are 0 on unsigned ops), Q = q - 2^32·sq the quotient as an integer. Top bits: x_3 =
 * 128·mx + lx with mx a bit and 2·lx a checked byte (lx = x_3 - 128·mx lies in (-128, 256) and
 * 2·lx is a byte only for 0 <= lx < 128), so mx is x's top bit; sx = signed·mx.
 *
 * (1) a_s = b_s·Q + r_s over the integers. Extending each value to 8 bytes (byte i >= 4 is
 *     255·s) makes it ≡ its signed value mod 2^64, and the schoolbook columns k = 0..7
 *       Σ_(i+j=k) B_i·Q_j + R_k + c_(k-1) = A_k + 256·c_k,  c_(-1) = 0,
 *     with checked bytes q, r (a, b come from the register bus) and carries checked below 2^11,
 *     hold over the integers (both sides stay below 8·255² + 255 + 2047 + 256·2047 < 2^20 << p)
 *     and sum to b_s·Q + r_s ≡ a_s (mod 2^64) (c_7 is checked too, or byte 7 would be free).
 *     The difference b_s·Q + r_s - a_s is below 2^64 in size, so the congruence is an
 *     equality: signed, |b_s| <= 2^31 and |Q| <= 2^32 give |b_s·Q| <= 2^63, and |r_s - a_s| <
 *     2^32; unsigned (sq = 0 is forced), 0 <= b·Q <= (2^32 - 1)² = 2^64 - 2^33 + 1 and
 *     |r - a| < 2^32. Honest carries stay at most 2041.
 * (2) b = 0 is bz: with bsum = b_0 + b_1 + b_2 + b_3 (zero exactly when b = 0, as bsum <= 1020
 *     < p), bsum·binv = sel - bz, bz·bsum = 0 and bz·binv = 0: if bsum ≠ 0 then bz = 0 and
 *     binv = 1/bsum; if bsum = 0 then bz = sel and binv = 0. So bz is b's zero flag, and binv is
 *     determined. When bz = 1, q = 0xffffffff byte by byte (the spec's quotient) and sq = 0;
 *     (1) with b = 0 gives r_s = a_s: r = a, the spec's remainder.
 * (3) When b ≠ 0: 0 <= |r_s| < |b_s|, and r_s = 0 or has a_s's sign. Signs: (1 - sa)·sr = 0
 *     (a >= 0 gives r >= 0) and sa·(1 - sr)·(r_0 + r_1 + r_2 + r_3) = 0 (a < 0 gives r < 0 or
 *     r = 0). Magnitudes: |x| = (1 - 2·sx)·x + 2^32·sx (for sx = 1 that is 2^32 - x = -x_s; |b|
 *     = 2^31 for b = INT_MIN), and
 *       D = |b| - |r| - 1 + 2^32·bz
 *     is shown to be in [0, 2^32) by its checked bytes d_k and the byte-wise chain
 *       (1 - 2sb)·b_k - (1 - 2sr)·r_k - d_k - [k = 0] + e_(k-1) = 256·e_k   (k = 0..3)
 *     with e_3 = sr - sb - bz (the 2^32 terms) and e_0..e_2 + 3 checked bytes: each side is
 *     below 2^16 in size, so the equations hold over the integers and telescope to D = Σ d_k·
 *     256^k. With bz = 0 that is |r| < |b|; with bz = 1 it only asks |r| <= 2^32 - 1, which
 *     r = a meets.
 * With b ≠ 0, (1) and (3) make (Q, r_s) the truncating division of a_s by b_s, which is unique;
 * Q ∈ [-2^31, 2^31] (2^31 only for INT_MIN / -1), and q = Q mod 2^32 (q's bytes with sq chosen
 * so that Q = q - 2^32·sq): the spec's quotient, INT_MIN for the overflow case, whose remainder
 * is 0. sq needs no link to q's top bit: (1) and (3) pin Q, and q, sq are its only encoding.
 *
 * rd receives w = (is_div + is_divu)·q + (is_rem + is_remu)·r: one of two checked byte
 * vectors (the op flags are one-hot on real rows), linear columns for the register bus.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const isDiv = c.flags.get(Op.DIV)!;
  const isDivu = c.flags.get(Op.DIVU)!;
  const isRem = c.flags.get(Op.REM)!;
  const isRemu = c.flags.get(Op.REMU)!;
  const signed = isDiv.add(isRem);
  const clk4 = c.clk.mul(4);
  const a = accessExprs(e, rs1);
  const b = accessExprs(e, rs2);
  const w = accessExprs(e, rd);
  const q = quotient.map((n) => e.col(n));
  const r = remainder.map((n) => e.col(n));
  const out = written.map((n) => e.col(n));
  const cr = carry.map((n) => e.col(n));
  const ma = e.col(msbA);
  const la = e.col(low7A);
  const mb = e.col(msbB);
  const lb = e.col(low7B);
  const mr = e.col(msbR);
  const lr = e.col(low7R);
  const sa = e.col(signA);
  const sb = e.col(signB);
  const sr = e.col(signR);
  const sq = e.col(signQ);
  const bz = e.col(bZero);
  const binv = e.col(bInv);
  const d = slack.map((n) => e.col(n));
  const eo = slackCarry.map((n) => e.col(n));

  evalCpu(e, c, c.pc.add(4));
  evalRegisterAccess(
    e,
    {
      reg: c.rs1,
      prev: a.value,
      next: a.value,
      ts: clk4.add(TS_RS1),
      prevTs: a.prevTs,
      lo: a.lo,
      hi: a.hi,
      multiplicity: c.sel,
    },
    'rs1',
  );
  evalRegisterAccess(
    e,
    {
      reg: c.rs2,
      prev: b.value,
      next: b.value,
      ts: clk4.add(TS_RS2),
      prevTs: b.prevTs,
      lo: b.lo,
      hi: b.hi,
      multiplicity: c.sel,
    },
    'rs2',
  );
  // A write to x0 is skipped (multiplicity 0): rdNonZero comes from the program table.
  evalRegisterAccess(
    e,
    {
      reg: c.rd,
      prev: w.prev,
      next: out,
      ts: clk4.add(TS_RD),
      prevTs: w.prevTs,
      lo: w.lo,
      hi: w.hi,
      multiplicity: c.sel.mul(c.rdNonZero),
    },
    'rd',
  );
  for (let k = 0; k < 4; k++) {
    e.constraint(
      out[k]!.sub(isDiv.add(isDivu).mul(q[k]!)).sub(isRem.add(isRemu).mul(r[k]!)),
      `rd byte ${k} is q's (DIV, DIVU) or r's (REM, REMU)`,
    );
  }

  // Sign bits.
  const top = [
    [a.value[3]!, ma, la, sa, 'a'],
    [b.value[3]!, mb, lb, sb, 'b'],
    [r[3]!, mr, lr, sr, 'r'],
  ] as const;
  for (const [byte, m, l, s, x] of top) {
    e.constraint(m.mul(m.sub(1)), `m${x} is boolean`);
    e.constraint(byte.sub(m.mul(128)).sub(l), `${x}_3 = 128·m${x} + l${x}`);
    e.constraint(s.sub(signed.mul(m)), `s${x} = m${x} on signed ops, else 0`);
  }
  e.constraint(sq.mul(sq.sub(1)), 'sq is boolean');
  e.constraint(e.constant(1).sub(signed).mul(sq), 'sq = 0 on unsigned ops');

  // (2) Division by zero.
  const bsum = b.value[0]!.add(b.value[1]!).add(b.value[2]!).add(b.value[3]!);
  e.constraint(bsum.mul(binv).sub(c.sel).add(bz), 'bsum·binv = sel - bz');
  e.constraint(bz.mul(bsum), 'bz = 0 when b ≠ 0');
  e.constraint(bz.mul(binv), 'binv = 0 when b = 0');
  e.constraint(bz.mul(sq), 'sq = 0 when b = 0');
  for (let k = 0; k < 4; k++) e.constraint(bz.mul(q[k]!.sub(255)), `q byte ${k} is 255 when b = 0`);

  // (1) a = b·Q + r over 8 sign-extended bytes.
  const ext = (x: readonly Expr[], s: Expr) => (i: number) => (i < 4 ? x[i]! : s.mul(255));
  const A = ext(a.value, sa);
  const B = ext(b.value, sb);
  const Q = ext(q, sq);
  const R = ext(r, sr);
  for (let k = 0; k < 8; k++) {
    let lhs: Expr = R(k);
    if (k > 0) lhs = lhs.add(cr[k - 1]!);
    for (let i = 0; i <= k; i++) lhs = lhs.add(B(i).mul(Q(k - i)));
    e.constraint(lhs.sub(A(k)).sub(cr[k]!.mul(256)), `b·q + r = a, byte ${k}`);
    e.use(RANGE11, [cr[k]!], c.sel);
  }

  // (3) The remainder's sign and size.
  e.constraint(e.constant(1).sub(sa).mul(sr), 'r < 0 only if a < 0');
  e.constraint(
    sa.mul(e.constant(1).sub(sr)).mul(r[0]!.add(r[1]!).add(r[2]!).add(r[3]!)),
    'r > 0 only if a >= 0',
  );
  const negB = e.constant(1).sub(sb.mul(2));
  const negR = e.constant(1).sub(sr.mul(2));
  // The constants -1 and the carries' offset 3 come with sel, so padding rows (all zero) pass.
  const sel3 = c.sel.mul(3);
  for (let k = 0; k < 4; k++) {
    let lhs = negB.mul(b.value[k]!).sub(negR.mul(r[k]!)).sub(d[k]!);
    if (k === 0) lhs = lhs.sub(c.sel);
    else lhs = lhs.add(eo[k - 1]!.sub(sel3));
    const carryOut = k < 3 ? eo[k]!.sub(sel3) : sr.sub(sb).sub(bz);
    e.constraint(lhs.sub(carryOut.mul(256)), `|r| < |b|, byte ${k}`);
  }

  evalBytes(e, [...q, ...r, ...d, la.mul(2), lb.mul(2), lr.mul(2), ...eo], c.sel);
}
