import { startFamilyTrace, type ZkvmTraceContext } from '@nexus/air-common';
import { P } from '@nexus/field';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

/** Rows from the lui family's records; null when no LUI ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'lui', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const [i1, i2, i3] = cols.imm;
  const iF = cols.immField;
  for (let i = 0; i < n; i++) {
    const v = R.imm[i]!; // imm << 12, as u32
    cpuRow(i, Op.LUI, 0);
    i1[i] = (v >>> 8) & 0xff;
    i2[i] = (v >>> 16) & 0xff;
    i3[i] = v >>> 24;
    // imm mod p, canonical (imm = -2^31 is p - 1; P + imm would be -1, not a field element).
    iF[i] = (((v | 0) % P) + P) % P;
    access.rd(i);
  }
  return t.finish();
}
