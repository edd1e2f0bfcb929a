import {
  cpuExprs,
  evalBytes,
  evalCpu,
  evalProduct8,
  evalRdWrite,
  evalRs1Read,
  evalRs2Read,
  evalTopBit,
  signExtended,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * MUL (low word of a·b), MULH (high word, both signed), MULHSU (a signed, b unsigned), MULHU
 * (both unsigned), a = rs1, b = rs2.
 *
 * Signed operands are sign-extended to 8 bytes (signExtended): byte i >= 4 of a is 255·sa,
 * where sa is a's top bit on MULH and MULHSU and 0 otherwise (likewise sb, on MULH only). The
 * extended value is ≡ a_s (mod 2^64), so the low 64 bits of the extended product are those of
 * the signed (or mixed, or unsigned) product, whose high word is what MULH* return. The
 * schoolbook product with range11 carries (evalProduct8) makes Σ p_k·256^k = A·B mod 2^64 with
 * p_k checked bytes.
 *
 * The product bytes live in `o` (written to rd) and `x` (the other half): p_k = is_mul·o_k +
 * high·x_k for k < 4 and is_mul·x_(k-4) + high·o_(k-4) for k >= 4 (high = MULH + MULHSU +
 * MULHU), so the written bytes enter the register bus linearly.
 *
 * Sign bits: ma is a_3's top bit and la the rest (evalTopBit); likewise mb.
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const isMul = c.flag.is_mul;
  const isMulh = c.flag.is_mulh;
  const isMulhsu = c.flag.is_mulhsu;
  const high = isMulh.add(isMulhsu).add(c.flag.is_mulhu);
  const a = cols.rs1;
  const b = cols.rs2;
  const o = cols.out;
  const x = cols.other;
  const sa = cols.signA;
  const sb = cols.signB;

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, a);
  evalRs2Read(e, c, b);
  evalRdWrite(e, c, cols.rd, o);

  // Sign bits.
  const ma = cols.msbA;
  const mb = cols.msbB;
  const la2 = evalTopBit(e, a.value[3]!, ma, cols.low7A, { byte: 'a', bit: 'ma', rest: 'la' });
  const lb2 = evalTopBit(e, b.value[3]!, mb, cols.low7B, { byte: 'b', bit: 'mb', rest: 'lb' });
  e.constraint(sa.sub(isMulh.add(isMulhsu).mul(ma)), 'sa = ma on MULH and MULHSU, else 0');
  e.constraint(sb.sub(isMulh.mul(mb)), 'sb = mb on MULH, else 0');

  // The product, column by column.
  const p = (k: number): Expr =>
    k < 4 ? isMul.mul(o[k]!).add(high.mul(x[k]!)) : isMul.mul(x[k - 4]!).add(high.mul(o[k - 4]!));
  const cr = cols.carry;
  const A = signExtended(a.value, sa);
  const B = signExtended(b.value, sb);
  evalProduct8(e, A, B, undefined, p, cr, c.sel, 'product byte');
  evalBytes(e, [...o, ...x, la2, lb2], c.sel);
}
