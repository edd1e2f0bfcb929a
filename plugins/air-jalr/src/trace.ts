import { fillLink, READS_IMM, startFamilyTrace, type ZkvmTraceContext } from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

/** Rows from the jalr family's records; null when no JALR ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'jalr', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const lo = cols.targetLow;
  const bit0 = cols.targetBit0;
  const s = cols.sum;
  const car = cols.carry;
  const res = cols.result;
  const lookups = ctx.lookups;
  for (let i = 0; i < n; i++) {
    const pc = R.pc[i]!;
    const imm = R.imm[i]! | 0;
    cpuRow(i, Op.JALR, READS_IMM);
    const a = R.rs1Val[i]!;
    access.rs1(i);
    // The sum byte by byte with its carries (the VM checked that bit 1 is 0 and that the
    // target is code, so below 2^30).
    const b = imm >>> 0;
    let cin = 0;
    const sb = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) {
      const t = ((a >>> (8 * k)) & 0xff) + ((b >>> (8 * k)) & 0xff) + cin;
      sb[k] = t & 0xff;
      cin = t >>> 8;
      car[k]![i] = cin;
    }
    const g = sb[0]! >>> 2;
    lo[i] = g;
    bit0[i] = sb[0]! & 1;
    s[0]![i] = sb[1]!;
    s[1]![i] = sb[2]!;
    s[2]![i] = sb[3]!;
    // The pairs of air.ts, then the link's.
    lookups.bytePair(g, 4 * g);
    lookups.bytePair(sb[1]!, sb[2]!);
    lookups.bytePair(sb[3]!, 4 * sb[3]!);
    fillLink(res, i, pc, lookups);
    access.rd(i);
  }
  return t.finish();
}
