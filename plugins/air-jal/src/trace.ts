import {
  bindCpu,
  bindRegisterAccesses,
  fillLink,
  logRowsFor,
  READS_IMM,
  TraceWriter,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { cpu, layout, rd, result } from './columns.js';

/** Rows from the jal family's records; null when no JAL ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const rec = ctx.records.families.jal;
  const n = rec.length;
  if (n === 0) return null;
  const w = new TraceWriter(layout, logRowsFor(n));
  const R = rec.columns;
  const cpuRow = bindCpu(w, cpu, ctx, R);
  const access = bindRegisterAccesses(w, { rd }, R, ctx.lookups);
  const r = result.map((c) => w.col(c));
  const lookups = ctx.lookups;
  for (let i = 0; i < n; i++) {
    const pc = R.pc[i]!;
    cpuRow(i, Op.JAL, READS_IMM);
    fillLink(r, i, pc, lookups);
    access.rd(i);
  }
  return w.finish();
}
