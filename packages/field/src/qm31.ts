import { FieldError } from './errors.js';
import { add, assertM31, inv as invM31, mul, neg as negM31, P, sub } from './m31.js';

/**
 * QM31 = CM31[u] / (u^2 - (2 + i)), the degree-4 "secure field" (~124 bits) from which every
 * random challenge is drawn. r + s·u with r, s in CM31, stored as the coordinates
 * `[r.re, r.im, s.re, s.im]`.
 *
 * (a + b·u)(c + d·u) = (ac + (2+i)·bd) + (ad + bc)·u.
 * Vector: (1,2,3,4)·(4,5,6,7) = (p-71, 93, p-16, 50).
 */
export type QM31 = readonly [number, number, number, number];

/** Validating constructor. @throws FieldError naming the bad coordinate. */
export function qm31(a: number, b: number, c: number, d: number): QM31 {
  assertM31(a, 'a');
  assertM31(b, 'b');
  assertM31(c, 'c');
  assertM31(d, 'd');
  return [a, b, c, d];
}

export const QM31_ZERO: QM31 = [0, 0, 0, 0];
export const QM31_ONE: QM31 = [1, 0, 0, 0];

/** Embeds a base-field element. */
export function qm31FromM31(x: number): QM31 {
  return [x, 0, 0, 0];
}

/** True when the element lies in the base field (its last three coordinates are 0). */
export function qm31IsM31(a: QM31): boolean {
  return a[1] === 0 && a[2] === 0 && a[3] === 0;
}

export function qm31Add(a: QM31, b: QM31): QM31 {
  return [add(a[0], b[0]), add(a[1], b[1]), add(a[2], b[2]), add(a[3], b[3])];
}

export function qm31Sub(a: QM31, b: QM31): QM31 {
  return [sub(a[0], b[0]), sub(a[1], b[1]), sub(a[2], b[2]), sub(a[3], b[3])];
}

export function qm31Neg(a: QM31): QM31 {
  return [negM31(a[0]), negM31(a[1]), negM31(a[2]), negM31(a[3])];
}

/** a + s for a base-field s. */
export function qm31AddM31(a: QM31, s: number): QM31 {
  return [add(a[0], s), a[1], a[2], a[3]];
}

/** a · s for a base-field s. */
export function qm31MulM31(a: QM31, s: number): QM31 {
  return [mul(a[0], s), mul(a[1], s), mul(a[2], s), mul(a[3], s)];
}

/**
 * The QM31 product on coordinates, written into out[o..o+4): the form hot loops use (no tuple
 * per call). (a + b·u)(c + d·u) = (ac + (2+i)·bd) + (ad + bc)·u over CM31, each CM31 product
 * left unreduced (its terms lie in (-p, p)) and the four sums reduced once.
 */
export function qm31MulInto(
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  c0: number,
  c1: number,
  d0: number,
  d1: number,
  out: Uint32Array | number[],
  o: number,
): void {
  const ac0 = mul(a0, c0) - mul(a1, c1);
  const ac1 = mul(a0, c1) + mul(a1, c0);
  const bd0 = mul(b0, d0) - mul(b1, d1);
  const bd1 = mul(b0, d1) + mul(b1, d0);
  const ad0 = mul(a0, d0) - mul(a1, d1);
  const ad1 = mul(a0, d1) + mul(a1, d0);
  const bc0 = mul(b0, c0) - mul(b1, c1);
  const bc1 = mul(b0, c1) + mul(b1, c0);
  // ac + (2 + i)·bd, with (2 + i)(e0 + e1 i) = (2e0 - e1) + (e0 + 2e1) i: the sums lie in
  // (-3p, 7p), so adding 8p makes them positive for one remainder.
  out[o] = (ac0 + 2 * bd0 - bd1 + 8 * P) % P;
  out[o + 1] = (ac1 + bd0 + 2 * bd1 + 8 * P) % P;
  out[o + 2] = (ad0 + bc0 + 8 * P) % P;
  out[o + 3] = (ad1 + bc1 + 8 * P) % P;
}

