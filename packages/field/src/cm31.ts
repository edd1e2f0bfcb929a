import { FieldError } from './errors.js';
import { add, assertM31, inv as invM31, mul, neg as negM31, sub } from './m31.js';

/**
 * CM31 = M31[i] / (i^2 + 1), the complex extension: a + b·i stored as `[a, b]`.
 * Vector: (1 + 2i)(4 + 5i) = (p - 6) + 13i.
 */
export type CM31 = readonly [number, number];

/** Validating constructor. @throws FieldError when a coordinate is not canonical. */
export function cm31(re: number, im: number): CM31 {
  assertM31(re, 're');
  assertM31(im, 'im');
  return [re, im];
}

export const CM31_ZERO: CM31 = [0, 0];
export const CM31_ONE: CM31 = [1, 0];

export function cm31Add(a: CM31, b: CM31): CM31 {
  return [add(a[0], b[0]), add(a[1], b[1])];
}

export function cm31Sub(a: CM31, b: CM31): CM31 {
  return [sub(a[0], b[0]), sub(a[1], b[1])];
}

export function cm31Neg(a: CM31): CM31 {
  return [negM31(a[0]), negM31(a[1])];
}

/** (a0 + a1 i)(b0 + b1 i) = (a0 b0 - a1 b1) + (a0 b1 + a1 b0) i. */
export function cm31Mul(a: CM31, b: CM31): CM31 {
  return [sub(mul(a[0], b[0]), mul(a[1], b[1])), add(mul(a[0], b[1]), mul(a[1], b[0]))];
}

/** Multiplies by a base-field element. */
export function cm31MulM31(a: CM31, s: number): CM31 {
  return [mul(a[0], s), mul(a[1], s)];
}

/** The complex conjugate a0 - a1 i. */
export function cm31Conj(a: CM31): CM31 {
  return [a[0], negM31(a[1])];
}

/** 1 / (a0 + a1 i) = (a0 - a1 i) / (a0^2 + a1^2). @throws FieldError on zero. */
export function cm31Inv(a: CM31): CM31 {
  const norm = add(mul(a[0], a[0]), mul(a[1], a[1]));
  if (norm === 0) throw new FieldError('cannot invert 0 in CM31', { argument: 'a' });
  const t = invM31(norm);
  return [mul(a[0], t), negM31(mul(a[1], t))];
}

export function cm31Eq(a: CM31, b: CM31): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
