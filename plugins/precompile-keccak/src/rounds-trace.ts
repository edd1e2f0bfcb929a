import { logRowsFor, type ZkvmTraceContext } from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { PRECOMPILE_WRITE_SLOT, type PrecompileRecords } from '@nexus/vm';
import { keccakfStates, RC_BIT_POSITIONS, ROUNDS, rcBit, roundWitness } from './keccak.js';
import { ROWS_PER_CALL } from './relations.js';
import { roundsLayout } from './rounds-columns.js';

/** Bit z (0..63) of lane i of a 50-word state. */
const bit = (s: ArrayLike<number>, i: number, z: number) =>
  (s[2 * i + (z >>> 5)]! >>> (z & 31)) & 1;

/**
 * The cells of a row that depend on its state A (50 words): A' = θ(A), C, C', the bytes S, the
 * χ limbs X and the ι helpers, by column name. Trace generation writes exactly these; a test
 * uses them to forge a row that is consistent in itself.
 */
export function stateCells(a: ArrayLike<number>): Map<string, number> {
  const w = roundWitness(a);
  const C = roundsLayout().shape;
  const out = new Map<string, number>();
  for (let i = 0; i < 25; i++) {
    for (let z = 0; z < 64; z++) out.set(C.AP[i]![z]!.name, bit(w.ap, i, z));
    for (let b = 0; b < 8; b++)
      out.set(C.S[i]![b]!.name, (a[2 * i + (b >> 2)]! >>> (8 * (b & 3))) & 0xff);
    for (let l = 0; l < 4; l++)
      out.set(C.X[i]![l]!.name, (w.chi[2 * i + (l >> 1)]! >>> (16 * (l & 1))) & 0xffff);
  }
  for (let x = 0; x < 5; x++) {
    for (let z = 0; z < 64; z++) {
      out.set(C.C[x]![z]!.name, bit(w.c, x, z));
      out.set(C.CP[x]![z]!.name, bit(w.cp, x, z));
    }
  }
  for (const [j, z] of RC_BIT_POSITIONS.entries()) out.set(C.H[j]!.name, bit(w.chi, 0, z));
  return out;
}

/** The rows of every keccakf call: 25 per call, in call order. */
export function roundsTrace(
  ctx: ZkvmTraceContext,
  rec: PrecompileRecords | undefined,
): ComponentTrace | null {
  const n = rec?.length ?? 0;
  if (rec === undefined || n === 0) return null;
  const R = rec.columns;
  const t = roundsLayout().trace(logRowsFor(n * ROWS_PER_CALL));
  const { SEL: sel, CLK: clkC, PTR: ptrC, IDX: idxC, START: startC, ROUND: roundC } = t.cols;
  const { RCB: rcC, AP: ap, C: cc, CP: cpc, S: sc, X: xc, H: hc, MEM: mem } = t.cols;
  const { lookups } = ctx;
  const rc = (k: number, what: string) => R[`m${k}${what}`]!;

  /** Writes every bit of `words` (lanes of 64 bits) into the bit columns `cols` at row r. */
  const writeBits = (cols: readonly (readonly Uint32Array[])[], words: Uint32Array, r: number) => {
    for (let i = 0; i < cols.length; i++) {
      const lane = cols[i]!;
      const lo = words[2 * i]!;
      const hi = words[2 * i + 1]!;
      for (let z = 0; z < 32; z++) lane[z]![r] = (lo >>> z) & 1;
      for (let z = 0; z < 32; z++) lane[32 + z]![r] = (hi >>> z) & 1;
    }
  };

  const input = new Uint32Array(50);
  for (let i = 0; i < n; i++) {
    const base = i * ROWS_PER_CALL;
    const clk = R.clk![i]!;
    const ptr = R.a0![i]! >>> 2;
    for (let k = 0; k < 50; k++) input[k] = rc(k, 'Prev')[i]!;
    const states = keccakfStates(input);
    for (let k = 0; k < 50; k++) {
      if (states[ROUNDS]![k] !== rc(k, 'Val')[i])
        throw new Error(`keccak call at clk ${clk}: the records' new state differs from Keccak-f`);
    }
    for (let j = 0; j < ROWS_PER_CALL; j++) {
      const r = base + j;
      const a = states[j]!;
      sel[r] = 1;
      clkC[r] = clk;
      ptrC[r] = ptr;
      idxC[r] = j;
      startC[r] = j === 0 ? 1 : 0;
      roundC[r] = j < ROUNDS ? 1 : 0;
      for (const [b, z] of RC_BIT_POSITIONS.entries()) rcC[b]![r] = j < ROUNDS ? rcBit(j, z) : 0;
      const wit = roundWitness(a);
      writeBits(ap, wit.ap, r);
      writeBits(cc, wit.c, r);
      writeBits(cpc, wit.cp, r);
      for (let lane = 0; lane < 25; lane++) {
        for (let b = 0; b < 8; b++)
          sc[lane]![b]![r] = (a[2 * lane + (b >> 2)]! >>> (8 * (b & 3))) & 0xff;
        for (let l = 0; l < 4; l++)
          xc[lane]![l]![r] = (wit.chi[2 * lane + (l >> 1)]! >>> (16 * (l & 1))) & 0xffff;
      }
      for (const [b, z] of RC_BIT_POSITIONS.entries()) hc[b]![r] = bit(wit.chi, 0, z);
    }
    // The 50 state words: read and rewritten at 4·clk + 3 on the first row.
    const ts = 4 * clk + PRECOMPILE_WRITE_SLOT;
    for (let k = 0; k < 50; k++) {
      const prevTs = rc(k, 'PrevTs')[i]!;
      mem[k]!.prevTs[base] = prevTs;
      lookups.timestampInto(ts - prevTs - 1, mem[k]!.lo, mem[k]!.hi, base);
    }
  }
  return t.finish();
}
