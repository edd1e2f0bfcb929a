import {
  accessExprs,
  BITWISE,
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_XOR,
  cpuExprs,
  evalCpu,
  evalImmediateAsRs2,
  evalRdWrite,
  evalRs1Read,
  evalRs2Read,
} from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { cpu, rd, result, rs1, rs2 } from './columns.js';

/**
 * XOR / OR / AND (rd = rs1 op rs2) and XORI / ORI / ANDI (rd = rs1 op imm, the immediate
 * sign-extended to 32 bits), byte by byte: each result byte is the bitwise table's answer,
 * (op, a_k, b_k, r_k) looked up with op 1 AND, 2 OR, 3 XOR. The table holds only rows with
 * bytes a, b and c = a op b, so the lookup both computes r_k and proves it a byte: the written
 * value needs no other range check. The table op is the linear sum of the flags times their
 * table op, never 0 (the pair check) on a real row, where exactly one flag is set.
 *
 * On immediate ops rs2 is not read and its value cells hold the immediate's bytes
 * (evalImmediateAsRs2), so b_k is one column on every row and can enter the lookup tuple
 * (tuple values must be linear).
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const f = (op: number) => c.flags.get(op)!;
  const tableOp = f(Op.AND)
    .add(f(Op.ANDI))
    .mul(BITWISE_AND)
    .add(f(Op.OR).add(f(Op.ORI)).mul(BITWISE_OR))
    .add(f(Op.XOR).add(f(Op.XORI)).mul(BITWISE_XOR));
  const a = accessExprs(e, rs1);
  const b = accessExprs(e, rs2);
  const r = result.map((n) => e.col(n));

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, a);
  evalRs2Read(e, c, b, f(Op.XOR).add(f(Op.OR)).add(f(Op.AND)));
  evalRdWrite(e, c, accessExprs(e, rd), r);
  evalImmediateAsRs2(e, f(Op.XORI).add(f(Op.ORI)).add(f(Op.ANDI)), b, c.imm);
  for (let k = 0; k < 4; k++) e.use(BITWISE, [tableOp, a.value[k]!, b.value[k]!, r[k]!], c.sel);
}
