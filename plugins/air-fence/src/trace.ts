import { bindCpu, logRowsFor, TraceWriter, type ZkvmTraceContext } from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { cpu, layout } from './columns.js';

/** Rows from the fence family's records; null when no FENCE ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const rec = ctx.records.families.fence;
  const n = rec.length;
  if (n === 0) return null;
  const w = new TraceWriter(layout, logRowsFor(n));
  const R = rec.columns;
  const cpuRow = bindCpu(w, cpu, ctx, R);
  for (let i = 0; i < n; i++) {
    cpuRow(i, Op.FENCE, 0);
  }
  return w.finish();
}
