import {
  type CirclePoint,
  circleAdd,
  indexAdd,
  indexMul,
  indexNeg,
  pointAt,
  subgroupGeneratorIndex,
} from './circle.js';
import { FieldError } from './errors.js';

/**
 * A coset initial + <step> of the circle group, of size 2^logSize, described by point indices:
 * element i is the point of index initialIndex + i·stepIndex.
 */
export interface Coset {
  readonly initialIndex: number;
  readonly stepIndex: number;
  readonly logSize: number;
}

/** Largest log size a coset can have short of the whole group. */
export const MAX_COSET_LOG_SIZE = 30;

function assertCosetLogSize(logSize: number): void {
  if (!Number.isInteger(logSize) || logSize < 0 || logSize > MAX_COSET_LOG_SIZE) {
    throw new FieldError(`coset log size must be an integer in [0, 30], got ${logSize}`, {
      argument: 'logSize',
    });
  }
}

/** initial + <G_logSize>, the coset of size 2^logSize through the point of index initialIndex. */
export function coset(initialIndex: number, logSize: number): Coset {
  assertCosetLogSize(logSize);
  return { initialIndex, stepIndex: subgroupGeneratorIndex(logSize), logSize };
}

/** G_{n+1} + <G_n>: the "odds" coset of size 2^n. */
export function oddsCoset(logSize: number): Coset {
  assertCosetLogSize(logSize);
  return coset(subgroupGeneratorIndex(logSize + 1), logSize);
}

/** G_{n+2} + <G_n>: the half-odds coset, whose union with its conjugate is an odds coset. */
export function halfOddsCoset(logSize: number): Coset {
  if (!Number.isInteger(logSize) || logSize < 0 || logSize > 29) {
    throw new FieldError(`half-odds coset log size must be in [0, 29], got ${logSize}`, {
      argument: 'logSize',
    });
  }
  return coset(subgroupGeneratorIndex(logSize + 2), logSize);
}

/**
 * The canonic coset of log size n, G_{n+1} + <G_n>: trace row i is its point G_{n+1} + i·G_n
 * ("coset order"). It is closed under conjugation, which is what makes it a circle domain.
 */
export function canonicCoset(logSize: number): Coset {
  return oddsCoset(logSize);
}

export function cosetSize(c: Coset): number {
  return 2 ** c.logSize;
}

/** The index of element i. */
export function cosetIndexAt(c: Coset, i: number): number {
  return indexAdd(c.initialIndex, indexMul(c.stepIndex, i));
}

/** Element i as a point. */
export function cosetAt(c: Coset, i: number): CirclePoint {
  return pointAt(cosetIndexAt(c, i));
}

/** All points in order, computed by repeated addition of the step (one group addition each). */
export function cosetPoints(c: Coset): CirclePoint[] {
  const n = cosetSize(c);
  const step = pointAt(c.stepIndex);
  const out: CirclePoint[] = new Array(n);
  let p = pointAt(c.initialIndex);
  for (let i = 0; i < n; i++) {
    out[i] = p;
    p = circleAdd(p, step);
  }
  return out;
}

/** 2·C: the coset of doubled points, half the size. */
export function cosetDouble(c: Coset): Coset {
  if (c.logSize === 0) throw new FieldError('cannot double a coset of size 1');
  return {
    initialIndex: indexMul(c.initialIndex, 2),
    stepIndex: indexMul(c.stepIndex, 2),
    logSize: c.logSize - 1,
  };
}

/** The conjugate coset -C. */
export function cosetConjugate(c: Coset): Coset {
  return {
    initialIndex: indexNeg(c.initialIndex),
    stepIndex: indexNeg(c.stepIndex),
    logSize: c.logSize,
  };
}

/** C + shift, for a shift given as a point index. */
export function cosetShift(c: Coset, shiftIndex: number): Coset {
  return { ...c, initialIndex: indexAdd(c.initialIndex, shiftIndex) };
}
