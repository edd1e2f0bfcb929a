import {
  extendBytes,
  globalOps,
  inverseOfByteSum,
  productColumn,
  READS_RS2,
  startFamilyTrace,
  type TraceCols,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

const OPS = globalOps('div');
const P = 0x7fffffff;
const TWO32 = 2 ** 32;
const INT_MIN = -0x80000000;

/** A small (possibly negative) integer as a field element. */
const fe = (v: number) => ((v % P) + P) % P;

/** The division witness columns of a trace (arrays, looked up once). */
export interface DivisionCells {
  readonly q: readonly Uint32Array[];
  readonly r: readonly Uint32Array[];
  readonly w: readonly Uint32Array[];
  readonly c: readonly Uint32Array[];
  readonly d: readonly Uint32Array[];
  readonly e: readonly Uint32Array[];
  readonly ma: Uint32Array;
  readonly la: Uint32Array;
  readonly mb: Uint32Array;
  readonly lb: Uint32Array;
  readonly mr: Uint32Array;
  readonly lr: Uint32Array;
  readonly sa: Uint32Array;
  readonly sb: Uint32Array;
  readonly sr: Uint32Array;
  readonly sq: Uint32Array;
  readonly bz: Uint32Array;
  readonly binv: Uint32Array;
}

export function divisionCells(cols: TraceCols<typeof layout>): DivisionCells {
  return {
    q: cols.quotient,
    r: cols.remainder,
    w: cols.written,
    c: cols.carry,
    d: cols.slack,
    e: cols.slackCarry,
    ma: cols.msbA,
    la: cols.low7A,
    mb: cols.msbB,
    lb: cols.low7B,
    mr: cols.msbR,
    lr: cols.low7R,
    sa: cols.signA,
    sb: cols.signB,
    sr: cols.signR,
    sq: cols.signQ,
    bz: cols.bZero,
    binv: cols.bInv,
  };
}

// Scratch for the sign-extended bytes of one row.
const A = new Int32Array(8);
const B = new Int32Array(8);
const Q = new Int32Array(8);
const R = new Int32Array(8);

/**
 * Writes the division witness of row i for a claimed quotient q and remainder r (u32 bit
 * patterns) and quotient sign sq: everything else (signs, the zero flag, the carries of
 * b·Q + r = a, the slack |b| - |r| - 1 and its chain) is derived. For the spec's (q, r, sq)
 * every constraint holds; for any other claim the derived cells are the nearest integers, so
 * tests can forge a wrong division and see which constraint stops it.
 */
export function writeDivision(
  cells: DivisionCells,
  i: number,
  op: number,
  a: number,
  b: number,
  q: number,
  r: number,
  sq: number,
): void {
  const signed = op === Op.DIV || op === Op.REM;
  const toRd = op === Op.DIV || op === Op.DIVU ? q : r;
  const ma = a >>> 31;
  const mb = b >>> 31;
  const mr = r >>> 31;
  const sa = signed ? ma : 0;
  const sb = signed ? mb : 0;
  const sr = signed ? mr : 0;
  cells.ma[i] = ma;
  cells.mb[i] = mb;
  cells.mr[i] = mr;
  cells.la[i] = (a >>> 24) & 0x7f;
  cells.lb[i] = (b >>> 24) & 0x7f;
  cells.lr[i] = (r >>> 24) & 0x7f;
  cells.sa[i] = sa;
  cells.sb[i] = sb;
  cells.sr[i] = sr;
  cells.sq[i] = sq;
  extendBytes(A, a, sa);
  extendBytes(B, b, sb);
  extendBytes(Q, q, sq);
  extendBytes(R, r, sr);
  let bsum = 0;
  for (let k = 0; k < 4; k++) {
    cells.q[k]![i] = Q[k]!;
    cells.r[k]![i] = R[k]!;
    cells.w[k]![i] = (toRd >>> (8 * k)) & 0xff;
    bsum += B[k]!;
  }
  const bz = bsum === 0 ? 1 : 0;
  cells.bz[i] = bz;
  cells.binv[i] = inverseOfByteSum(bsum);
  // b·Q + r = a, column by column: every sum stays below 2^20, exact in int32.
  let c = 0;
  for (let k = 0; k < 8; k++) {
    const s = R[k]! + c + productColumn(B, Q, k);
    c = Math.floor((s - A[k]!) / 256);
    cells.c[k]![i] = fe(c);
  }
  // D = |b| - |r| - 1 + 2^32·bz in bytes (reduced mod 2^32 when a forged r makes it negative).
  const absB = sb ? TWO32 - (b >>> 0) : b >>> 0;
  const absR = sr ? TWO32 - (r >>> 0) : r >>> 0;
  const D = (((absB - absR - 1 + TWO32 * bz) % TWO32) + TWO32) % TWO32;
  let e = 0;
  for (let k = 0; k < 4; k++) {
    const dk = Math.floor(D / 256 ** k) % 256;
    cells.d[k]![i] = dk;
    if (k < 3) {
      const t = (1 - 2 * sb) * B[k]! - (1 - 2 * sr) * R[k]! - dk - (k === 0 ? 1 : 0) + e;
      e = Math.floor(t / 256);
      cells.e[k]![i] = fe(e + 3);
    }
  }
}

/** Rows from the div family's records; null when no division ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'div', layout);
  if (t === null) return null;
  const { n, R: Rc, cpuRow, access } = t;
  const cols = t.cols;
  const lookups = ctx.lookups;
  const cells = divisionCells(cols);
  for (let i = 0; i < n; i++) {
    const op = OPS[Rc.op[i]!]!;
    cpuRow(i, op, READS_RS2);
    const a = Rc.rs1Val[i]! | 0;
    const b = Rc.rs2Val[i]! | 0;
    access.rs1(i);
    access.rs2(i);
    // The spec's quotient and remainder, and the quotient's sign as an integer (Q = q - 2^32·sq).
    let q: number;
    let r: number;
    let sq = 0;
    if (b === 0) {
      q = 0xffffffff;
      r = a >>> 0;
    } else if (op === Op.DIV || op === Op.REM) {
      if (a === INT_MIN && b === -1) {
        q = 0x80000000; // Q = +2^31: b·Q + 0 = a exactly, sq = 0
        r = 0;
      } else {
        const qs = Math.trunc(a / b); // exact: see @nexus/vm alu.ts
        q = qs >>> 0;
        r = (a - qs * b) >>> 0;
        sq = qs < 0 ? 1 : 0;
      }
    } else {
      const ua = a >>> 0;
      const ub = b >>> 0;
      q = Math.floor(ua / ub);
      r = ua - q * ub;
    }
    writeDivision(cells, i, op, a, b, q, r, sq);
    const C = cells;
    lookups.bytePair(C.q[0]![i]!, C.q[1]![i]!);
    lookups.bytePair(C.q[2]![i]!, C.q[3]![i]!);
    lookups.bytePair(C.r[0]![i]!, C.r[1]![i]!);
    lookups.bytePair(C.r[2]![i]!, C.r[3]![i]!);
    lookups.bytePair(C.d[0]![i]!, C.d[1]![i]!);
    lookups.bytePair(C.d[2]![i]!, C.d[3]![i]!);
    lookups.bytePair(2 * C.la[i]!, 2 * C.lb[i]!);
    lookups.bytePair(2 * C.lr[i]!, C.e[0]![i]!);
    lookups.bytePair(C.e[1]![i]!, C.e[2]![i]!);
    for (let k = 0; k < 8; k++) lookups.range11[C.c[k]![i]!]!++;
    access.rd(i);
  }
  return t.finish();
}
