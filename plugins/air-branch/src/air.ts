import {
  accessExprs,
  BITWISE,
  BITWISE_PAIR,
  cpuExprs,
  evalBytes,
  evalCpu,
  evalRegisterAccess,
  TS_RS1,
  TS_RS2,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import {
  borrow,
  cpu,
  diff,
  equal,
  inverse,
  lessSigned,
  nextPc,
  rs1,
  rs2,
  signA,
  signB,
} from './columns.js';

/** x XOR y for bits. */
const xor = (x: Expr, y: Expr) => x.add(y).sub(x.mul(y).mul(2));

/**
 * The branches compare rs1 (a) and rs2 (b), both byte vectors from the register bus.
 *
 * Unsigned order: d = a - b (mod 2^32) byte by byte, a_k - b_k - br_(k-1) = d_k - 256·br_k with
 * d_k looked up as bytes and boolean borrows. Each equation is an integer identity (all terms are
 * small), so a - b = Σ 2^(8k)·d_k - 2^32·br_3 over the integers with 0 <= Σ 2^(8k)·d_k < 2^32:
 * br_3 = 1 exactly when a <u b.
 *
 * Equality: S = d_0 + d_1 + d_2 + d_3 is an integer in [0, 1020] (no wrap mod p), zero exactly
 * when d = 0, i.e. a = b. eq·S = 0 and eq = sel - S·inv: a real row with S != 0 has eq = 0 (and
 * then inv = 1/S); with S = 0, eq = sel = 1. eq·inv = 0 pins inv to 0 in that case, so the
 * witness is unique. On padding rows eq = -S·inv and eq·S = 0 give eq = 0.
 *
 * Signed order: a <s b iff (a XOR 2^31) <u (b XOR 2^31), i.e. lt = ltu XOR sa XOR sb with sa,
 * sb the sign bits. A sign bit s of byte x is a bit with x - 128·s in [0, 127]: 2·(x - 128·s)
 * is looked up as a byte; x is a byte, so x - 128·s is an integer in [-128, 255] and its double
 * is a byte only on [0, 127]. That fixes s = bit 7 of x.
 *
 * Next pc: next_pc = pc + 4 + taken·(immField - 4), with taken the op's outcome (a degree-2
 * combination of the one-hot flags with eq, lt and br_3). A taken target outside the program or
 * misaligned is no program pc, so the chain cannot continue (the VM faults on it too). The
 * constraint uses 4·sel so that an all-zero padding row satisfies it (degree 3).
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const clk4 = c.clk.mul(4);
  const a = accessExprs(e, rs1);
  const b = accessExprs(e, rs2);
  const d = diff.map((n) => e.col(n));
  const br = borrow.map((n) => e.col(n));
  const sa = e.col(signA);
  const sb = e.col(signB);
  const lt = e.col(lessSigned);
  const eq = e.col(equal);
  const inv = e.col(inverse);
  const next = e.col(nextPc);
  const flag = (op: number) => c.flags.get(op)!;

  evalCpu(e, c, next);
  for (const [x, reg, ts, label] of [
    [a, c.rs1, TS_RS1, 'rs1'],
    [b, c.rs2, TS_RS2, 'rs2'],
  ] as const) {
    evalRegisterAccess(
      e,
      {
        reg,
        prev: x.value,
        next: x.value,
        ts: clk4.add(ts),
        prevTs: x.prevTs,
        lo: x.lo,
        hi: x.hi,
        multiplicity: c.sel,
      },
      label,
    );
  }

  for (let k = 0; k < 4; k++) {
    const borrowIn = k === 0 ? e.constant(0) : br[k - 1]!;
    e.constraint(
      a.value[k]!.sub(b.value[k]!).sub(borrowIn).sub(d[k]!).add(br[k]!.mul(256)),
      `byte ${k} of rs1 - rs2`,
    );
    e.constraint(br[k]!.mul(br[k]!.sub(1)), `borrow ${k} is boolean`);
  }
  evalBytes(e, d, c.sel);

  const ltu = br[3]!;
  const s = d[0]!.add(d[1]!).add(d[2]!).add(d[3]!);
  e.constraint(eq.mul(s), 'eq: no difference');
  e.constraint(eq.sub(c.sel).add(s.mul(inv)), 'eq: set unless the difference is invertible');
  e.constraint(eq.mul(inv), 'eq: inv is 0 when equal');

  e.constraint(sa.mul(sa.sub(1)), 'sign of rs1 is boolean');
  e.constraint(sb.mul(sb.sub(1)), 'sign of rs2 is boolean');
  e.use(
    BITWISE,
    [BITWISE_PAIR, a.value[3]!.sub(sa.mul(128)).mul(2), b.value[3]!.sub(sb.mul(128)).mul(2), 0],
    c.sel,
  );
  e.constraint(lt.sub(xor(ltu, xor(sa, sb))), 'lt = ltu xor sa xor sb');

  const one = e.constant(1);
  const taken = flag(Op.BEQ)
    .mul(eq)
    .add(flag(Op.BNE).mul(one.sub(eq)))
    .add(flag(Op.BLT).mul(lt))
    .add(flag(Op.BGE).mul(one.sub(lt)))
    .add(flag(Op.BLTU).mul(ltu))
    .add(flag(Op.BGEU).mul(one.sub(ltu)));
  e.constraint(
    next
      .sub(c.pc)
      .sub(c.sel.mul(4))
      .sub(taken.mul(c.immField.sub(4))),
    'next pc = pc + 4 + taken·(imm - 4)',
  );
}
