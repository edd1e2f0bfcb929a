import {
  cpuExprs,
  evalBytes,
  evalCpu,
  evalProduct8,
  evalRdWrite,
  evalRs1Read,
  evalRs2Read,
  evalTopBit,
  evalZeroFlag,
  signExtended,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * DIV, DIVU (rd = q) and REM, REMU (rd = r), a = rs1, b = rs2, signed (DIV, REM) or unsigned.
 * Every row proves the whole division: q and r are both columns, rd receives one of them.
 *
 * Values. a_s, b_s, r_s are a, b, r read with their sign bits sa, sb, sr (x - 2^32·s; the sign
 * bits are 0 on unsigned ops), Q = q - 2^32·sq the quotient as an integer. Top bits: mx is
 * x_3's top bit and lx the rest (evalTopBit); sx = signed·mx.
 *
 * (1) a_s = b_s·Q + r_s over the integers. Extending each value to 8 bytes (signExtended)
 *     makes it ≡ its signed value mod 2^64, and the schoolbook columns (evalProduct8)
 *       Σ_(i+j=k) B_i·Q_j + R_k + c_(k-1) = A_k + 256·c_k,  c_(-1) = 0,  k = 0..7,
 *     with checked bytes q, r (a, b come from the register bus) and range11 carries, sum to
 *     b_s·Q + r_s ≡ a_s (mod 2^64). The difference b_s·Q + r_s - a_s is below 2^64 in size,
 *     so the congruence is an equality: signed, |b_s| <= 2^31 and |Q| <= 2^32 give
 *     |b_s·Q| <= 2^63, and |r_s - a_s| < 2^32; unsigned (sq = 0 is forced), 0 <= b·Q <=
 *     (2^32 - 1)² = 2^64 - 2^33 + 1 and |r - a| < 2^32.
 * (2) b = 0 is bz: bsum = b_0 + b_1 + b_2 + b_3 is zero exactly when b = 0 (bsum <= 1020 < p),
 *     and bz is its zero flag with the inverse witness binv (evalZeroFlag). When bz = 1,
 *     q = 0xffffffff byte by byte (the spec's quotient) and sq = 0; (1) with b = 0 gives
 *     r_s = a_s: r = a, the spec's remainder.
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
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const isDiv = c.flag.is_div;
  const isDivu = c.flag.is_divu;
  const isRem = c.flag.is_rem;
  const isRemu = c.flag.is_remu;
  const signed = isDiv.add(isRem);
  const a = cols.rs1;
  const b = cols.rs2;
  const q = cols.quotient;
  const r = cols.remainder;
  const out = cols.written;
  const sa = cols.signA;
  const sb = cols.signB;
  const sr = cols.signR;
  const sq = cols.signQ;
  const bz = cols.bZero;
  const d = cols.slack;
  const eo = cols.slackCarry;

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, a);
  evalRs2Read(e, c, b);
  evalRdWrite(e, c, cols.rd, out);
  for (let k = 0; k < 4; k++) {
    e.constraint(
      out[k]!.sub(isDiv.add(isDivu).mul(q[k]!)).sub(isRem.add(isRemu).mul(r[k]!)),
      `rd byte ${k} is q's (DIV, DIVU) or r's (REM, REMU)`,
    );
  }

  // Sign bits.
  const top = [
    [a.value[3]!, cols.msbA, cols.low7A, sa, 'a'],
    [b.value[3]!, cols.msbB, cols.low7B, sb, 'b'],
    [r[3]!, cols.msbR, cols.low7R, sr, 'r'],
  ] as const;
  const rests: Expr[] = [];
  for (const [byte, m, low7, s, x] of top) {
    rests.push(evalTopBit(e, byte, m, low7, { byte: x, bit: `m${x}`, rest: `l${x}` }));
    e.constraint(s.sub(signed.mul(m)), `s${x} = m${x} on signed ops, else 0`);
  }
  e.constraint(sq.mul(sq.sub(1)), 'sq is boolean');
  e.constraint(e.constant(1).sub(signed).mul(sq), 'sq = 0 on unsigned ops');

  // (2) Division by zero.
  const bsum = b.value[0]!.add(b.value[1]!).add(b.value[2]!).add(b.value[3]!);
  evalZeroFlag(e, bsum, bz, cols.bInv, c.sel, { v: 'bsum', z: 'bz', w: 'binv' });
  e.constraint(bz.mul(sq), 'sq = 0 when b = 0');
  for (let k = 0; k < 4; k++) e.constraint(bz.mul(q[k]!.sub(255)), `q byte ${k} is 255 when b = 0`);

  // (1) a = b·Q + r over 8 sign-extended bytes.
  const cr = cols.carry;
  const A = signExtended(a.value, sa);
  const B = signExtended(b.value, sb);
  const Q = signExtended(q, sq);
  const R = signExtended(r, sr);
  evalProduct8(e, B, Q, R, A, cr, c.sel, 'b·q + r = a, byte');

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

  evalBytes(e, [...q, ...r, ...d, ...rests, ...eo], c.sel);
}
