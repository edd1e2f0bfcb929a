import {
  globalOps,
  READS_RS2,
  startFamilyTrace,
  writeWord,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

const OPS = globalOps('shift');

/** Rows from the shift family's records; null when no shift ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'shift', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const lookups = ctx.lookups;
  const cImm = cols.imm0;
  const cM = cols.bits;
  const cG = cols.byteShift;
  const cT = cols.ignored;
  const cPl = cols.powLeft;
  const cPr = cols.powRight;
  const cLo = cols.lo;
  const cHi = cols.hi;
  const cMsb = cols.msb;
  const cLow7 = cols.low7;
  const cSgn = cols.sign;
  const cR = cols.result;
  const l = new Uint32Array(4);
  const h = new Uint32Array(4);
  for (let i = 0; i < n; i++) {
    const op = OPS[R.op[i]!]!;
    const isReg = op === Op.SLL || op === Op.SRL || op === Op.SRA;
    const isLeft = op === Op.SLL || op === Op.SLLI;
    const isArith = op === Op.SRA || op === Op.SRAI;
    cpuRow(i, op, isReg ? READS_RS2 : 0);
    const a = R.rs1Val[i]!;
    access.rs1(i);
    let shiftByte: number;
    if (isReg) {
      const b = R.rs2Val[i]!;
      access.rs2(i);
      shiftByte = b & 0xff;
    } else {
      shiftByte = R.imm[i]! & 0xff;
      cImm[i] = shiftByte;
    }
    const s = shiftByte & 31;
    const m = s & 7;
    const q = s >>> 3;
    const t = shiftByte >>> 5;
    cM[0]![i] = m & 1;
    cM[1]![i] = (m >>> 1) & 1;
    cM[2]![i] = m >>> 2;
    cG[q]![i] = 1;
    cT[i] = t;
    cPl[i] = 1 << m;
    cPr[i] = 256 >>> m;
    const mult = isLeft ? 1 << m : 256 >>> m;
    for (let k = 0; k < 4; k++) {
      const v = ((a >>> (8 * k)) & 0xff) * mult;
      l[k] = v & 0xff;
      h[k] = v >>> 8;
      cLo[k]![i] = l[k]!;
      cHi[k]![i] = h[k]!;
    }
    const top = a >>> 31;
    const rest = (a >>> 24) & 0x7f;
    cMsb[i] = top;
    cLow7[i] = rest;
    cSgn[i] = isArith ? top : 0;
    // The architectural result, computed directly (the AIR's byte equations must agree).
    writeWord(cR, i, isLeft ? a << s : isArith ? a >> s : a >>> s);
    lookups.bytePair(l[0]!, l[1]!);
    lookups.bytePair(l[2]!, l[3]!);
    lookups.bytePair(h[0]!, h[1]!);
    lookups.bytePair(h[2]!, h[3]!);
    lookups.bytePair(t, 2 * rest);
    lookups.bytePair(cR[0]![i]!, cR[1]![i]!);
    lookups.bytePair(cR[2]![i]!, cR[3]![i]!);
    access.rd(i);
  }
  return t.finish();
}
