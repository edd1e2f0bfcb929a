import { isWritableWord, logRowsFor, writeWord, type ZkvmTraceContext } from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { PRECOMPILE_READ_SLOT, PRECOMPILE_WRITE_SLOT, type PrecompileRecords } from '@nexus/vm';
import {
  bigSigma0,
  bigSigma1,
  bswap,
  ch,
  compressTrace,
  K,
  maj,
  smallSigma0,
  smallSigma1,
} from './compress.js';
import { ROWS_PER_CALL } from './relations.js';
import { layout } from './rounds-columns.js';

/** The records column of word k of a call: 0..15 the block, 16..23 the state. */
const STATE = 16;

/** Writes the bits of v into 32 bit columns at row r. */
function writeBits(cols: readonly Uint32Array[], r: number, v: number): void {
  for (let i = 0; i < 32; i++) cols[i]![r] = (v >>> i) & 1;
}

/** Writes a small carry as bits. */
function writeCarry(cols: readonly Uint32Array[], r: number, c: number): void {
  for (let j = 0; j < cols.length; j++) cols[j]![r] = (c >>> j) & 1;
}

/** The rows of every sha256_compress call: 68 per call, in call order. */
export function roundsTrace(
  ctx: ZkvmTraceContext,
  rec: PrecompileRecords | undefined,
): ComponentTrace | null {
  const n = rec?.length ?? 0;
  if (rec === undefined || n === 0) return null;
  const R = rec.columns;
  const t = layout.trace(logRowsFor(n * ROWS_PER_CALL));
  const rows = 2 ** t.logSize;
  const T = t.cols;
  const { SEL: sel, CLK: clkC, PS: psC, PB: pbC, IDX: idxC, START: startC } = T;
  const { INIT: initC, MSG: msgC, SCHED: schedC, K_LO: kLo, K_HI: kHi } = T;
  const aBits = T.A;
  const eBits = T.E;
  const wBits = T.W;
  const ca = T.CA;
  const ce = T.CE;
  const cw = T.CW;
  const m1Widx = T.M1_WIDX;
  const m1Prev = T.M1_PREV;
  const m1Next = T.M1_NEXT;
  const m1W = T.M1_W;
  const m1PrevTs = T.M1_PREV_TS;
  const m1Lo = T.M1_LO;
  const m1Hi = T.M1_HI;
  const m2Next = T.M2_NEXT;
  const m2PrevTs = T.M2_PREV_TS;
  const m2Lo = T.M2_LO;
  const m2Hi = T.M2_HI;
  const oa = T.OA;
  const oe = T.OE;
  // The values of a, e and W per row (0 on padding): the bit functions are computed from them.
  const aVal = new Uint32Array(rows);
  const eVal = new Uint32Array(rows);
  const wVal = new Uint32Array(rows);
  const { lookups } = ctx;
  const rc = (k: number, what: string) => R[`m${k}${what}`]!;

  for (let i = 0; i < n; i++) {
    const base = i * ROWS_PER_CALL;
    const clk = R.clk![i]!;
    const ps = R.a0![i]! >>> 2;
    const pb = R.a1![i]! >>> 2;
    const state = new Uint32Array(8);
    const block = new Uint32Array(16);
    for (let k = 0; k < 8; k++) state[k] = rc(STATE + k, 'Prev')[i]!;
    for (let t = 0; t < 16; t++) block[t] = bswap(rc(t, 'Prev')[i]!);
    const tr = compressTrace(state, block);
    for (let k = 0; k < 8; k++) {
      if (tr.out[k] !== rc(STATE + k, 'Val')[i])
        throw new Error(`sha256 call at clk ${clk}: the records' new state differs from SHA-256`);
    }
    for (let j = 0; j < ROWS_PER_CALL; j++) {
      const r = base + j;
      sel[r] = 1;
      clkC[r] = clk;
      psC[r] = ps;
      pbC[r] = pb;
      idxC[r] = j;
      startC[r] = j === 0 ? 1 : 0;
      initC[r] = j < 4 ? 1 : 0;
      msgC[r] = j >= 4 && j < 20 ? 1 : 0;
      schedC[r] = j >= 20 ? 1 : 0;
      aVal[r] = tr.a[j]!;
      eVal[r] = tr.e[j]!;
      writeBits(aBits, r, tr.a[j]!);
      writeBits(eBits, r, tr.e[j]!);
      if (j >= 4) {
        const t = j - 4;
        kLo[r] = K[t]! & 0xffff;
        kHi[r] = K[t]! >>> 16;
        wVal[r] = tr.w[t]!;
        writeBits(wBits, r, tr.w[t]!);
        // The carries of the round's sums, half by half.
        const x = j - 1;
        const halves = (v: number) => [v & 0xffff, v >>> 16];
        const [hL, hH] = halves(tr.e[x - 3]!);
        const [s1L, s1H] = halves(bigSigma1(tr.e[x]!));
        const [chL, chH] = halves(ch(tr.e[x]!, tr.e[x - 1]!, tr.e[x - 2]!));
        const [kL, kH] = halves(K[t]!);
        const [wL, wH] = halves(tr.w[t]!);
        const [dL, dH] = halves(tr.a[x - 3]!);
        const [s0L, s0H] = halves(bigSigma0(tr.a[x]!));
        const [mjL, mjH] = halves(maj(tr.a[x]!, tr.a[x - 1]!, tr.a[x - 2]!));
        const t1L = hL! + s1L! + chL! + kL! + wL!;
        const t1H = hH! + s1H! + chH! + kH! + wH!;
        const ceL = Math.floor((dL! + t1L) / 65536);
        const ceH = Math.floor((dH! + t1H + ceL) / 65536) & 7;
        const caL = Math.floor((t1L + s0L! + mjL!) / 65536);
        const caH = Math.floor((t1H + s0H! + mjH! + caL) / 65536) & 7;
        writeCarry(ce[0]!, r, ceL);
        writeCarry(ce[1]!, r, ceH);
        writeCarry(ca[0]!, r, caL);
        writeCarry(ca[1]!, r, caH);
        if (t >= 16) {
          const terms = [
            smallSigma1(tr.w[t - 2]!),
            tr.w[t - 7]!,
            smallSigma0(tr.w[t - 15]!),
            tr.w[t - 16]!,
          ];
          const lo = terms.reduce((s, v) => s + (v & 0xffff), 0);
          const hi = terms.reduce((s, v) => s + (v >>> 16), 0);
          const cwL = Math.floor(lo / 65536);
          writeCarry(cw[0]!, r, cwL);
          writeCarry(cw[1]!, r, Math.floor((hi + cwL) / 65536) & 3);
        }
      }
      if (j >= 4 && j < 20) {
        // Message word t: read at 4·clk + 1.
        const k = j - 4;
        const word = rc(k, 'Prev')[i]!;
        const prevTs = rc(k, 'PrevTs')[i]!;
        m1Widx[r] = pb + k;
        writeWord(m1Prev, r, word);
        writeWord(m1Next, r, word);
        m1W[r] = isWritableWord(ctx.program, pb + k) ? 1 : 0;
        m1PrevTs[r] = prevTs;
        lookups.timestampInto(4 * clk + PRECOMPILE_READ_SLOT - prevTs - 1, m1Lo, m1Hi, r);
      }
      if (j < 4) {
        // State words H_3-j (a chain) and H_7-j (e chain): rewritten at 4·clk + 3.
        const ts = 4 * clk + PRECOMPILE_WRITE_SLOT;
        for (const [k, next, o, prevTs, lo, hi] of [
          [STATE + 3 - j, m1Next, oa, m1PrevTs, m1Lo, m1Hi],
          [STATE + 7 - j, m2Next, oe, m2PrevTs, m2Lo, m2Hi],
        ] as const) {
          const before = rc(k, 'Prev')[i]!;
          const after = rc(k, 'Val')[i]!;
          const final = (after - before) >>> 0;
          writeWord(next, r, after);
          lookups.bytePair(after & 0xff, (after >>> 8) & 0xff);
          lookups.bytePair((after >>> 16) & 0xff, after >>> 24);
          const lo16 = (before & 0xffff) + (final & 0xffff);
          o[0]![r] = lo16 >>> 16;
          o[1]![r] = ((before >>> 16) + (final >>> 16) + (lo16 >>> 16)) >>> 16;
          const pts = rc(k, 'PrevTs')[i]!;
          prevTs[r] = pts;
          lookups.timestampInto(ts - pts - 1, lo, hi, r);
        }
        m1Widx[r] = ps + 3 - j;
        writeWord(m1Prev, r, tr.a[j]!);
        m1W[r] = 1;
      }
    }
  }

  // The bit functions on every row, from the row's values and the rows before (cyclically).
  const S0 = T.S0;
  const S1 = T.S1;
  const CH = T.CH;
  const MAJ = T.MAJ;
  const s0 = T.s0;
  const s1 = T.s1;
  const put = (c: readonly Uint32Array[], r: number, v: number) => {
    c[0]![r] = v & 0xffff;
    c[1]![r] = v >>> 16;
  };
  for (let r = 0; r < rows; r++) {
    const p1 = (r + rows - 1) % rows;
    const p2 = (r + rows - 2) % rows;
    put(S0, r, bigSigma0(aVal[r]!));
    put(S1, r, bigSigma1(eVal[r]!));
    put(CH, r, ch(eVal[r]!, eVal[p1]!, eVal[p2]!));
    put(MAJ, r, maj(aVal[r]!, aVal[p1]!, aVal[p2]!));
    put(s0, r, smallSigma0(wVal[r]!));
    put(s1, r, smallSigma1(wVal[r]!));
  }
  return t.finish();
}