export function qm31Mul(x: QM31, y: QM31): QM31 {
  const out = [0, 0, 0, 0];
  qm31MulInto(x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3], out, 0);
  return out as unknown as QM31;
}

export function qm31Square(a: QM31): QM31 {
  return qm31Mul(a, a);
}

/** Conjugation over CM31: negates the u part. */
export function qm31Conj(a: QM31): QM31 {
  return [a[0], a[1], negM31(a[2]), negM31(a[3])];
}

/**
 * 1 / (a + b·u) = (a - b·u) / (a^2 - (2+i)·b^2), the denominator in CM31.
 * @throws FieldError on zero.
 */
export function qm31Inv(x: QM31): QM31 {
  const [a0, a1, b0, b1] = x;
  const aa0 = sub(mul(a0, a0), mul(a1, a1));
  const aa1 = add(mul(a0, a1), mul(a1, a0));
  const bb0 = sub(mul(b0, b0), mul(b1, b1));
  const bb1 = add(mul(b0, b1), mul(b1, b0));
  // (2 + i) b^2
  const t0 = sub(add(bb0, bb0), bb1);
  const t1 = add(bb0, add(bb1, bb1));
  const d0 = sub(aa0, t0);
  const d1 = sub(aa1, t1);
  const norm = add(mul(d0, d0), mul(d1, d1));
  if (norm === 0) throw new FieldError('cannot invert 0 in QM31', { argument: 'x' });
  const n = invM31(norm);
  const e0 = mul(d0, n);
  const e1 = negM31(mul(d1, n)); // 1/d = conj(d) / |d|^2
  // (a - b u) * (e0 + e1 i)
  return [
    sub(mul(a0, e0), mul(a1, e1)),
    add(mul(a0, e1), mul(a1, e0)),
    negM31(sub(mul(b0, e0), mul(b1, e1))),
    negM31(add(mul(b0, e1), mul(b1, e0))),
  ];
}

/** a / b. @throws FieldError when b is zero. */
export function qm31Div(a: QM31, b: QM31): QM31 {
  return qm31Mul(a, qm31Inv(b));
}

/** base^exponent for a non-negative exponent. */
export function qm31Pow(base: QM31, exponent: number | bigint): QM31 {
  let e = BigInt(exponent);
  if (e < 0n) throw new FieldError(`pow: exponent must be non-negative, got ${exponent}`);
  let result: QM31 = QM31_ONE;
  let b = base;
  while (e > 0n) {
    if (e & 1n) result = qm31Mul(result, b);
    b = qm31Mul(b, b);
    e >>= 1n;
  }
  return result;
}

export function qm31Eq(a: QM31, b: QM31): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

export function qm31IsZero(a: QM31): boolean {
  return a[0] === 0 && a[1] === 0 && a[2] === 0 && a[3] === 0;
}

/** Batch inversion of QM31 scalars (Montgomery's trick). @throws FieldError on a zero. */
export function qm31BatchInverse(values: readonly QM31[]): QM31[] {
  const n = values.length;
  const prefix: QM31[] = new Array(n);
  let acc: QM31 = QM31_ONE;
  for (let i = 0; i < n; i++) {
    if (qm31IsZero(values[i]!)) {
      throw new FieldError(`cannot invert 0 at index ${i}`, { argument: 'values', index: i });
    }
    acc = qm31Mul(acc, values[i]!);
    prefix[i] = acc;
  }
  const out: QM31[] = new Array(n);
  let invAcc = n > 0 ? qm31Inv(acc) : QM31_ONE;
  for (let i = n - 1; i > 0; i--) {
    out[i] = qm31Mul(invAcc, prefix[i - 1]!);
    invAcc = qm31Mul(invAcc, values[i]!);
  }
  if (n > 0) out[0] = invAcc;
  return out;
}

/** Formats as `(a, b, c, d)`, for messages and debugging. */
export function qm31ToString(a: QM31): string {
  return `(${a[0]}, ${a[1]}, ${a[2]}, ${a[3]})`;
}
