import { forwardLayer, inverseLayer } from './butterflies.js';
import { allocColumn, assertCanonical, type Column } from './column.js';
import { assertDomainLogSize, MAX_DOMAIN_LOG_SIZE, rowToStoragePermutation } from './domain.js';
import { FieldError } from './errors.js';
import { P } from './m31.js';
import { domainTwiddles } from './twiddles.js';

/**
 * The circle FFT over canonic circle domains.
 *
 * An evaluation is a column of 2^n values of a circle polynomial on the canonic circle domain
 * of log size n, in bit-reversed storage order. Its coefficients are in natural order in the
 * FFT basis: coefficient bit 0 selects y, bit 1 selects x, bit k selects π^(k-1)(x), where
 * π(x) = 2x^2 - 1. So [1, 3, 2, 4] means 1 + 3y + 2x + 4xy.
 *
 * Layer 0 is the circle layer (pairs (p, conj p), twiddle y), layers 1..n-1 are line layers
 * (pairs (x, -x), twiddle x, doubling the domain between layers). Interpolation runs layers
 * 0..n-1 with inverse butterflies and divides by N at the end; evaluation runs them backwards.
 */

/** Log size of a column, validating that its length is a supported power of two. */
export function columnLogSize(column: Column, name: string, minLog = 0): number {
  const n = column.length;
  if (n === 0 || (n & (n - 1)) !== 0) {
    throw new FieldError(`${name} length must be a power of two, got ${n}`, { argument: name });
  }
  const log = Math.log2(n);
  if (log < minLog || log > MAX_DOMAIN_LOG_SIZE) {
    throw new FieldError(
      `${name} has log size ${log}, outside the supported range [${minLog}, ${MAX_DOMAIN_LOG_SIZE}]`,
      { argument: name, logSize: log },
    );
  }
  return log;
}

/**
 * Interpolates in place: a bit-reversed evaluation on the canonic circle domain of its size
 * becomes the polynomial's coefficients. Values must be canonical (unchecked here: the
 * checking entry point is {@link interpolate}).
 *
 * With `domainLog` L > n, the 2^n values are the first 2^n storage positions of the canonic
 * domain of log size L: those positions hold the circle domain with half coset
 * G_{L+1} + <G_{n-1}> (domain indices with their low L - n bits zero), and the first n layers
 * of L's FFT never leave them. So the same layers with L's twiddles interpolate on that domain.
 * The prover evaluates its composition there: on the first part of a blowup-2^b LDE it already
 * holds, instead of evaluating every column again on the canonic domain of log n.
 */
export function interpolateInPlace(values: Column, domainLog?: number): Column {
  const logSize = columnLogSize(values, 'values');
  if (logSize === 0) return values;
  const L = domainLog ?? logSize;
  if (L !== logSize) assertContainingDomain(L, logSize);
  inverseLayer(values, 0, domainTwiddles(L).circleInverse);
  for (let layer = 1; layer < logSize; layer++) {
    inverseLayer(values, layer, domainTwiddles(L - layer + 1).lineInverse);
  }
  // Divide by N = 2^n: multiply by 2^(31 - n), a bit rotation because 2^31 = 1 (mod p).
  const k = 31 - logSize;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const r = (((v << k) & P) + (v >>> logSize) - P) | 0;
    values[i] = r + ((r >> 31) & P);
  }
  return values;
}

/**
 * The coefficients of a column given in trace row order (canonic-coset rows): each row moved
 * to its storage position (rowToStoragePermutation), then {@link interpolateInPlace}, into
 * `out` (rows.length words, any contents) when given. `rows` is left as it is. Values must be
 * canonical (unchecked here).
 *
 * @example
 * const coeffs = interpolateRows(traceColumn); // what a commitment extends
 */
export function interpolateRows(rows: Column, out: Column = allocColumn(rows.length)): Column {
  const logSize = columnLogSize(rows, 'rows');
  if (out.length !== rows.length) {
    throw new FieldError(`out has ${out.length} elements, ${rows.length} needed`, {
      argument: 'out',
    });
  }
  const perm = rowToStoragePermutation(logSize);
  for (let j = 0; j < rows.length; j++) out[perm[j]!] = rows[j]!;
  return interpolateInPlace(out);
}

