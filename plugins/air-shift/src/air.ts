import {
  cpuExprs,
  evalBytes,
  evalCpu,
  evalRdWrite,
  evalRs1Read,
  evalRs2Read,
  evalTopBit,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * SLL/SRL/SRA (shift amount: the low 5 bits of rs2) and SLLI/SRLI/SRAI (the immediate's).
 *
 * Shift amount. The shift byte (rs2's low byte, or the immediate's) is split as
 *   byte = m0 + 2·m1 + 4·m2 + 8·(g1 + 2·g2 + 3·g3) + 32·t
 * with m_i bits, g one-hot (g0..g3) and t a range-checked byte. The right side is below
 * 31 + 32·255 < p, so the equation holds over the integers; as m + 8q < 32 and 32·t is a
 * multiple of 32, m + 8q is the byte mod 32, the amount the spec uses. s = m + 8q: a shift by
 * m bits (0..7), then by q whole bytes.
 *
 * Bit shift. pow_l = (sel + m0)(1 + 3·m1)(1 + 15·m2) is 2^m on a real row (0 on padding), and
 * pow_r·pow_l = 256 makes pow_r = 2^(8-m) (pow_l is a nonzero power of two, so invertible). A
 * left shift multiplies each byte of a = rs1 by 2^m, a right shift by 2^(8-m):
 *   a_k·M = lo_k + 256·hi_k,  M = L·pow_l + R·pow_r,  lo_k, hi_k range-checked bytes.
 * a_k·M <= 255·256 < 2^16, so this is the integer base-256 split, unique:
 *   left:  lo_k = (a_k << m) & 255 (low m bits 0),  hi_k = a_k >> (8 - m)  (< 2^m);
 *   right: lo_k = (a_k << (8 - m)) & 255 (low 8-m bits 0),  hi_k = a_k >> m  (< 2^(8-m)).
 * Byte j of a << m is lo_j + hi_(j-1); byte j of a >> m is hi_j + lo_(j+1): in each sum the
 * parts have disjoint bits, so it is the byte itself (no carry). For SRA the byte above a_3 is
 * the fill byte 255·sgn, whose split is lo = sgn·(256 - pow_r), hi = sgn·(pow_r - 1) (so byte 3
 * of a >> m gains sgn·(256 - pow_r) and every byte beyond it is 255·sgn).
 *
 * Byte shift: r_k = Σ_q g_q·(byte k - q of a << m) for left shifts (0 below byte 0), and
 * Σ_q g_q·(byte k + q of a >> m) for right shifts (the fill above byte 3). The result bytes are
 * range-checked as well, though the equations already make them bytes.
 *
 * Sign. msb is a_3's top bit and low7 the rest (evalTopBit). sgn = (is_sra + is_srai)·msb is
 * the fill bit (0 for logical shifts).
 *
 * On immediate ops rs2 is not read (multiplicity 0): its cells are free and the shift byte is
 * the immediate's; the program tuple pins imm0 (and 0 for the other immediate bytes, the
 * shift amount's field value = imm0).
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const zero = e.constant(0);
  const i0 = cols.imm0;
  const c = { ...cpuExprs(e, cols.cpu), imm: [i0, zero, zero, zero], immField: i0 };
  const f = c.flag;
  const isReg = f.is_sll.add(f.is_srl).add(f.is_sra);
  const isImm = f.is_slli.add(f.is_srli).add(f.is_srai);
  const left = f.is_sll.add(f.is_slli);
  const right = f.is_srl.add(f.is_sra).add(f.is_srli).add(f.is_srai);
  const arith = f.is_sra.add(f.is_srai);
  const a = cols.rs1;
  const b = cols.rs2;
  const m = cols.bits;
  const g = cols.byteShift;
  const t = cols.ignored;
  const pl = cols.powLeft;
  const pr = cols.powRight;
  const l = cols.lo;
  const h = cols.hi;
  const top = cols.msb;
  const rest = cols.low7;
  const sgn = cols.sign;
  const r = cols.result;

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, a);
  evalRs2Read(e, c, b, isReg);
  evalRdWrite(e, c, cols.rd, r);

  // The shift amount.
  for (let i = 0; i < 3; i++) e.constraint(m[i]!.mul(m[i]!.sub(1)), `m${i} is boolean`);
  let gSum: Expr = zero;
  for (let q = 0; q < 4; q++) {
    e.constraint(g[q]!.mul(g[q]!.sub(1)), `g${q} is boolean`);
    gSum = gSum.add(g[q]!);
  }
  e.constraint(gSum.sub(c.sel), 'one byte shift on real rows, none on padding');
  const amount = m[0]!
    .add(m[1]!.mul(2))
    .add(m[2]!.mul(4))
    .add(g[1]!.mul(8))
    .add(g[2]!.mul(16))
    .add(g[3]!.mul(24));
  const shiftByte = isReg.mul(b.value[0]!).add(isImm.mul(i0));
  e.constraint(shiftByte.sub(amount).sub(t.mul(32)), 'shift byte = amount + 32·t');

  // The bit shift's multipliers.
  e.constraint(
    pl.sub(c.sel.add(m[0]!).mul(m[1]!.mul(3).add(1)).mul(m[2]!.mul(15).add(1))),
    'pow_l = 2^m',
  );
  e.constraint(pr.mul(pl).sub(c.sel.mul(256)), 'pow_r·pow_l = 256');
  const mult = left.mul(pl).add(right.mul(pr));
  for (let k = 0; k < 4; k++) {
    e.constraint(a.value[k]!.mul(mult).sub(l[k]!).sub(h[k]!.mul(256)), `byte ${k} times 2^m`);
  }

  // The sign bit and SRA's fill.
  const rest2 = evalTopBit(e, a.value[3]!, top, rest, { byte: 'a', bit: 'msb', rest: 'low7' });
  e.constraint(sgn.sub(arith.mul(top)), 'sgn = msb on arithmetic shifts, else 0');

  // The byte shift.
  for (let k = 0; k < 4; k++) {
    let lhs: Expr = zero;
    for (let q = 0; q <= k; q++) {
      const j = k - q; // byte j of a << m
      const byte = j === 0 ? l[0]! : l[j]!.add(h[j - 1]!);
      lhs = lhs.add(left.mul(g[q]!.mul(byte)));
    }
    for (let q = 0; q < 4; q++) {
      const j = k + q; // byte j of a >> m
      if (j < 3) lhs = lhs.add(right.mul(g[q]!.mul(h[j]!.add(l[j + 1]!))));
      else if (j === 3) {
        lhs = lhs.add(right.mul(g[q]!.mul(h[3]!)));
        lhs = lhs.add(g[q]!.mul(sgn.mul(pr.neg().add(256))));
      } else lhs = lhs.add(g[q]!.mul(sgn).mul(255));
    }
    e.constraint(r[k]!.sub(lhs), `result byte ${k}`);
  }

  evalBytes(e, [...l, ...h, t, rest2, ...r], c.sel);
}
