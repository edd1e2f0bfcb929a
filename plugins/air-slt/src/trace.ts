import {
  BITWISE_AND,
  BITWISE_PAIR,
  globalOps,
  READS_IMM,
  READS_RS2,
  startFamilyTrace,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

const OPS = globalOps('slt');

/** Rows from the slt family's records; null when no SLT/SLTU/SLTI/SLTIU ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'slt', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const d = cols.diff;
  const br = cols.borrow;
  const sa = cols.signA;
  const sb = cols.signB;
  const pair = ctx.lookups.bitwise[BITWISE_PAIR]!;
  const and = ctx.lookups.bitwise[BITWISE_AND]!;
  for (let i = 0; i < n; i++) {
    const op = OPS[R.op[i]!]!;
    const readsRs2 = op === Op.SLT || op === Op.SLTU;
    const signed = op === Op.SLT || op === Op.SLTI;
    cpuRow(i, op, readsRs2 ? READS_RS2 : READS_IMM);
    const a = R.rs1Val[i]!;
    const b = readsRs2 ? R.rs2Val[i]! : R.imm[i]! >>> 0;
    access.rs1(i);
    if (readsRs2) access.rs2(i);
    else access.immediateAsRs2(i);
    // Signed ops compare a and b with their top bits flipped (see air.ts).
    const flip = signed ? 0x80000000 : 0;
    const x = (a ^ flip) >>> 0;
    const y = (b ^ flip) >>> 0;
    let bIn = 0;
    for (let k = 0; k < 4; k++) {
      const t = ((x >>> (8 * k)) & 0xff) - ((y >>> (8 * k)) & 0xff) - bIn;
      bIn = t < 0 ? 1 : 0;
      br[k]![i] = bIn;
      d[k]![i] = t & 0xff;
    }
    pair[d[0]![i]! | (d[1]![i]! << 8)]!++;
    pair[d[2]![i]! | (d[3]![i]! << 8)]!++;
    if (signed) {
      const a3 = a >>> 24;
      const b3 = b >>> 24;
      sa[i] = a3 >>> 7;
      sb[i] = b3 >>> 7;
      and[a3 | (128 << 8)]!++;
      and[b3 | (128 << 8)]!++;
    }
    access.rd(i);
  }
  return t.finish();
}
