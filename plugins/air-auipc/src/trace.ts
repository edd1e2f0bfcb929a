import { BITWISE_PAIR, startFamilyTrace, type ZkvmTraceContext } from '@nexus/air-common';
import { P } from '@nexus/field';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

/** Rows from the auipc family's records; null when no AUIPC ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'auipc', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const [i1, i2, i3] = cols.imm;
  const iF = cols.immField;
  const [p0, p1, p2, p3] = cols.pcBytes;
  const [r1, r2, r3] = cols.result;
  const [c1, c2, c3] = cols.carry;
  const pair = ctx.lookups.bitwise[BITWISE_PAIR]!;
  for (let i = 0; i < n; i++) {
    const pc = R.pc[i]!;
    const v = R.imm[i]!; // imm << 12, as u32
    cpuRow(i, Op.AUIPC, 0);
    i1[i] = (v >>> 8) & 0xff;
    i2[i] = (v >>> 16) & 0xff;
    i3[i] = v >>> 24;
    // imm mod p, canonical (imm = -2^31 is p - 1; P + imm would be -1, not a field element).
    iF[i] = (((v | 0) % P) + P) % P;
    p0[i] = pc & 0xff;
    p1[i] = (pc >>> 8) & 0xff;
    p2[i] = (pc >>> 16) & 0xff;
    p3[i] = pc >>> 24;
    const s1 = p1[i]! + i1[i]!;
    const s2 = p2[i]! + i2[i]! + (s1 >>> 8);
    const s3 = p3[i]! + i3[i]! + (s2 >>> 8);
    r1[i] = s1 & 0xff;
    r2[i] = s2 & 0xff;
    r3[i] = s3 & 0xff;
    c1[i] = s1 >>> 8;
    c2[i] = s2 >>> 8;
    c3[i] = s3 >>> 8;
    pair[p0[i]! | (p1[i]! << 8)]!++;
    pair[p2[i]! | (p3[i]! << 8)]!++;
    pair[(4 * p3[i]!) | (r1[i]! << 8)]!++;
    pair[r2[i]! | (r3[i]! << 8)]!++;
    access.rd(i);
  }
  return t.finish();
}
