import {
  type CirclePoint,
  circleAdd,
  doubleX,
  indexAdd,
  indexNeg,
  pointAt,
  type SecureCirclePoint,
  secureAddM31,
  secureDoubleX,
} from './circle.js';
import type { Coset } from './coset.js';
import type { QM31 } from './qm31.js';

/**
 * The vanishing polynomial of a coset C = c0 + <G_n> (n >= 1): zero exactly on C, degree 2^n.
 *
 * Shift the point by -c0 + G_{n+1}, which maps C onto the odds coset G_{n+1} + <G_n>; doubling
 * n - 1 times maps that coset onto the two points of order 4, where x = 0. So
 * V_C(P) = x(2^(n-1)·(P - c0 + G_{n+1})). This is what every constraint is divided by.
 */
function shiftIndex(c: Coset): number {
  // G_{n+1} is half the step.
  return indexAdd(indexNeg(c.initialIndex), c.stepIndex / 2);
}

export function cosetVanishing(c: Coset, point: CirclePoint): number {
  let x = circleAdd(point, pointAt(shiftIndex(c))).x;
  for (let i = 1; i < c.logSize; i++) x = doubleX(x);
  return x;
}

export function cosetVanishingSecure(c: Coset, point: SecureCirclePoint): QM31 {
  let x = secureAddM31(point, pointAt(shiftIndex(c))).x;
  for (let i = 1; i < c.logSize; i++) x = secureDoubleX(x);
  return x;
}
