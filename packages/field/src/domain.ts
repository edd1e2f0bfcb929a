import { type CirclePoint, indexNeg, pointAt } from './circle.js';
import { type Coset, cosetIndexAt, halfOddsCoset } from './coset.js';
import { FieldError } from './errors.js';

/**
 * A circle domain: a half coset H followed by its conjugates, 2^logSize points closed under
 * conjugation. Index i < N/2 is H[i]; index N/2 + i is the conjugate of H[i]. Evaluations are
 * stored bit-reversed, so storage neighbours (2j, 2j+1) hold a conjugate pair: what the first
 * layer of the circle FFT and the first FRI fold pair up.
 */
export interface CircleDomain {
  readonly halfCoset: Coset;
  readonly logSize: number;
}

/** Largest circle domain log size the FFT supports (memory, not mathematics, is the limit). */
export const MAX_DOMAIN_LOG_SIZE = 28;

export function assertDomainLogSize(logSize: number, name = 'logSize', min = 1): void {
  if (!Number.isInteger(logSize) || logSize < min || logSize > MAX_DOMAIN_LOG_SIZE) {
    throw new FieldError(
      `${name} must be an integer in [${min}, ${MAX_DOMAIN_LOG_SIZE}], got ${logSize}`,
      { argument: name, value: logSize },
    );
  }
}

/**
 * The canonic circle domain of log size n >= 1: half coset G_{n+1} + <G_{n-1}> and its
 * conjugates. As a set it equals the canonic coset G_{n+1} + <G_n>; coset row j is domain
 * index j/2 for even j and N - (j+1)/2 for odd j (see {@link cosetRowToDomainIndex}).
 */
export function circleDomain(logSize: number): CircleDomain {
  assertDomainLogSize(logSize);
  return { halfCoset: halfOddsCoset(logSize - 1), logSize };
}

export function domainSize(d: CircleDomain): number {
  return 2 ** d.logSize;
}

/** The point index of domain element i. */
export function domainIndexAt(d: CircleDomain, i: number): number {
  const half = 2 ** (d.logSize - 1);
  return i < half ? cosetIndexAt(d.halfCoset, i) : indexNeg(cosetIndexAt(d.halfCoset, i - half));
}

/** Domain element i as a point. */
export function domainAt(d: CircleDomain, i: number): CirclePoint {
  return pointAt(domainIndexAt(d, i));
}

/** Canonic-coset row j (trace order) to its index in the circle domain of the same size. */
export function cosetRowToDomainIndex(j: number, logSize: number): number {
  const n = 2 ** logSize;
  return j % 2 === 0 ? j / 2 : n - (j + 1) / 2;
}

/** i with its lowest `bits` bits reversed. */
export function bitReverseIndex(i: number, bits: number): number {
  if (bits === 0) return 0;
  let x = i >>> 0;
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  x = (x >>> 16) | (x << 16);
  return (x >>> (32 - bits)) >>> 0;
}

/** Permutes a power-of-two length array into bit-reversed order, in place. */
export function bitReverse<T extends { length: number; [i: number]: unknown }>(values: T): T {
  const n = values.length;
  if (n === 0 || (n & (n - 1)) !== 0) {
    throw new FieldError(`bitReverse: length must be a power of two, got ${n}`, {
      argument: 'values',
    });
  }
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    const j = bitReverseIndex(i, bits);
    if (j > i) {
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
  return values;
}

/**
 * Storage position of canonic-coset row j in a bit-reversed circle-domain evaluation: the
 * mapping a prover uses to place trace row j, and that a verifier uses to find a row's leaf.
 */
export function cosetRowToStorage(j: number, logSize: number): number {
  return bitReverseIndex(cosetRowToDomainIndex(j, logSize), logSize);
}

const rowStorageCache = new Map<number, Int32Array>();

/**
 * The storage position of every canonic-coset row of a circle domain of log size n (row order
 * to bit-reversed domain order), computed once per size: how a trace column in row order is
 * laid out for interpolation, by prover and verifier alike.
 */
export function rowToStoragePermutation(logSize: number): Int32Array {
  let m = rowStorageCache.get(logSize);
  if (!m) {
    const n = 2 ** logSize;
    m = new Int32Array(n);
    // Rows 2k and 2k + 1 are domain indices k and n - 1 - k, whose reversals are r and
    // (n - 1) ^ r for r = reverse(k): one reversal per pair, carried from k to k + 1 (a short
    // proof runs this cold at every size; cosetRowToStorage per row took ~10 ms of one).
    const top = n - 1;
    for (let k = 0, r = 0; 2 * k < n; k++) {
      m[2 * k] = r;
      if (2 * k + 1 < n) m[2 * k + 1] = top ^ r;
      let bit = n >>> 1;
      while ((r & bit) !== 0) {
        r ^= bit;
        bit >>>= 1;
      }
      r |= bit;
    }
    rowStorageCache.set(logSize, m);
  }
  return m;
}

/**
 * Where each storage position goes when its row advances `shift` rows: for every storage
 * position s < 2^domainLog of the canonic domain of log size ldeLog (bit-reversed coset order,
 * rowToStoragePermutation), out[s] is the storage position of the row `shift` rows after s's
 * row, mod 2^ldeLog. The first 2^domainLog positions must be closed under the shift (a
 * FieldError otherwise): the prover evaluates constraints on such a prefix, a row's neighbour
 * `shift` rows on being a point of the same prefix.
 */
export function shiftStoragePositions(
  domainLog: number,
  ldeLog: number,
  shift: number,
  out: Int32Array = new Int32Array(2 ** domainLog),
): Int32Array {
  assertDomainLogSize(ldeLog);
  const N = 2 ** ldeLog;
  const n = 2 ** domainLog;
  if (!Number.isInteger(domainLog) || domainLog < 0 || domainLog > ldeLog)
    throw new FieldError(`domainLog must be an integer in [0, ${ldeLog}], got ${domainLog}`);
  if (!Number.isInteger(shift) || shift < 0 || shift >= N)
    throw new FieldError(`shift must be an integer in [0, 2^${ldeLog}), got ${shift}`);
  if (out.length !== n)
    throw new FieldError(`out has ${out.length} elements, ${n} needed`, { argument: 'out' });
  const toStorage = rowToStoragePermutation(ldeLog);
  for (let j = 0; j < N; j++) {
    const s = toStorage[j]!;
    if (s >= n) continue;
    const t = toStorage[(j + shift) & (N - 1)]!;
    if (t >= n) throw new FieldError(shiftLeavesPrefix(shift, domainLog));
    out[s] = t;
  }
  return out;
}

/** The error of shiftStoragePositions (shared with its WebAssembly twin). */
export function shiftLeavesPrefix(shift: number, domainLog: number): string {
  return `advancing rows by ${shift} leaves the first 2^${domainLog} storage positions`;
}
