import { READS_RS2, startFamilyTrace, writeWord, type ZkvmTraceContext } from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

/** Rows from the sub family's records; null when no SUB ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'sub', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const r = cols.result;
  const br = cols.borrow;
  const pair = ctx.lookups.bitwise[0]!;
  for (let i = 0; i < n; i++) {
    cpuRow(i, Op.SUB, READS_RS2);
    access.rs1(i);
    access.rs2(i);
    access.rd(i);
    const a = R.rs1Val[i]!;
    const b = R.rs2Val[i]!;
    // Byte k of a - b with the borrow in: negative means a borrow out of the byte.
    let bIn = 0;
    for (let k = 0; k < 4; k++) {
      const d = ((a >>> (8 * k)) & 0xff) - ((b >>> (8 * k)) & 0xff) - bIn;
      bIn = d < 0 ? 1 : 0;
      br[k]![i] = bIn;
    }
    writeWord(r, i, (a - b) >>> 0);
    pair[r[0]![i]! | (r[1]![i]! << 8)]!++;
    pair[r[2]![i]! | (r[3]![i]! << 8)]!++;
  }
  return t.finish();
}
