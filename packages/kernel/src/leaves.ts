import {
  doubleX,
  mul,
  P,
  type QM31,
  qm31AddM31,
  qm31Inv,
  qm31Mul,
  qm31MulM31,
  type SecureCirclePoint,
  secureDoubleX,
  subgroupGenerator,
} from '@nexus/field';
import type { Expr } from './expr.js';
import { MAIN_TREE } from './expr.js';

/** The column-slot key of a leaf: `m:<i>` main, `i:<i>` interaction, `p:<id>` preprocessed. */
export function leafKey(leaf: Expr): string {
  if (leaf.kind === 'pre') return `p:${leaf.name}`;
  return `${leaf.a === MAIN_TREE ? 'm' : 'i'}:${leaf.b}`;
}

/** Built-in preprocessed column: 1 on the first row of the component's size, else 0. */
export const IS_FIRST = 'is_first';

/** The row-order values of the built-in `is_first` column of a size. */
export function isFirstColumn(logSize: number): Uint32Array {
  const c = new Uint32Array(2 ** logSize);
  c[0] = 1;
  return c;
}

/**
 * idx arrays for the rotation r -> (r + offset) mod n (trace rows in coset order). Shared and
 * cached: read it, never write it.
 */
export function rotationIndex(n: number, offset: number): Int32Array {
  const o = ((offset % n) + n) % n;
  const key = `${n}:${o}`;
  let idx = rotations.get(key);
  if (idx === undefined) {
    idx = new Int32Array(n);
    for (let r = 0; r < n; r++) idx[r] = r + o < n ? r + o : r + o - n;
    rotations.set(key, idx);
  }
  return idx;
}

/**
 * Rotation maps by row count and offset, made once: the prover's checks and bus entries ask
 * for the same few per component, and making one is a pass over its rows (most of the
 * prover's constraint check in a small proof's profile, as cold JavaScript).
 */
const rotations = new Map<string, Int32Array>();

/**
 * The built-in `is_first` column of log size n at any point, in closed form, so that it is
 * never committed: the verifier computes its out-of-domain values itself.
 *
 * On the canonic coset C (first point c0 = (x0, y0) = G_{n+1}) the vanishing polynomial is
 * Z(P) = π^(n-1)(x), a polynomial in x. Z/(x - x0) vanishes on C except at c0 and its conjugate,
 * (y + y0) removes the conjugate, and K normalises the value at c0 to 1:
 *   is_first(P) = Z(P)·(y + y0) / ((x - x0)·K),  K = 2·y0·Π_{i<n-1} 4·π^i(x0)
 * (K = 2y0 times (d/dx) π^(n-1) at x0, by the chain rule with π'(x) = 4x). The result spans
 * x^i and y·x^i for i < N/2: exactly the FFT space of log size n, so it is the interpolant.
 */
export function isFirstAt(logSize: number, point: SecureCirclePoint): QM31 {
  const c0 = subgroupGenerator(logSize + 1);
  let z = point.x;
  for (let i = 1; i < logSize; i++) z = secureDoubleX(z);
  let k = mul(2, c0.y);
  let xi = c0.x;
  for (let i = 0; i < logSize - 1; i++) {
    k = mul(k, mul(4, xi));
    xi = doubleX(xi);
  }
  const numerator = qm31Mul(z, qm31AddM31(point.y, c0.y));
  const denominator = qm31MulM31(qm31AddM31(point.x, P - c0.x), k);
  return qm31Mul(numerator, qm31Inv(denominator));
}
