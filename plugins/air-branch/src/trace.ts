import {
  globalOps,
  inverseOfByteSum,
  READS_IMM,
  READS_RS2,
  startFamilyTrace,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import {
  borrow,
  cpu,
  diff,
  equal,
  inverse,
  layout,
  lessSigned,
  nextPc,
  rs1,
  rs2,
  signA,
  signB,
} from './columns.js';

const OPS = globalOps('branch');

/** Rows from the branch family's records; null when no branch ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'branch', layout, cpu, { rs1, rs2 });
  if (t === null) return null;
  const { n, w, R, cpuRow, access } = t;
  const d = diff.map((c) => w.col(c));
  const br = borrow.map((c) => w.col(c));
  const sa = w.col(signA);
  const sb = w.col(signB);
  const lt = w.col(lessSigned);
  const eq = w.col(equal);
  const invc = w.col(inverse);
  const next = w.col(nextPc);
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
  return w.finish();
}
