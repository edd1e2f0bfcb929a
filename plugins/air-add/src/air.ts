import {
  cpuExprs,
  evalByteAdd,
  evalBytes,
  evalCpu,
  evalRdWrite,
  evalRs1Read,
  evalRs2Read,
} from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * ADD rd = rs1 + rs2 and ADDI rd = rs1 + imm, modulo 2^32, byte by byte with boolean carries
 * (evalByteAdd), where the second operand is rs2 (ADD) or the immediate (ADDI):
 * isAdd·b_k + isAddi·imm_k with one-hot flags. a and rs2 are bytes because every register
 * value entered the memory argument as bytes; the immediate's bytes come from the program
 * table; the sum's bytes are range-checked here. rs2 is read only by ADD.
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const { is_add: isAdd, is_addi: isAddi } = c.flag;
  const { rs1: a, rs2: b, result: r } = cols;

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, a);
  evalRs2Read(e, c, b, isAdd);
  evalRdWrite(e, c, cols.rd, r);

  const operand = [0, 1, 2, 3].map((k) => isAdd.mul(b.value[k]!).add(isAddi.mul(c.imm[k]!)));
  evalByteAdd(e, a.value, operand, r, cols.carry, { of: 'the sum', carry: 'carry' });
  evalBytes(e, r, c.sel);
}
