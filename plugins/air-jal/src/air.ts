import {
  accessExprs,
  cpuExprs,
  evalBytes,
  evalCpu,
  evalRegisterAccess,
  TS_RD,
  wordOf,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { cpu, rd, result } from './columns.js';

/**
 * The bytes the row range-checks, in pair order (trace.ts counts the same pairs): the link
 * bytes, and 2·r3 so that r3 < 128.
 */
export function checkedBytes(r: readonly Expr[]): Expr[] {
  return [r[0]!, r[1]!, r[2]!, r[3]!, r[3]!.mul(2)];
}

/**
 * JAL: rd = pc + 4, next pc = pc + imm.
 *
 * Next pc: the program tuple carries immField = imm mod p, so the successor state is
 * (pc + immField, clk + 1). When the real target pc + imm lies in [0, 2^30) this is the target;
 * when it does not (or is not 4-aligned), pc + immField is no pc of the program table (program
 * pcs are 4-aligned and below 2^30, and |imm| < 2^20), so no row can continue the chain: the
 * VM faults on such a jump too.
 *
 * Link: pc + 4 = r0 + 2^8·r1 + 2^16·r2 + 2^24·r3 as field elements, with r0..r3 bytes and
 * r3 < 128 (2·r3 is a byte too). The right side is an integer in [0, 2^31 - 1] = [0, p]; pc is a
 * program pc (the program lookup pins it), so pc + 4 is an integer in [4, 2^30 + 4), not 0 mod
 * p. Two integers in [0, p] that agree mod p and are not 0 mod p are equal, so the bytes are the
 * 32-bit value pc + 4 exactly. The constraint is linear in sel (pc + 4·sel) to keep degree 1; on
 * padding rows everything is 0.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const w = accessExprs(e, rd);
  const r = result.map((n) => e.col(n));

  evalCpu(e, c, c.pc.add(c.immField));
  evalRegisterAccess(
    e,
    {
      reg: c.rd,
      prev: w.prev,
      next: r,
      ts: c.clk.mul(4).add(TS_RD),
      prevTs: w.prevTs,
      lo: w.lo,
      hi: w.hi,
      // A write to x0 is skipped: no access at all.
      multiplicity: c.sel.mul(c.rdNonZero),
    },
    'rd',
  );
  e.constraint(c.pc.add(c.sel.mul(4)).sub(wordOf(r)), 'rd = pc + 4');
  evalBytes(e, checkedBytes(r), c.sel);
}
