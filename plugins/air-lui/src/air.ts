import { cpuExprs, evalCpu, evalRdWrite } from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * LUI rd = imm << 12. The program table's tuple carries the immediate's bytes (byte 0 is 0 for
 * every U-type immediate, so the row passes the constant 0 there: a row can only match a
 * program entry whose byte 0 is 0) and rd is written with exactly those bytes. They need no
 * range check: the program table is preprocessed by the verifier from the ELF, and its
 * immediate columns hold bytes.
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const zero = e.constant(0);
  const bytes = [zero, ...cols.imm];
  const c = { ...cpuExprs(e, cols.cpu), imm: bytes, immField: cols.immField };

  evalCpu(e, c, c.pc.add(4));
  evalRdWrite(e, c, cols.rd, bytes);
}
