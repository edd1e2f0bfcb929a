import {
  cpuExprs,
  evalByteSub,
  evalBytes,
  evalCpu,
  evalRdWrite,
  evalRs1Read,
  evalRs2Read,
} from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * SUB rd = rs1 - rs2 modulo 2^32, byte by byte with boolean borrows (evalByteSub). a and b
 * are bytes (read from registers, whose every write was range-checked) and r is range-checked
 * here, so the chain makes r = a - b mod 2^32; dropping w_3 is the reduction.
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const a = cols.rs1;
  const b = cols.rs2;
  const r = cols.result;

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, a);
  evalRs2Read(e, c, b);
  evalRdWrite(e, c, cols.rd, r);

  const br = cols.borrow;
  evalByteSub(e, a.value, b.value, r, br, { of: 'the difference', carry: 'borrow' });
  // The written bytes, in two pair lookups (also on rows writing x0: the value is still computed).
  evalBytes(e, r, c.sel);
}
