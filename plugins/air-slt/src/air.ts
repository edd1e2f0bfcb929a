import {
  BITWISE,
  BITWISE_AND,
  cpuExprs,
  evalByteSub,
  evalBytes,
  evalCpu,
  evalImmediateAsRs2,
  evalRdWrite,
  evalRs1Read,
  evalRs2Read,
} from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * SLT / SLTU / SLTI / SLTIU: rd = (a < b) ? 1 : 0, a = rs1, b = rs2 or the sign-extended
 * immediate, compared signed (SLT, SLTI) or unsigned (SLTU, SLTIU).
 *
 * The comparison is the borrow out of the byte-wise subtraction a - b (evalByteSub), byte 3
 * with a term for the signed ops:
 *   a_3 - 256·signed·(sa - sb) - b_3 - w_2 = d_3 - 256·w_3
 * with d range-checked bytes and w bits. Unsigned: a and b are bytes, so (as for SUB) the
 * equations hold over the integers and w_3 = 1 exactly when a <u b. Signed: a <s b iff
 * (a xor 2^31) <u (b xor 2^31); flipping the top bit turns the top byte a_3 into
 * a_3 + 128 - 256·sa, a byte again when sa is a_3's top bit, so byte 3 subtracts the flipped
 * top bytes and w_3 = 1 exactly when a <s b. The sign bits are proven with the bitwise table:
 * (AND, a_3, 128, 128·sa) is a table row only if 128·sa = a_3 & 128, i.e. sa is a_3's top bit.
 * The result is (w_3, 0, 0, 0): a bit and three zero bytes, so no range check is needed.
 *
 * On immediate ops rs2 is not read and its value cells hold the immediate's bytes
 * (evalImmediateAsRs2), so b is the same linear expression on every row.
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const isSlt = c.flag.is_slt;
  const isSltu = c.flag.is_sltu;
  const isSlti = c.flag.is_slti;
  const isSltiu = c.flag.is_sltiu;
  const signed = isSlt.add(isSlti);
  const a = cols.rs1;
  const b = cols.rs2;
  const d = cols.diff;
  const br = cols.borrow;
  const sa = cols.signA;
  const sb = cols.signB;
  const lt = br[3]!;
  const zero = e.constant(0);

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, a);
  evalRs2Read(e, c, b, isSlt.add(isSltu));
  evalRdWrite(e, c, cols.rd, [lt, zero, zero, zero]);
  evalImmediateAsRs2(e, isSlti.add(isSltiu), b, c.imm);

  // Signed ops subtract the flipped top bytes: a_3 - 256·(sa - sb) - b_3 in byte 3.
  const x = [...a.value.slice(0, 3), a.value[3]!.sub(signed.mul(sa.sub(sb)).mul(256))];
  evalByteSub(e, x, b.value, d, br, { of: 'the difference', carry: 'borrow' });
  evalBytes(e, d, c.sel);
  // Top bits of a and b, only where a signed op reads them.
  e.use(BITWISE, [BITWISE_AND, a.value[3]!, 128, sa.mul(128)], signed);
  e.use(BITWISE, [BITWISE_AND, b.value[3]!, 128, sb.mul(128)], signed);
}
