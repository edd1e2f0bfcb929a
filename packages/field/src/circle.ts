import { FieldError } from './errors.js';
import { add, mul, neg, sub } from './m31.js';
import {
  type QM31,
  qm31Add,
  qm31AddM31,
  qm31Inv,
  qm31Mul,
  qm31MulM31,
  qm31Neg,
  qm31Sub,
} from './qm31.js';

/**
 * The circle group over M31: points (x, y) with x^2 + y^2 = 1, the group law
 * (x1, y1)·(x2, y2) = (x1x2 - y1y2, x1y2 + y1x2) (written additively here), identity (1, 0).
 * The group is cyclic of order 2^31 with generator G = (2, 1268011823).
 *
 * Points are often handled by their index k (the point k·G), an integer mod 2^31: adding
 * points adds indices, which is how cosets and domains are described.
 */
export interface CirclePoint {
  readonly x: number;
  readonly y: number;
}

/** A point of the circle over QM31 (used for out-of-domain sampling). */
export interface SecureCirclePoint {
  readonly x: QM31;
  readonly y: QM31;
}

/** log2 of the circle group's order. */
export const CIRCLE_LOG_ORDER = 31;
/** Indices live mod 2^31; this mask reduces them (2^31 - 1 happens to equal p). */
export const INDEX_MASK = 0x7fffffff;

export const CIRCLE_IDENTITY: CirclePoint = { x: 1, y: 0 };
/** The generator of the whole group, G = (2, 1268011823). */
export const CIRCLE_GENERATOR: CirclePoint = { x: 2, y: 1268011823 };

export function circleAdd(a: CirclePoint, b: CirclePoint): CirclePoint {
  return {
    x: sub(mul(a.x, b.x), mul(a.y, b.y)),
    y: add(mul(a.x, b.y), mul(a.y, b.x)),
  };
}

/** The inverse of a point is its conjugate (x, -y). */
export function circleNeg(a: CirclePoint): CirclePoint {
  return { x: a.x, y: neg(a.y) };
}

export function circleSub(a: CirclePoint, b: CirclePoint): CirclePoint {
  return circleAdd(a, circleNeg(b));
}

/** The antipode (-x, -y): the point plus the element of order 2. */
export function circleAntipode(a: CirclePoint): CirclePoint {
  return { x: neg(a.x), y: neg(a.y) };
}

/** 2x^2 - 1: the x-coordinate of the double of a point with x-coordinate x. */
export function doubleX(x: number): number {
  const sq = mul(x, x);
  return sub(add(sq, sq), 1);
}

export function circleDouble(a: CirclePoint): CirclePoint {
  return { x: doubleX(a.x), y: mul(add(a.x, a.x), a.y) };
}

export function circleEq(a: CirclePoint, b: CirclePoint): boolean {
  return a.x === b.x && a.y === b.y;
}

/** True when x^2 + y^2 = 1. */
export function isOnCircle(a: CirclePoint): boolean {
  return add(mul(a.x, a.x), mul(a.y, a.y)) === 1;
}

/** k·a for a non-negative integer k (double and add). */
export function circleMul(a: CirclePoint, k: number | bigint): CirclePoint {
  let e = BigInt(k);
  if (e < 0n) throw new FieldError(`circleMul: scalar must be non-negative, got ${k}`);
  let result = CIRCLE_IDENTITY;
  let base = a;
  while (e > 0n) {
    if (e & 1n) result = circleAdd(result, base);
    base = circleDouble(base);
    e >>= 1n;
  }
  return result;
}

/** POWERS[i] = 2^i·G: POWERS[31 - n] generates the subgroup of order 2^n. */
const POWERS: CirclePoint[] = (() => {
  const out = [CIRCLE_GENERATOR];
  for (let i = 1; i < CIRCLE_LOG_ORDER; i++) out.push(circleDouble(out[i - 1]!));
  return out;
})();

function assertLogOrder(logOrder: number): void {
  if (!Number.isInteger(logOrder) || logOrder < 0 || logOrder > CIRCLE_LOG_ORDER) {
    throw new FieldError(`log order must be an integer in [0, 31], got ${logOrder}`, {
      argument: 'logOrder',
    });
  }
}

/** The index of G_n, the generator of the subgroup of order 2^n: 2^(31 - n). */
export function subgroupGeneratorIndex(logOrder: number): number {
  assertLogOrder(logOrder);
  return logOrder === 0 ? 0 : 2 ** (CIRCLE_LOG_ORDER - logOrder);
}

/** G_n = 2^(31 - n)·G, the generator of the subgroup of order 2^n. */
export function subgroupGenerator(logOrder: number): CirclePoint {
  assertLogOrder(logOrder);
  return logOrder === 0 ? CIRCLE_IDENTITY : POWERS[CIRCLE_LOG_ORDER - logOrder]!;
}

