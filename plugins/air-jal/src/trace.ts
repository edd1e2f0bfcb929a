import { fillLink, READS_IMM, startFamilyTrace, type ZkvmTraceContext } from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { cpu, layout, rd, result } from './columns.js';

/** Rows from the jal family's records; null when no JAL ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'jal', layout, cpu, { rd });
  if (t === null) return null;
  const { n, w, R, cpuRow, access } = t;
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
