import { startFamilyTrace, type ZkvmTraceContext } from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

/** Rows from the fence family's records; null when no FENCE ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'fence', layout);
  if (t === null) return null;
  const { n, cpuRow } = t;
  const _cols = t.cols;
  for (let i = 0; i < n; i++) cpuRow(i, Op.FENCE, 0);
  return t.finish();
}
