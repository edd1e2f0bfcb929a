import {
  add,
  type CM31,
  cm31Mul,
  cm31Sub,
  indexMul,
  mul,
  pointAt,
  type QM31,
  qm31Add,
  qm31Conj,
  qm31Mul,
  qm31MulM31,
  qm31Sub,
  type SecureCirclePoint,
  secureAddM31,
  sub,
  subgroupGeneratorIndex,
} from '@nexus/field';

/**
 * The scalar formulas shared by prover and verifier for out-of-domain samples, DEEP quotients
 * and FRI folds. The prover runs them vectorised over domains; the verifier at query points.
 */

/** The point where a column of log size n is sampled for row offset o: ζ + o·G_n. */
export function samplePoint(
  oods: SecureCirclePoint,
  logSize: number,
  offset: number,
): SecureCirclePoint {
  if (offset === 0) return oods;
  return secureAddM31(
    oods,
    pointAt(indexMul(subgroupGeneratorIndex(logSize), ((offset % 2 ** 31) + 2 ** 31) % 2 ** 31)),
  );
}

/**
 * For a sample (ρ, v = f(ρ)) of a column f with M31 coefficients, the quotient term is
 * (c·f(P) - a·P.y - b) / V_ρ(P): c = conj(ρ.y) - ρ.y, a = conj(v) - v, b = v·c - a·ρ.y (so the
 * numerator vanishes at ρ and at its conjugate, where f takes conj(v)).
 */
export interface LineCoefficients {
  readonly a: QM31;
  readonly b: QM31;
  readonly c: QM31;
}

export function lineCoefficients(point: SecureCirclePoint, value: QM31): LineCoefficients {
  const c = qm31Sub(qm31Conj(point.y), point.y);
  const a = qm31Sub(qm31Conj(value), value);
  const b = qm31Sub(qm31Mul(value, c), qm31Mul(a, point.y));
  return { a, b, c };
}

/**
 * V_ρ(P) = (P.x - ρx0)·ρy1 - (P.y - ρy0)·ρx1, writing ρ.x = ρx0 + ρx1·u and ρ.y = ρy0 + ρy1·u
 * with CM31 parts: a line (CM31-valued for P on the M31 circle) through ρ and its conjugate.
 * As V(P) = P.x·ρy1 - P.y·ρx1 + k with k = ρy0·ρx1 - ρx0·ρy1, it costs 4 multiplications.
 */
export interface VanishingLine {
  readonly ry1: CM31;
  readonly rx1: CM31;
  readonly k: CM31;
}

export function vanishingLine(point: SecureCirclePoint): VanishingLine {
  const rx0: CM31 = [point.x[0], point.x[1]];
  const rx1: CM31 = [point.x[2], point.x[3]];
  const ry0: CM31 = [point.y[0], point.y[1]];
  const ry1: CM31 = [point.y[2], point.y[3]];
  return { ry1, rx1, k: cm31Sub(cm31Mul(ry0, rx1), cm31Mul(rx0, ry1)) };
}

export function vanishingLineAt(line: VanishingLine, x: number, y: number): CM31 {
  return [
    add(sub(mul(x, line.ry1[0]), mul(y, line.rx1[0])), line.k[0]),
    add(sub(mul(x, line.ry1[1]), mul(y, line.rx1[1])), line.k[1]),
  ];
}

/** (c·f - a·y - b) for a column value f at a domain point with y-coordinate y. */
export function quotientNumerator(lc: LineCoefficients, f: number, y: number): QM31 {
  return qm31Sub(qm31Sub(qm31MulM31(lc.c, f), qm31MulM31(lc.a, y)), lc.b);
}

/** A QM31 value times a CM31 value (QM31 = CM31 + CM31·u). */
export function qm31MulCM31(q: QM31, w: CM31): QM31 {
  const lo = cm31Mul([q[0], q[1]], w);
  const hi = cm31Mul([q[2], q[3]], w);
  return [lo[0], lo[1], hi[0], hi[1]];
}

/** Circle fold of a conjugate pair: (f(p) + f(p̄)) + α·(f(p) - f(p̄))/p.y. */
export function foldCirclePair(fp: QM31, fconj: QM31, yInverse: number, alpha: QM31): QM31 {
  const f0 = qm31Add(fp, fconj);
  const f1 = qm31MulM31(qm31Sub(fp, fconj), yInverse);
  return qm31Add(f0, qm31Mul(alpha, f1));
}

/** Line fold of a pair (x, -x): (f(x) + f(-x)) + α·(f(x) - f(-x))/x. */
export function foldLinePair(fx: QM31, fneg: QM31, xInverse: number, alpha: QM31): QM31 {
  const f0 = qm31Add(fx, fneg);
  const f1 = qm31MulM31(qm31Sub(fx, fneg), xInverse);
  return qm31Add(f0, qm31Mul(alpha, f1));
}
