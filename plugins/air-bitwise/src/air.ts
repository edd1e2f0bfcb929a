import {
  accessExprs,
  BITWISE,
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_XOR,
  cpuExprs,
  evalCpu,
  evalRegisterAccess,
  TS_RD,
  TS_RS1,
  TS_RS2,
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
 * On immediate ops rs2 is not read (its access has multiplicity 0) and its value cells are
 * constrained to the immediate's bytes from the program table, so b_k is one column on every
 * row and can enter the lookup tuple (tuple values must be linear).
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const f = (op: number) => c.flags.get(op)!;
  const readsRs2 = f(Op.XOR).add(f(Op.OR)).add(f(Op.AND));
  const isImm = f(Op.XORI).add(f(Op.ORI)).add(f(Op.ANDI));
  const tableOp = f(Op.AND)
    .add(f(Op.ANDI))
    .mul(BITWISE_AND)
    .add(f(Op.OR).add(f(Op.ORI)).mul(BITWISE_OR))
    .add(f(Op.XOR).add(f(Op.XORI)).mul(BITWISE_XOR));
  const clk4 = c.clk.mul(4);
  const a = accessExprs(e, rs1);
  const b = accessExprs(e, rs2);
  const w = accessExprs(e, rd);
  const r = result.map((n) => e.col(n));

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
      next: r,
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
    e.use(BITWISE, [tableOp, a.value[k]!, b.value[k]!, r[k]!], c.sel);
  }
}
