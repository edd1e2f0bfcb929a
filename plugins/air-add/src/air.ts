import {
  accessExprs,
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
import { carry, cpu, rd, result, rs1, rs2 } from './columns.js';

/**
 * ADD rd = rs1 + rs2 and ADDI rd = rs1 + imm, modulo 2^32, byte by byte:
 *   a_k + b_k + c_(k-1) = r_k + 256·c_k,  c_k boolean, r_k a byte,
 * where b is rs2 (ADD) or the immediate (ADDI). a and rs2 are bytes because every register
 * value entered the memory argument as bytes; the immediate's bytes come from the program
 * table. Dropping c_3 is the reduction mod 2^32.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const isAdd = c.flags.get(Op.ADD)!;
  const isAddi = c.flags.get(Op.ADDI)!;
  const clk4 = c.clk.mul(4);
  const a = accessExprs(e, rs1);
  const b = accessExprs(e, rs2);
  const w = accessExprs(e, rd);
  const r = result.map((n) => e.col(n));
  const cr = carry.map((n) => e.col(n));

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
      multiplicity: isAdd,
    },
    'rs2',
  );
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
    const operand = isAdd.mul(b.value[k]!).add(isAddi.mul(c.imm[k]!));
    const carryIn = k === 0 ? e.constant(0) : cr[k - 1]!;
    e.constraint(
      a.value[k]!.add(operand).add(carryIn).sub(r[k]!).sub(cr[k]!.mul(256)),
      `byte ${k} of the sum`,
    );
    e.constraint(cr[k]!.mul(cr[k]!.sub(1)), `carry ${k} is boolean`);
  }
  evalBytes(e, r, c.sel);
}
