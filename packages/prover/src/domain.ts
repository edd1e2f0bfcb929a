import {
  add,
  circleDomain,
  cosetIndexAt,
  inv,
  mul,
  pointAt,
  rowToStoragePermutation,
  sub,
} from '@nexus/field';
import { type ProverKernels, typescriptKernels } from './kernels.js';
import { tableI32, tableU32 } from './shared.js';

/**
 * Index maps and point tables over canonic circle domains in bit-reversed storage order,
 * computed once per size and cached. Everything here is integer index arithmetic: a point is
 * identified by its index k (the point k·G, k mod 2^31).
 */
const MASK = 0x7fffffff;

/** Storage position of each trace row (row order -> bit-reversed domain order). */
export const rowToStorage = rowToStoragePermutation;

/*
 * The two tables below run once per size in every process, cold, over up to 2^15 positions
 * for a small proof: one loop over the half coset, each point written at its storage position
 * s = bitrev(i) (even: i < n/2 has a zero top bit) and its conjugate at s + 1 (the top bit of
 * i + n/2, reversed, is bit 0), with no allocation per point.
 */

/**
 * bitReverseIndex(i + 1, log2 n) from s = bitReverseIndex(i, log2 n): the leading ones of s
 * from its top bit down are cleared and the first zero set. Tables walk i in order, and a
 * carried s costs less than reversing every i in a short proof's cold loops.
 */
function reversedIncrement(s: number, n: number): number {
  let bit = n >>> 1;
  while ((s & bit) !== 0) {
    s ^= bit;
    bit >>>= 1;
  }
  return s | bit;
}

/** Point index of every storage position of the canonic circle domain of log size D. */
const pointIndexCache = new Map<number, Int32Array>();
export function storagePointIndices(logSize: number): Int32Array {
  let out = pointIndexCache.get(logSize);
  if (!out) {
    const n = 2 ** logSize;
    const d = circleDomain(logSize);
    const step = d.halfCoset.stepIndex;
    out = new Int32Array(n);
    // domain index i < n/2 (storage position s, i bit-reversed) is the half coset's point
    // h0 + i·step, i + n/2 (position s + 1) its conjugate
    let k = d.halfCoset.initialIndex & MASK;
    for (let i = 0, s = 0; i < n / 2; i++, s = reversedIncrement(s, n)) {
      out[s] = k;
      out[s + 1] = -k & MASK;
      k = (k + step) & MASK;
    }
    pointIndexCache.set(logSize, out);
  }
  return out;
}

/** x and y of every storage position of the canonic circle domain of log size D. */
const pointCache = new Map<number, { xs: Uint32Array; ys: Uint32Array }>();
export function storagePoints(logSize: number): { xs: Uint32Array; ys: Uint32Array } {
  let out = pointCache.get(logSize);
  if (!out) {
    const n = 2 ** logSize;
    const xs = tableU32(n);
    const ys = tableU32(n);
    const d = circleDomain(logSize);
    const step = pointAt(d.halfCoset.stepIndex);
    const first = pointAt(cosetIndexAt(d.halfCoset, 0));
    let x = first.x;
    let y = first.y;
    for (let i = 0, s = 0; i < n / 2; i++, s = reversedIncrement(s, n)) {
      // domain index i (storage position s) is (x, y), index i + n/2 its conjugate
      xs[s] = x;
      ys[s] = y;
      xs[s + 1] = x;
      ys[s + 1] = y === 0 ? 0 : MASK - y;
      // (x, y) + step, as circleAdd, without a point object per position
      const nx = sub(mul(x, step.x), mul(y, step.y));
      y = add(mul(x, step.y), mul(y, step.x));
      x = nx;
    }
    out = { xs, ys };
    pointCache.set(logSize, out);
  }
  return out;
}

/*
 * Evaluation domains. The composition of a trace of log size n is evaluated on a circle domain
 * of log size D = n + 1; the prover takes the first 2^D storage positions of the LDE it
 * committed, on the canonic domain of log size L = n + logBlowup >= D (field's fft.ts
 * `interpolateInPlace`: those positions are the circle domain with half coset
 * G_{L+1} + <G_{n}>, closed under adding G_n). With L = D it is the canonic domain itself.
 * Every map below takes (D, L) and covers the storage positions [0, 2^D).
 */

/**
 * The storage position of P + offset·G_n for every storage position of P in the evaluation
 * domain (D, L) (G_n steps a trace of log size n <= D). On the canonic coset of log size L in
 * coset order, adding G_n advances 2^(L - n) rows; the domain's positions map among
 * themselves (see above).
 */
const shiftCache = new Map<string, Int32Array>();
export function shiftMap(
  domainLog: number,
  traceLog: number,
  offset: number,
  ldeLog = domainLog,
  kernels: Pick<ProverKernels, 'shiftStoragePositions'> = typescriptKernels,
): Int32Array {
  const key = `${domainLog}:${traceLog}:${offset}:${ldeLog}`;
  let out = shiftCache.get(key);
  if (!out) {
    const N = 2 ** ldeLog;
    const shift = (((offset * 2 ** (ldeLog - traceLog)) % N) + N) % N;
    // Cold in every small proof, once per size and offset: the kernel's loop, not JavaScript's.
    out = kernels.shiftStoragePositions(domainLog, ldeLog, shift, tableI32(2 ** domainLog));
    shiftCache.set(key, out);
  }
  return out;
}

/**
 * 1 / Z(P) on every storage position of the evaluation domain (D, L), where Z is the
 * vanishing polynomial of the canonic coset of log size n < D. For the canonic coset the shift
 * of field's `cosetVanishing` is zero, so Z(P) = x(2^(n-1)·P). On indices, 2^(n-1)·P takes at
 * most four values over the domain, so only those points are computed and inverted. The trace
 * domain's points have indices ≡ 2^(31-n-1) (mod 2^(31-n)), the evaluation domain's are odd
 * multiples of 2^(31-L-1) with L > n: never a root of Z.
 */
export function inverseVanishing(
  domainLog: number,
  traceLog: number,
  ldeLog = domainLog,
): Uint32Array {
  const n = 2 ** domainLog;
  const idx = storagePointIndices(ldeLog);
  const k = traceLog - 1;
  const memo = new Map<number, number>();
  const out = tableU32(n);
  for (let s = 0; s < n; s++) {
    const q = (idx[s]! << k) & MASK;
    let v = memo.get(q);
    if (v === undefined) {
      v = inv(pointAt(q).x);
      memo.set(q, v);
    }
    out[s] = v;
  }
  return out;
}
