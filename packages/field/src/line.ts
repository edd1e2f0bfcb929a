import { forwardLayer, inverseLayer } from './butterflies.js';
import { doubleX, pointAt, secureDoubleX } from './circle.js';
import { assertCanonical, type Column } from './column.js';
import { type Coset, cosetIndexAt } from './coset.js';
import { circleDomain, MAX_DOMAIN_LOG_SIZE } from './domain.js';
import { FieldError } from './errors.js';
import { mul, P } from './m31.js';
import { type QM31, qm31Add, qm31Mul, qm31MulM31 } from './qm31.js';
import { domainTwiddles } from './twiddles.js';

/**
 * Line domains and line polynomials, the objects of FRI after its first (circle-to-line) fold.
 *
 * The line domain of log size k is the set of x-coordinates of the half coset H of the canonic
 * circle domain of log size k + 1; evaluations are stored bit-reversed over H's order, which is
 * exactly what remains of a circle-domain evaluation after the circle fold. A line polynomial
 * of log size k has 2^k coefficients where coefficient bit j selects π^j(x), π(x) = 2x^2 - 1.
 */
export interface LineDomain {
  /** The half coset whose x-coordinates form the domain. */
  readonly coset: Coset;
  readonly logSize: number;
}

export function assertLineLogSize(logSize: number, name = 'logSize'): void {
  if (!Number.isInteger(logSize) || logSize < 0 || logSize >= MAX_DOMAIN_LOG_SIZE) {
    throw new FieldError(
      `${name} must be an integer in [0, ${MAX_DOMAIN_LOG_SIZE - 1}], got ${logSize}`,
      { argument: name },
    );
  }
}

/** The line domain of log size k (the one FRI folds the canonic circle domain k + 1 into). */
export function lineDomain(logSize: number): LineDomain {
  assertLineLogSize(logSize);
  return { coset: circleDomain(logSize + 1).halfCoset, logSize };
}

/** The x-coordinate of line-domain element i (natural order). */
export function lineDomainAt(d: LineDomain, i: number): number {
  return pointAt(cosetIndexAt(d.coset, i)).x;
}

/** The line domain one fold further: x -> π(x) maps domain k onto domain k - 1. */
export function lineDomainDouble(d: LineDomain): LineDomain {
  if (d.logSize === 0) throw new FieldError('cannot fold a line domain of size 1');
  return lineDomain(d.logSize - 1);
}

function lineLog(values: Column, name: string): number {
  const n = values.length;
  if (n === 0 || (n & (n - 1)) !== 0) {
    throw new FieldError(`${name} length must be a power of two, got ${n}`, { argument: name });
  }
  const log = Math.log2(n);
  assertLineLogSize(log, `log2(${name}.length)`);
  return log;
}

/**
 * Interpolates in place a bit-reversed evaluation on the line domain of its size into line
 * polynomial coefficients. Unchecked values (see {@link lineInterpolate}).
 */
export function lineInterpolateInPlace(values: Column): Column {
  const k = lineLog(values, 'values');
  for (let j = 0; j < k; j++) inverseLayer(values, j, domainTwiddles(k + 1 - j).lineInverse);
  // Divide by 2^k: multiply by 2^(31 - k), a rotation mod p.
  if (k > 0) {
    const s = 31 - k;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      const r = (((v << s) & P) + (v >>> k) - P) | 0;
      values[i] = r + ((r >> 31) & P);
    }
  }
  return values;
}

/** Coefficients of the line polynomial with this bit-reversed evaluation (validating). */
export function lineInterpolate(values: Column): Column {
  lineLog(values, 'values');
  assertCanonical(values, 'values');
  return lineInterpolateInPlace(Uint32Array.from(values));
}

/** Evaluates in place line-polynomial coefficients on the line domain of the same size. */
export function lineEvaluateInPlace(coeffs: Column): Column {
  const k = lineLog(coeffs, 'coeffs');
  for (let j = k - 1; j >= 0; j--) forwardLayer(coeffs, j, domainTwiddles(k + 1 - j).line);
  return coeffs;
}

/** The bit-reversed evaluation of a line polynomial on the line domain of its size. */
export function lineEvaluate(coeffs: Column): Column {
  lineLog(coeffs, 'coeffs');
  assertCanonical(coeffs, 'coeffs');
  return lineEvaluateInPlace(Uint32Array.from(coeffs));
}

/** The value of a line polynomial with M31 coefficients at an M31 x. */
export function lineEvalAtM31(coeffs: Column, x: number): number {
  const k = lineLog(coeffs, 'coeffs');
  let level = Array.from(coeffs);
  let f = x;
  for (let j = 0; j < k; j++) {
    const next = new Array<number>(level.length / 2);
    for (let i = 0; i < next.length; i++) {
      const s = level[2 * i]! + mul(level[2 * i + 1]!, f);
      next[i] = s >= P ? s - P : s;
    }
    level = next;
    f = doubleX(f);
  }
  return level[0]!;
}

/**
 * The value at x of a line polynomial whose coefficients are QM31 (given by coordinates) or
 * M31, at an M31 or QM31 point: FRI's last layer is such a polynomial, checked by the verifier
 * at every query.
 */
export function lineEvalAtPoint(coeffs: readonly QM31[], x: QM31): QM31 {
  const n = coeffs.length;
  if (n === 0 || (n & (n - 1)) !== 0) {
    throw new FieldError(`coeffs length must be a power of two, got ${n}`, { argument: 'coeffs' });
  }
  let level = coeffs.slice();
  let f = x;
  while (level.length > 1) {
    const next: QM31[] = new Array(level.length / 2);
    for (let i = 0; i < next.length; i++)
      next[i] = qm31Add(level[2 * i]!, qm31Mul(level[2 * i + 1]!, f));
    level = next;
    f = secureDoubleX(f);
  }
  return level[0]!;
}

/** {@link lineEvalAtPoint} at an M31 x (the common case: FRI queries are domain points). */
export function lineEvalAtPointM31(coeffs: readonly QM31[], x: number): QM31 {
  const n = coeffs.length;
  if (n === 0 || (n & (n - 1)) !== 0) {
    throw new FieldError(`coeffs length must be a power of two, got ${n}`, { argument: 'coeffs' });
  }
  let level = coeffs.slice();
  let f = x;
  while (level.length > 1) {
    const next: QM31[] = new Array(level.length / 2);
    for (let i = 0; i < next.length; i++)
      next[i] = qm31Add(level[2 * i]!, qm31MulM31(level[2 * i + 1]!, f));
    level = next;
    f = doubleX(f);
  }
  return level[0]!;
}
