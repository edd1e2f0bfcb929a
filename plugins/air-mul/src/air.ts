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
  carry,
  cpu,
  low7A,
  low7B,
  msbA,
  msbB,
  other,
  out,
  rd,
  rs1,
  rs2,
  signA,
  signB,
} from './columns.js';

/**
 * MUL (low word of a·b), MULH (high word, both signed), MULHSU (a signed, b unsigned), MULHU
 * (both unsigned), a = rs1, b = rs2.
 *
 * Signed operands are sign-extended to 8 bytes: byte i >= 4 of a is 255·sa, where sa is a's top
 * bit on MULH and MULHSU and 0 otherwise (likewise sb, on MULH only). The extended value is
 * a_u + (2^64 - 2^32)·sa ≡ a_s (mod 2^64), so the low 64 bits of the extended product are those
 * of the signed (or mixed, or unsigned) product, whose high word is what MULH* return. Column k
 * (k = 0..7) of the schoolbook product in base 256:
 *   Σ_(i+j=k) A_i·B_j + c_(k-1) = p_k + 256·c_k,   c_(-1) = 0,
 * with p_k checked bytes and c_k checked below 2^11 (range11). Bounds: at most 8 products of
 * bytes, 8·255² = 520200, plus a carry below 2^11 stay far below p, and so does the right side
 * (255 + 256·2047), so every equation holds over the integers and fixes p_k and c_k in turn;
 * an honest c_k is at most (8·255² + 2040) / 256 < 2041, so it passes the check. Summing the
 * equations, Σ p_k·256^k = A·B mod 2^64: dropping c_7 is the reduction. c_7 is range-checked
 * like the others: without that, the last equation would hold for any p_7.
 *
 * The product bytes live in `o` (written to rd) and `x` (the other half): p_k = is_mul·o_k +
 * high·x_k for k < 4 and is_mul·x_(k-4) + high·o_(k-4) for k >= 4 (high = MULH + MULHSU +
 * MULHU), so the written bytes enter the register bus linearly.
 *
 * Sign bits: a_3 = 128·ma + la with ma a bit and 2·la a checked byte (la = a_3 - 128·ma lies in
 * (-128, 256) and 2·la is a byte only for 0 <= la < 128), so ma is a_3's top bit; likewise mb.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const isMul = c.flags.get(Op.MUL)!;
  const isMulh = c.flags.get(Op.MULH)!;
  const isMulhsu = c.flags.get(Op.MULHSU)!;
  const isMulhu = c.flags.get(Op.MULHU)!;
  const high = isMulh.add(isMulhsu).add(isMulhu);
  const clk4 = c.clk.mul(4);
  const a = accessExprs(e, rs1);
  const b = accessExprs(e, rs2);
  const w = accessExprs(e, rd);
  const o = out.map((n) => e.col(n));
  const x = other.map((n) => e.col(n));
  const cr = carry.map((n) => e.col(n));
  const ma = e.col(msbA);
  const la = e.col(low7A);
  const mb = e.col(msbB);
  const lb = e.col(low7B);
  const sa = e.col(signA);
  const sb = e.col(signB);

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
      next: o,
      ts: clk4.add(TS_RD),
      prevTs: w.prevTs,
      lo: w.lo,
      hi: w.hi,
      multiplicity: c.sel.mul(c.rdNonZero),
    },
    'rd',
  );

  // Sign bits.
  e.constraint(ma.mul(ma.sub(1)), 'ma is boolean');
  e.constraint(mb.mul(mb.sub(1)), 'mb is boolean');
  e.constraint(a.value[3]!.sub(ma.mul(128)).sub(la), 'a_3 = 128·ma + la');
  e.constraint(b.value[3]!.sub(mb.mul(128)).sub(lb), 'b_3 = 128·mb + lb');
  e.constraint(sa.sub(isMulh.add(isMulhsu).mul(ma)), 'sa = ma on MULH and MULHSU, else 0');
  e.constraint(sb.sub(isMulh.mul(mb)), 'sb = mb on MULH, else 0');

  // The product, column by column.
  const A = (i: number): Expr => (i < 4 ? a.value[i]! : sa.mul(255));
  const B = (j: number): Expr => (j < 4 ? b.value[j]! : sb.mul(255));
  const p = (k: number): Expr =>
    k < 4 ? isMul.mul(o[k]!).add(high.mul(x[k]!)) : isMul.mul(x[k - 4]!).add(high.mul(o[k - 4]!));
  for (let k = 0; k < 8; k++) {
    let sum: Expr = k === 0 ? e.constant(0) : cr[k - 1]!;
    for (let i = 0; i <= k; i++) sum = sum.add(A(i).mul(B(k - i)));
    e.constraint(sum.sub(p(k)).sub(cr[k]!.mul(256)), `product byte ${k}`);
    e.use(RANGE11, [cr[k]!], c.sel);
  }
  evalBytes(e, [...o, ...x, la.mul(2), lb.mul(2)], c.sel);
}
