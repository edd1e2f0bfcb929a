import { cpuExprs, evalCpu, evalLink, evalRdWrite } from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * JAL: rd = pc + 4, next pc = pc + imm.
 *
 * Next pc: the program tuple carries immField = imm mod p, so the successor state is
 * (pc + immField, clk + 1). When the real target pc + imm lies in [0, 2^30) this is the target;
 * when it does not (or is not 4-aligned), pc + immField is no pc of the program table (program
 * pcs are 4-aligned and below 2^30, and |imm| < 2^20), so no row can continue the chain: the
 * VM faults on such a jump too.
 *
 * Link: the bytes r0..r3 are the 32-bit value pc + 4 (evalLink), written to rd (no access at
 * all for rd = x0).
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const r = cols.result;

  evalCpu(e, c, c.pc.add(c.immField));
  evalRdWrite(e, c, cols.rd, r);
  evalLink(e, c, r);
}