/**
 * WINDOWS[w][d] = (d·16^w)·G for d < 16: pointAt adds one entry per nonzero hex digit of the
 * index (at most 8 group additions, against one per set bit, ~15 on average, with POWERS). The
 * verifier computes a domain point per queried position and FRI fold (thousands per proof).
 */
let WINDOWS: CirclePoint[][] | null = null;

function windows(): CirclePoint[][] {
  if (WINDOWS === null) {
    WINDOWS = [];
    for (let w = 0; w < 8; w++) {
      const row: CirclePoint[] = [CIRCLE_IDENTITY];
      for (let d = 1; d < 16; d++) row.push(circleAdd(row[d - 1]!, POWERS[4 * w]!));
      WINDOWS.push(row);
    }
  }
  return WINDOWS;
}

/** The point k·G for an index k (taken mod 2^31). */
export function pointAt(index: number): CirclePoint {
  if (!Number.isInteger(index)) {
    throw new FieldError(`point index must be an integer, got ${index}`, { argument: 'index' });
  }
  const k = ((index % 2 ** 31) + 2 ** 31) % 2 ** 31;
  const table = windows();
  let result = CIRCLE_IDENTITY;
  for (let w = 0; w < 8; w++) {
    const d = (k >>> (4 * w)) & 15;
    if (d !== 0) result = circleAdd(result, table[w]![d]!);
  }
  return result;
}

/** Index arithmetic mod 2^31. */
export function indexAdd(a: number, b: number): number {
  return (a + b) & INDEX_MASK;
}

export function indexNeg(a: number): number {
  return -a & INDEX_MASK;
}

export function indexMul(a: number, k: number): number {
  return Number((BigInt(a) * BigInt(k)) & BigInt(INDEX_MASK));
}

// --- Points over QM31 ---------------------------------------------------------------------

/** Embeds an M31 point into the circle over QM31. */
export function toSecurePoint(a: CirclePoint): SecureCirclePoint {
  return { x: [a.x, 0, 0, 0], y: [a.y, 0, 0, 0] };
}

export function secureAdd(a: SecureCirclePoint, b: SecureCirclePoint): SecureCirclePoint {
  return {
    x: qm31Sub(qm31Mul(a.x, b.x), qm31Mul(a.y, b.y)),
    y: qm31Add(qm31Mul(a.x, b.y), qm31Mul(a.y, b.x)),
  };
}

/** a + b for a QM31 point a and an M31 point b (the mask shifts of OODS sampling). */
export function secureAddM31(a: SecureCirclePoint, b: CirclePoint): SecureCirclePoint {
  return {
    x: qm31Sub(qm31MulM31(a.x, b.x), qm31MulM31(a.y, b.y)),
    y: qm31Add(qm31MulM31(a.y, b.x), qm31MulM31(a.x, b.y)),
  };
}

export function secureNeg(a: SecureCirclePoint): SecureCirclePoint {
  return { x: a.x, y: qm31Neg(a.y) };
}

/** 2x^2 - 1 over QM31. */
export function secureDoubleX(x: QM31): QM31 {
  const sq = qm31Mul(x, x);
  return qm31AddM31(qm31Add(sq, sq), 0x7ffffffe); // - 1 = + (p - 1)
}

export function secureDouble(a: SecureCirclePoint): SecureCirclePoint {
  return { x: secureDoubleX(a.x), y: qm31Mul(qm31Add(a.x, a.x), a.y) };
}

/** True when x^2 + y^2 = 1 over QM31. */
export function isOnSecureCircle(a: SecureCirclePoint): boolean {
  const s = qm31Add(qm31Mul(a.x, a.x), qm31Mul(a.y, a.y));
  return s[0] === 1 && s[1] === 0 && s[2] === 0 && s[3] === 0;
}

/**
 * The circle point ((1 - t^2) / (1 + t^2), 2t / (1 + t^2)) for a QM31 parameter t: how the
 * out-of-domain sampling point is drawn from the channel.
 *
 * @throws FieldError when 1 + t^2 = 0 (t = ±i·...), which a random draw hits with
 * negligible probability; the caller draws again.
 */
export function securePointFromParameter(t: QM31): SecureCirclePoint {
  const t2 = qm31Mul(t, t);
  const denominator = qm31AddM31(t2, 1);
  const d = qm31Inv(denominator);
  const one: QM31 = [1, 0, 0, 0];
  return { x: qm31Mul(qm31Sub(one, t2), d), y: qm31Mul(qm31Add(t, t), d) };
}
