import {
  bitReverseIndex,
  circleAdd,
  circleDomain,
  cosetIndexAt,
  inv,
  pointAt,
  rowToStoragePermutation,
} from '@nexus/field';
import { tableI32, tableU32 } from './shared.js';

/**
 * Index maps and point tables over canonic circle domains in bit-reversed storage order,
 * computed once per size and cached. Everything here is integer index arithmetic: a point is
 * identified by its index k (the point k·G, k mod 2^31).
 */
const MASK = 0x7fffffff;

/** Storage position of each trace row (row order -> bit-reversed domain order). */
export const rowToStorage = rowToStoragePermutation;

/** Point index of every storage position of the canonic circle domain of log size D. */
const pointIndexCache = new Map<number, Int32Array>();
export function storagePointIndices(logSize: number): Int32Array {
  let out = pointIndexCache.get(logSize);
  if (!out) {
    const n = 2 ** logSize;
    const d = circleDomain(logSize);
    const h0 = d.halfCoset.initialIndex;
    const step = d.halfCoset.stepIndex;
    out = new Int32Array(n);
    for (let s = 0; s < n; s++) {
      const i = bitReverseIndex(s, logSize);
      const k =
        i < n / 2
          ? (h0 + Math.imul(i, step)) & MASK
          : -((h0 + Math.imul(i - n / 2, step)) & MASK) & MASK;
      out[s] = k;
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
    let p = pointAt(cosetIndexAt(d.halfCoset, 0));
    for (let i = 0; i < n / 2; i++) {
      // domain index i is p, index i + n/2 its conjugate
      const s0 = bitReverseIndex(i, logSize);
      const s1 = bitReverseIndex(i + n / 2, logSize);
      xs[s0] = p.x;
      ys[s0] = p.y;
      xs[s1] = p.x;
      ys[s1] = p.y === 0 ? 0 : 0x7fffffff - p.y;
      p = circleAdd(p, step);
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
): Int32Array {
  const key = `${domainLog}:${traceLog}:${offset}:${ldeLog}`;
  let out = shiftCache.get(key);
  if (!out) {
    const n = 2 ** domainLog;
    const N = 2 ** ldeLog;
    const shift = (((offset * 2 ** (ldeLog - traceLog)) % N) + N) % N;
    out = tableI32(n);
    const toStorage = rowToStorage(ldeLog);
    for (let j = 0; j < N; j++) {
      const s = toStorage[j]!;
      if (s >= n) continue;
      const t = toStorage[(j + shift) % N]!;
      if (t >= n) throw new Error(`shiftMap: G_${traceLog} leaves the evaluation domain`);
      out[s] = t;
    }
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
