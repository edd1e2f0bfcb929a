import type { SecureCirclePoint } from './circle.js';
import { secureDoubleX } from './circle.js';
import type { Column } from './column.js';
import { FieldError } from './errors.js';
import { columnLogSize } from './fft.js';
import { P } from './m31.js';
import { type QM31, qm31Mul, qm31MulInto, qm31MulM31 } from './qm31.js';
import { allocQM31Column, type QM31Column } from './qm31-column.js';

/**
 * The factors of the circle FFT basis at a point: f_0 = y, f_1 = x, f_k = π^(k-1)(x). The basis
 * element of coefficient i is the product of f_k over the set bits k of i.
 */
export function basisFactors(point: SecureCirclePoint, logSize: number): QM31[] {
  const factors: QM31[] = [];
  if (logSize >= 1) factors.push(point.y);
  let x = point.x;
  for (let k = 1; k < logSize; k++) {
    factors.push(x);
    x = secureDoubleX(x);
  }
  return factors;
}

/**
 * The basis weights w_i = Π_{k in bits(i)} f_k at a point, as a QM31 column of 2^logSize rows.
 * A circle polynomial's value at the point is Σ c_i·w_i, so columns sharing a size and a point
 * share the weights and each costs only 4 M31 multiplications per coefficient
 * ({@link evalWithWeights}): how the prover evaluates many columns at the OODS point.
 */
export function evalWeights(point: SecureCirclePoint, logSize: number): QM31Column {
  const factors = basisFactors(point, logSize);
  const n = 2 ** logSize;
  const w = allocQM31Column(n);
  const [w0, w1, w2, w3] = w;
  w0[0] = 1;
  // One product into a scratch row per weight, no arrays per element: the OODS step makes a
  // weight column per sampled size and offset, and allocating two arrays per weight made it
  // ~40 ms of a small proof.
  const v = [0, 0, 0, 0];
  for (let k = 0; k < logSize; k++) {
    const half = 2 ** k;
    const [f0, f1, f2, f3] = factors[k]!;
    for (let i = 0; i < half; i++) {
      qm31MulInto(w0[i]!, w1[i]!, w2[i]!, w3[i]!, f0, f1, f2, f3, v, 0);
      w0[i + half] = v[0]!;
      w1[i + half] = v[1]!;
      w2[i + half] = v[2]!;
      w3[i + half] = v[3]!;
    }
  }
  return w;
}

/** Σ c_i·w_i: a polynomial's value at the point the weights were made for. */
export function evalWithWeights(coeffs: Column, weights: QM31Column): QM31 {
  const n = coeffs.length;
  if (weights[0].length !== n) {
    throw new FieldError(`weights have ${weights[0].length} rows, coefficients ${n}`, {
      argument: 'weights',
    });
  }
  const out = [0, 0, 0, 0];
  for (let c = 0; c < 4; c++) {
    const w = weights[c]!;
    // Each reduced product is < 2^31, so 2^21 of them sum exactly in a double.
    let acc = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const a = coeffs[i]!;
      const b = w[i]!;
      const lo = Math.imul(a, b) & P;
      const r = (lo + (Math.round((a * b - lo) * 4.656612873077393e-10) | 0) - P) | 0;
      acc += r + ((r >> 31) & P);
      if ((i & 0x1fffff) === 0x1fffff) {
        total = (total + (acc % P)) % P;
        acc = 0;
      }
    }
    out[c] = (total + (acc % P)) % P;
  }
  return out as unknown as QM31;
}

/**
 * The value at a QM31 point of the circle polynomial with these coefficients (FFT basis, see
 * fft.ts), by folding pairs of coefficients with one basis factor per level.
 *
 * @example evalAtPoint(interpolate(values), oodsPoint)
 */
export function evalAtPoint(coeffs: Column, point: SecureCirclePoint): QM31 {
  const logSize = columnLogSize(coeffs, 'coeffs');
  if (logSize === 0) return [coeffs[0]!, 0, 0, 0];
  const factors = basisFactors(point, logSize);
  // Level 0: c[2j] + c[2j+1]·y, base field plus base times extension.
  const y = factors[0]!;
  let level: QM31[] = new Array(coeffs.length / 2);
  for (let j = 0; j < level.length; j++) {
    const t = qm31MulM31(y, coeffs[2 * j + 1]!);
    const c0 = coeffs[2 * j]!;
    const s = t[0] + c0;
    level[j] = [s >= P ? s - P : s, t[1], t[2], t[3]];
  }
  for (let k = 1; k < logSize; k++) {
    const f = factors[k]!;
    const next: QM31[] = new Array(level.length / 2);
    for (let j = 0; j < next.length; j++) {
      const t = qm31Mul(level[2 * j + 1]!, f);
      const a = level[2 * j]!;
      next[j] = [addM(a[0], t[0]), addM(a[1], t[1]), addM(a[2], t[2]), addM(a[3], t[3])];
    }
    level = next;
  }
  return level[0]!;
}

function addM(a: number, b: number): number {
  const s = a + b;
  return s >= P ? s - P : s;
}
