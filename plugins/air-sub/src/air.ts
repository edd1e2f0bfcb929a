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
import { borrow, cpu, rd, result, rs1, rs2 } from './columns.js';

/**
 * SUB rd = rs1 - rs2 modulo 2^32, byte by byte with borrows:
 *   a_k - b_k - w_(k-1) = r_k - 256·w_k,  w_k boolean, r_k a byte  (w_(-1) = 0).
 * a and b are bytes (read from registers, whose every write was range-checked), r is
 * range-checked here and the borrows are bits, so every equation holds over the integers (its
 * terms lie in [-512, 512], far below p) and w_k is the borrow of an honest subtraction: summed
 * with weights 256^k they give a - b = r - 2^32·w_3 with 0 <= r < 2^32, i.e. r = a - b mod 2^32.
 * Dropping w_3 is the reduction mod 2^32.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const clk4 = c.clk.mul(4);
  const a = accessExprs(e, rs1);
  const b = accessExprs(e, rs2);
  const w = accessExprs(e, rd);
  const r = result.map((n) => e.col(n));
  const br = borrow.map((n) => e.col(n));

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
      multiplicity: c.sel,
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
    const borrowIn = k === 0 ? e.constant(0) : br[k - 1]!;
    e.constraint(
      a.value[k]!.sub(b.value[k]!).sub(borrowIn).sub(r[k]!).add(br[k]!.mul(256)),
      `byte ${k} of the difference`,
    );
    e.constraint(br[k]!.mul(br[k]!.sub(1)), `borrow ${k} is boolean`);
  }
  // The written bytes, in two pair lookups (also on rows writing x0: the value is still computed).
  evalBytes(e, r, c.sel);
}
