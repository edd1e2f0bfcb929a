import {
  extendBytes,
  globalOps,
  productColumn,
  READS_RS2,
  startFamilyTrace,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

const OPS = globalOps('mul');

/** Rows from the mul family's records; null when no MUL* ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'mul', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const lookups = ctx.lookups;
  const cO = cols.out;
  const cX = cols.other;
  const cC = cols.carry;
  const cMa = cols.msbA;
  const cLa = cols.low7A;
  const cMb = cols.msbB;
  const cLb = cols.low7B;
  const cSa = cols.signA;
  const cSb = cols.signB;
  // The operands' bytes sign-extended to 8, and the product's 8 bytes (reused per row).
  const A = new Int32Array(8);
  const B = new Int32Array(8);
  const p = new Int32Array(8);
  for (let i = 0; i < n; i++) {
    const op = OPS[R.op[i]!]!;
    cpuRow(i, op, READS_RS2);
    const a = R.rs1Val[i]!;
    const b = R.rs2Val[i]!;
    access.rs1(i);
    access.rs2(i);
    const ma = a >>> 31;
    const mb = b >>> 31;
    const sa = op === Op.MULH || op === Op.MULHSU ? ma : 0;
    const sb = op === Op.MULH ? mb : 0;
    cMa[i] = ma;
    cMb[i] = mb;
    cLa[i] = (a >>> 24) & 0x7f;
    cLb[i] = (b >>> 24) & 0x7f;
    cSa[i] = sa;
    cSb[i] = sb;
    extendBytes(A, a, sa);
    extendBytes(B, b, sb);
    // Schoolbook columns with carries: every sum stays below 2^20, exact in int32.
    let c = 0;
    for (let k = 0; k < 8; k++) {
      const s = c + productColumn(A, B, k);
      p[k] = s & 0xff;
      c = s >>> 8;
      cC[k]![i] = c;
      lookups.range11[c]!++;
    }
    const lowOut = op === Op.MUL;
    for (let k = 0; k < 4; k++) {
      cO[k]![i] = lowOut ? p[k]! : p[k + 4]!;
      cX[k]![i] = lowOut ? p[k + 4]! : p[k]!;
    }
    lookups.bytePair(cO[0]![i]!, cO[1]![i]!);
    lookups.bytePair(cO[2]![i]!, cO[3]![i]!);
    lookups.bytePair(cX[0]![i]!, cX[1]![i]!);
    lookups.bytePair(cX[2]![i]!, cX[3]![i]!);
    lookups.bytePair(2 * cLa[i]!, 2 * cLb[i]!);
    access.rd(i);
  }
  return t.finish();
}
