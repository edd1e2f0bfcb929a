import { fillLink, READS_IMM, startFamilyTrace, type ZkvmTraceContext } from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

/** Rows from the jal family's records; null when no JAL ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'jal', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const r = cols.result;
  const lookups = ctx.lookups;
  for (let i = 0; i < n; i++) {
    const pc = R.pc[i]!;
    cpuRow(i, Op.JAL, READS_IMM);
    fillLink(r, i, pc, lookups);
    access.rd(i);
  }
  return t.finish();
}
