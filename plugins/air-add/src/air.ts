import {
  accessExprs,
  cpuExprs,
  evalByteAdd,
  evalBytes,
  evalCpu,
  evalRdWrite,
  evalRs1Read,
  evalRs2Read,
} from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { carry, cpu, rd, result, rs1, rs2 } from './columns.js';

/**
 * ADD rd = rs1 + rs2 and ADDI rd = rs1 + imm, modulo 2^32, byte by byte with boolean carries
 * (evalByteAdd), where the second operand is rs2 (ADD) or the immediate (ADDI):
 * isAdd·b_k + isAddi·imm_k with one-hot flags. a and rs2 are bytes because every register
 * value entered the memory argument as bytes; the immediate's bytes come from the program
 * table; the sum's bytes are range-checked here. rs2 is read only by ADD.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const isAdd = c.flags.get(Op.ADD)!;
  const isAddi = c.flags.get(Op.ADDI)!;
  const a = accessExprs(e, rs1);
  const b = accessExprs(e, rs2);
  const r = result.map((n) => e.col(n));

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, a);
  evalRs2Read(e, c, b, isAdd);
  evalRdWrite(e, c, accessExprs(e, rd), r);

  const operand = [0, 1, 2, 3].map((k) => isAdd.mul(b.value[k]!).add(isAddi.mul(c.imm[k]!)));
  const cr = carry.map((n) => e.col(n));
  evalByteAdd(e, a.value, operand, r, cr, { of: 'the sum', carry: 'carry' });
  evalBytes(e, r, c.sel);
}
