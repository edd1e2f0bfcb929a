import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bitReverseIndex,
  circleDomain,
  columnFrom,
  domainAt,
  evalAtPoint,
  evaluate,
  evalWeights,
  evalWithWeights,
  FieldError,
  interpolate,
  interpolateInPlace,
  lde,
  lineDomain,
  lineDomainAt,
  lineEvalAtM31,
  lineEvalAtPoint,
  lineEvalAtPointM31,
  lineEvaluate,
  lineInterpolate,
  P,
  type QM31,
  securePointFromParameter,
  toSecurePoint,
} from '../src/index.js';
import { refEvalCircle } from './reference.js';

/** A deterministic pseudo-random column (xorshift), so failures reproduce. */
function randomColumn(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) % P;
  }
  return out;
}

describe('circle FFT', () => {
  it('vector: coefficients [1, 3, 2, 4] are 1 + 3y + 2x + 4xy', () => {
    const coeffs = columnFrom([1, 3, 2, 4]);
    const values = evaluate(coeffs);
    const d = circleDomain(2);
    for (let s = 0; s < 4; s++) {
      const { x, y } = domainAt(d, bitReverseIndex(s, 2));
      const expected =
        (1n + 3n * BigInt(y) + 2n * BigInt(x) + 4n * BigInt(x) * BigInt(y)) % BigInt(P);
      expect(values[s]).toBe(Number(expected));
    }
  });

  it('evaluate agrees with the basis definition (BigInt reference), log sizes 0..7', () => {
    for (let n = 0; n <= 7; n++) {
      const coeffs = randomColumn(2 ** n, 100 + n);
      const values = evaluate(coeffs, Math.max(n, 1));
      const d = circleDomain(Math.max(n, 1));
      for (let s = 0; s < values.length; s++) {
        const { x, y } = domainAt(d, bitReverseIndex(s, d.logSize));
        expect(values[s]).toBe(refEvalCircle(Array.from(coeffs), BigInt(x), BigInt(y)));
      }
    }
  });

  it('interpolate ∘ evaluate = identity for every log size 0..18', () => {
    for (let n = 0; n <= 18; n++) {
      const coeffs = randomColumn(2 ** n, 7 * n + 1);
      expect(interpolate(evaluate(coeffs))).toEqual(coeffs);
    }
  });

  it('evaluate ∘ interpolate = identity on random evaluations (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (n, seed) => {
          const values = randomColumn(2 ** n, seed);
          expect(evaluate(interpolate(values))).toEqual(values);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('edge values: all zero, all p-1, a constant', () => {
    const n = 10;
    expect(interpolate(new Uint32Array(2 ** n))).toEqual(new Uint32Array(2 ** n));
    const top = new Uint32Array(2 ** n).fill(P - 1);
    const c = interpolate(top);
    expect(c[0]).toBe(P - 1);
    expect(c.subarray(1).every((v) => v === 0)).toBe(true);
    expect(evaluate(c)).toEqual(top);
  });

  it('evaluate agrees with evalAtPoint at domain points and with weights at random points', () => {
    for (const n of [1, 2, 5, 10]) {
      const coeffs = randomColumn(2 ** n, 99 + n);
      const values = evaluate(coeffs);
      const d = circleDomain(n);
      for (const s of [0, 1, 2 ** n - 1, 2 ** (n - 1)]) {
        const p = toSecurePoint(domainAt(d, bitReverseIndex(s, n)));
        expect(evalAtPoint(coeffs, p)).toEqual([values[s], 0, 0, 0]);
      }
      const point = securePointFromParameter([n, 2, 3, 4]);
      expect(evalWithWeights(coeffs, evalWeights(point, n))).toEqual(evalAtPoint(coeffs, point));
    }
  });

  it('low-degree extension: values on the small domain are among the extended ones', () => {
    for (const [n, b] of [
      [1, 1],
      [4, 1],
      [6, 2],
      [8, 3],
    ] as const) {
      const values = randomColumn(2 ** n, n * 31 + b);
      const ext = lde(values, b);
      expect(ext.length).toBe(2 ** (n + b));
      // The extension interpolates to the same polynomial padded with zeros.
      const coeffs = interpolate(ext);
      expect(coeffs.subarray(0, 2 ** n)).toEqual(interpolate(values));
      expect(coeffs.subarray(2 ** n).every((v) => v === 0)).toBe(true);
      // And agrees with evalAtPoint anywhere on the big domain.
      const d = circleDomain(n + b);
      const small = interpolate(values);
      for (const s of [0, 3, ext.length - 1]) {
        const p = toSecurePoint(domainAt(d, bitReverseIndex(s, n + b)));
        expect(evalAtPoint(small, p)[0]).toBe(ext[s]);
      }
    }
  });

  it('interpolates on the first 2^n storage positions of a larger canonic domain', () => {
    // A polynomial of log size n evaluated on the canonic domain of log L: its first 2^n values
    // are a circle domain of their own, interpolated with L's twiddles back to the polynomial.
    for (const [n, L] of [
      [1, 2],
      [3, 4],
      [5, 7],
      [9, 10],
      [8, 11],
    ] as const) {
      const coeffs = randomColumn(2 ** n, 7 * n + L);
      const first = Uint32Array.from(evaluate(coeffs, L).subarray(0, 2 ** n));
      expect(interpolateInPlace(first, L)).toEqual(coeffs);
      // Not the canonic domain of log n: interpolating there gives another polynomial.
      const wrong = interpolate(evaluate(coeffs, L).subarray(0, 2 ** n));
      expect(wrong).not.toEqual(coeffs);
    }
    // Same as the plain call when L = n; a smaller L is refused.
    const v = randomColumn(16, 5);
    expect(interpolateInPlace(Uint32Array.from(v), 4)).toEqual(interpolate(v));
    expect(() => interpolateInPlace(Uint32Array.from(v), 3)).toThrow(/cannot lie in a domain/);
    expect(() => interpolateInPlace(Uint32Array.from(v), 29)).toThrow(/domainLog/);
  });

  it('rejects bad input with errors naming the argument', () => {
    expect(() => interpolate(new Uint32Array(3))).toThrow(/values length must be a power of two/);
    expect(() => interpolate(new Uint32Array(0))).toThrow(FieldError);
    expect(() => interpolate(Uint32Array.of(1, P))).toThrow(/values\[1\]/);
    expect(() => evaluate(Uint32Array.of(1, 2, 3, 4), 1)).toThrow(/smaller domain/);
    expect(() => evaluate(Uint32Array.of(1, 2), 29)).toThrow(/domainLogSize/);
    expect(() => lde(Uint32Array.of(1, 2), -1)).toThrow(/logBlowup/);
    expect(() => circleDomain(0)).toThrow(/logSize/);
  });
});

describe('line polynomials', () => {
  it('the line domain of log size k is the x-coordinates of the half coset of circle domain k + 1', () => {
    const k = 4;
    const d = lineDomain(k);
    const cd = circleDomain(k + 1);
    const xs = new Set<number>();
    for (let i = 0; i < 2 ** k; i++) {
      expect(lineDomainAt(d, i)).toBe(domainAt(cd, i).x);
      xs.add(lineDomainAt(d, i));
    }
    expect(xs.size).toBe(2 ** k); // distinct x's
  });

  it('lineEvaluate agrees with direct evaluation, and round-trips', () => {
    for (let k = 0; k <= 10; k++) {
      const coeffs = randomColumn(2 ** k, 500 + k);
      const values = lineEvaluate(coeffs);
      const d = lineDomain(k);
      for (const s of [0, 2 ** k - 1, Math.floor(2 ** k / 3)]) {
        const x = lineDomainAt(d, bitReverseIndex(s, k));
        expect(values[s]).toBe(lineEvalAtM31(coeffs, x));
      }
      expect(lineInterpolate(values)).toEqual(coeffs);
    }
  });

  it('QM31 line polynomials evaluate like their coordinates', () => {
    const k = 5;
    const cols = [0, 1, 2, 3].map((c) => randomColumn(2 ** k, 900 + c));
    const coeffs: QM31[] = Array.from({ length: 2 ** k }, (_, i) => [
      cols[0]![i]!,
      cols[1]![i]!,
      cols[2]![i]!,
      cols[3]![i]!,
    ]);
    const x = lineDomainAt(lineDomain(k), 7);
    expect(lineEvalAtPointM31(coeffs, x)).toEqual(cols.map((c) => lineEvalAtM31(c, x)));
    expect(lineEvalAtPoint(coeffs, [x, 0, 0, 0])).toEqual(lineEvalAtPointM31(coeffs, x));
  });

  it('rejects bad sizes', () => {
    expect(() => lineInterpolate(new Uint32Array(6))).toThrow(/power of two/);
    expect(() => lineEvalAtPoint([], [0, 0, 0, 0])).toThrow(FieldError);
  });
});
