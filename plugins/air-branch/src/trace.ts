import {
  globalOps,
  inverseOfByteSum,
  READS_IMM,
  READS_RS2,
  startFamilyTrace,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { layout } from './columns.js';

const OPS = globalOps('branch');

/** Rows from the branch family's records; null when no branch ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'branch', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const d = cols.diff;
  const br = cols.borrow;
  const sa = cols.signA;
  const sb = cols.signB;
  const lt = cols.lessSigned;
  const eq = cols.equal;
  const invc = cols.inverse;
  const next = cols.nextPc;
  const lookups = ctx.lookups;
  for (let i = 0; i < n; i++) {
    cpuRow(i, OPS[R.op[i]!]!, READS_RS2 | READS_IMM);
    const a = R.rs1Val[i]!;
    const b = R.rs2Val[i]!;
    access.rs1(i);
    access.rs2(i);
    let borrowIn = 0;
    let s = 0;
    const db = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) {
      const t = ((a >>> (8 * k)) & 0xff) - ((b >>> (8 * k)) & 0xff) - borrowIn;
      borrowIn = t < 0 ? 1 : 0;
      db[k] = t & 0xff;
      s += db[k]!;
      d[k]![i] = db[k]!;
      br[k]![i] = borrowIn;
    }
    const signs = [a >>> 31, b >>> 31];
    sa[i] = signs[0]!;
    sb[i] = signs[1]!;
    lt[i] = (a | 0) < (b | 0) ? 1 : 0;
    eq[i] = s === 0 ? 1 : 0;
    invc[i] = inverseOfByteSum(s);
    next[i] = R.nextPc[i]!;
    // The lookups of air.ts: evalBytes(d) in pairs, then the two sign checks.
    lookups.bytePair(db[0]!, db[1]!);
    lookups.bytePair(db[2]!, db[3]!);
    lookups.bytePair(2 * ((a >>> 24) - 128 * signs[0]!), 2 * ((b >>> 24) - 128 * signs[1]!));
  }
  return t.finish();
}