/** A domain of log size L that holds a 2^n evaluation in its first storage positions. */
export function assertContainingDomain(L: number, n: number): void {
  assertDomainLogSize(L, 'domainLog');
  if (L < n) {
    throw new FieldError(`an evaluation of log size ${n} cannot lie in a domain of log size ${L}`, {
      argument: 'domainLog',
    });
  }
}

/**
 * The coefficients of the circle polynomial whose bit-reversed evaluation on the canonic circle
 * domain of log size log2(values.length) is `values`.
 *
 * @example interpolate(evaluate(coeffs)) // equals coeffs
 * @throws FieldError on a length that is not a power of two in [1, 2^28] or a value >= p.
 */
export function interpolate(values: Column): Column {
  columnLogSize(values, 'values');
  assertCanonical(values, 'values');
  return interpolateInPlace(Uint32Array.from(values));
}

/**
 * Evaluates in place: coefficients become the bit-reversed evaluation on the canonic circle
 * domain of the same size. Unchecked values; see {@link evaluate}.
 */
export function evaluateInPlace(coeffs: Column): Column {
  const logSize = columnLogSize(coeffs, 'coeffs');
  evaluateLayers(coeffs, logSize, logSize);
  return coeffs;
}

/** Runs the forward layers l = polyLog-1 .. 0 of the domain of log size domainLog. */
function evaluateLayers(a: Column, polyLog: number, domainLog: number): void {
  if (domainLog === 0) return;
  for (let layer = polyLog - 1; layer >= 1; layer--) {
    forwardLayer(a, layer, domainTwiddles(domainLog - layer + 1).line);
  }
  if (polyLog >= 1) forwardLayer(a, 0, domainTwiddles(domainLog).circle);
}

/**
 * Evaluates a circle polynomial (2^n coefficients) on the canonic circle domain of log size
 * `domainLogSize` >= n (default n), returning the bit-reversed evaluation. Evaluating on a larger
 * domain is a low-degree extension.
 *
 * @throws FieldError on a bad length, a domain smaller than the polynomial, or a value >= p.
 */
export function evaluate(coeffs: Column, domainLogSize?: number): Column {
  const polyLog = columnLogSize(coeffs, 'coeffs');
  const domainLog = domainLogSize ?? polyLog;
  assertDomainLogSize(domainLog, 'domainLogSize', 0);
  if (domainLog < polyLog) {
    throw new FieldError(
      `cannot evaluate a polynomial of log size ${polyLog} on a smaller domain (log size ${domainLog})`,
      { argument: 'domainLogSize' },
    );
  }
  assertCanonical(coeffs, 'coeffs');
  return evaluateUnchecked(coeffs, domainLog);
}

/** {@link evaluate} without validation, for callers that built the coefficients themselves. */
export function evaluateUnchecked(coeffs: Column, domainLog: number, out?: Column): Column {
  const polyLog = Math.log2(coeffs.length);
  const size = 2 ** domainLog;
  const a = out ?? allocColumn(size);
  // The forward layers above the polynomial's size see an all-zero upper half and only copy,
  // so the result of running them is the coefficients repeated 2^(domainLog - polyLog) times.
  for (let off = 0; off < size; off += coeffs.length) a.set(coeffs, off);
  if (domainLog === 0) return a;
  if (polyLog === 0) return a; // a constant: every point has the value c0
  evaluateLayers(a, polyLog, domainLog);
  return a;
}

/**
 * Low-degree extension: the bit-reversed evaluation on the canonic circle domain of log size
 * n + logBlowup of the polynomial interpolating `values` (bit-reversed, log size n).
 */
export function lde(values: Column, logBlowup: number): Column {
  const logSize = columnLogSize(values, 'values');
  if (!Number.isInteger(logBlowup) || logBlowup < 0 || logSize + logBlowup > MAX_DOMAIN_LOG_SIZE) {
    throw new FieldError(
      `logBlowup must be a non-negative integer with log size + logBlowup <= ${MAX_DOMAIN_LOG_SIZE}, got ${logBlowup}`,
      { argument: 'logBlowup' },
    );
  }
  assertCanonical(values, 'values');
  const coeffs = interpolateInPlace(Uint32Array.from(values));
  return evaluateUnchecked(coeffs, logSize + logBlowup);
}
