import {
  BITWISE,
  BITWISE_PAIR,
  cpuExprs,
  evalByteSub,
  evalBytes,
  evalCpu,
  evalRs1Read,
  evalRs2Read,
  evalTopBit,
  evalZeroFlag,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { layout } from './columns.js';

/** x XOR y for bits. */
const xor = (x: Expr, y: Expr) => x.add(y).sub(x.mul(y).mul(2));

/**
 * The branches compare rs1 (a) and rs2 (b), both byte vectors from the register bus.
 *
 * Unsigned order: d = a - b (mod 2^32) byte by byte with boolean borrows (evalByteSub) and
 * d_k looked up as bytes: br_3 = 1 exactly when a <u b.
 *
 * Equality: dsum = d_0 + d_1 + d_2 + d_3 is an integer in [0, 1020] (no wrap mod p), zero
 * exactly when d = 0, i.e. a = b; eq is its zero flag with the inverse witness inv
 * (evalZeroFlag).
 *
 * Signed order: a <s b iff (a XOR 2^31) <u (b XOR 2^31), i.e. lt = ltu XOR sa XOR sb with sa,
 * sb the top bits of a_3 and b_3 (evalTopBit: the two checked doubles share one pair lookup).
 *
 * Next pc: next_pc = pc + 4 + taken·(immField - 4), with taken the op's outcome (a degree-2
 * combination of the one-hot flags with eq, lt and br_3). A taken target outside the program or
 * misaligned is no program pc, so the chain cannot continue (the VM faults on it too). The
 * constraint uses 4·sel so that an all-zero padding row satisfies it (degree 3).
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const a = cols.rs1;
  const b = cols.rs2;
  const d = cols.diff;
  const br = cols.borrow;
  const sa = cols.signA;
  const sb = cols.signB;
  const lt = cols.lessSigned;
  const eq = cols.equal;
  const next = cols.nextPc;
  const f = c.flag;

  evalCpu(e, c, next);
  evalRs1Read(e, c, a);
  evalRs2Read(e, c, b);

  evalByteSub(e, a.value, b.value, d, br, { of: 'rs1 - rs2', carry: 'borrow' });
  evalBytes(e, d, c.sel);

  const ltu = br[3]!;
  const dsum = d[0]!.add(d[1]!).add(d[2]!).add(d[3]!);
  evalZeroFlag(e, dsum, eq, cols.inverse, c.sel, { v: 'dsum', z: 'eq', w: 'inv' });

  const sa2 = evalTopBit(e, a.value[3]!, sa, undefined, { byte: 'a', bit: 'sign of rs1' });
  const sb2 = evalTopBit(e, b.value[3]!, sb, undefined, { byte: 'b', bit: 'sign of rs2' });
  e.use(BITWISE, [BITWISE_PAIR, sa2, sb2, 0], c.sel);
  e.constraint(lt.sub(xor(ltu, xor(sa, sb))), 'lt = ltu xor sa xor sb');

  const one = e.constant(1);
  const taken = f.is_beq
    .mul(eq)
    .add(f.is_bne.mul(one.sub(eq)))
    .add(f.is_blt.mul(lt))
    .add(f.is_bge.mul(one.sub(lt)))
    .add(f.is_bltu.mul(ltu))
    .add(f.is_bgeu.mul(one.sub(ltu)));
  e.constraint(
    next
      .sub(c.pc)
      .sub(c.sel.mul(4))
      .sub(taken.mul(c.immField.sub(4))),
    'next pc = pc + 4 + taken·(imm - 4)',
  );
}
