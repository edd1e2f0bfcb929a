import {
  accessExprs,
  BITWISE,
  BITWISE_AND,
  cpuExprs,
  evalBytes,
  evalCpu,
  evalRegisterAccess,
  TS_RD,
  TS_RS1,
  TS_RS2,
} from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { borrow, cpu, diff, rd, rs1, rs2, signA, signB } from './columns.js';

/**
 * SLT / SLTU / SLTI / SLTIU: rd = (a < b) ? 1 : 0, a = rs1, b = rs2 or the sign-extended
 * immediate, compared signed (SLT, SLTI) or unsigned (SLTU, SLTIU).
 *
 * The comparison is the borrow out of the byte-wise subtraction a - b:
 *   a_k - b_k - w_(k-1) = d_k - 256·w_k   (k = 0, 1, 2; w_(-1) = 0)
 *   a_3 - b_3 - w_2 - 256·signed·(sa - sb) = d_3 - 256·w_3
 * with d range-checked bytes and w bits. Unsigned: a and b are bytes, so (as for SUB) the
 * equations hold over the integers and w_3 = 1 exactly when a <u b. Signed: a <s b iff
 * (a xor 2^31) <u (b xor 2^31); flipping the top bit turns the top byte a_3 into
 * a_3 + 128 - 256·sa, a byte again when sa is a_3's top bit, so byte 3 subtracts the flipped
 * top bytes and w_3 = 1 exactly when a <s b. The sign bits are proven with the bitwise table:
 * (AND, a_3, 128, 128·sa) is a table row only if 128·sa = a_3 & 128, i.e. sa is a_3's top bit.
 * The result is (w_3, 0, 0, 0): a bit and three zero bytes, so no range check is needed.
 *
 * On immediate ops rs2 is not read (its access has multiplicity 0) and its value cells are
 * constrained to the immediate's bytes from the program table instead, so b is the same linear
 * expression (those cells) on every row and may enter bus tuples.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const isSlt = c.flags.get(Op.SLT)!;
  const isSltu = c.flags.get(Op.SLTU)!;
  const isSlti = c.flags.get(Op.SLTI)!;
  const isSltiu = c.flags.get(Op.SLTIU)!;
  const readsRs2 = isSlt.add(isSltu);
  const isImm = isSlti.add(isSltiu);
  const signed = isSlt.add(isSlti);
  const clk4 = c.clk.mul(4);
  const a = accessExprs(e, rs1);
  const b = accessExprs(e, rs2);
  const w = accessExprs(e, rd);
  const d = diff.map((n) => e.col(n));
  const br = borrow.map((n) => e.col(n));
  const sa = e.col(signA);
  const sb = e.col(signB);
  const lt = br[3]!;
  const zero = e.constant(0);

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
      multiplicity: readsRs2,
    },
    'rs2',
  );
  // A write to x0 is skipped (multiplicity 0): rdNonZero comes from the program table.
  evalRegisterAccess(
    e,
    {
      reg: c.rd,
      prev: w.prev,
      next: [lt, zero, zero, zero],
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
      isImm.mul(b.value[k]!.sub(c.imm[k]!)),
      `b byte ${k} is the immediate's on immediate ops`,
    );
  }
  for (let k = 0; k < 4; k++) {
    const borrowIn = k === 0 ? zero : br[k - 1]!;
    let lhs = a.value[k]!.sub(b.value[k]!).sub(borrowIn);
    if (k === 3) lhs = lhs.sub(signed.mul(sa.sub(sb)).mul(256));
    e.constraint(lhs.sub(d[k]!).add(br[k]!.mul(256)), `byte ${k} of the difference`);
    e.constraint(br[k]!.mul(br[k]!.sub(1)), `borrow ${k} is boolean`);
  }
  evalBytes(e, d, c.sel);
  // Top bits of a and b, only where a signed op reads them.
  e.use(BITWISE, [BITWISE_AND, a.value[3]!, 128, sa.mul(128)], signed);
  e.use(BITWISE, [BITWISE_AND, b.value[3]!, 128, sb.mul(128)], signed);
}
