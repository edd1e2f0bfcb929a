import {
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
import { layout } from './columns.js';

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
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const f = c.flag;
  const tableOp = f.is_and
    .add(f.is_andi)
    .mul(BITWISE_AND)
    .add(f.is_or.add(f.is_ori).mul(BITWISE_OR))
    .add(f.is_xor.add(f.is_xori).mul(BITWISE_XOR));
  const a = cols.rs1;
  const b = cols.rs2;
  const r = cols.result;

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, a);
  evalRs2Read(e, c, b, f.is_xor.add(f.is_or).add(f.is_and));
  evalRdWrite(e, c, cols.rd, r);
  evalImmediateAsRs2(e, f.is_xori.add(f.is_ori).add(f.is_andi), b, c.imm);
  for (let k = 0; k < 4; k++) e.use(BITWISE, [tableOp, a.value[k]!, b.value[k]!, r[k]!], c.sel);
}
