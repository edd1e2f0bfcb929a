import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  assertM31,
  div,
  FieldError,
  inv,
  m31,
  mul,
  mulPow2,
  neg,
  P,
  pow,
  reduce,
  square,
  sub,
} from '../src/index.js';
import { refMul, refPow } from './reference.js';

const elem = fc.integer({ min: 0, max: P - 1 });
const nonzero = fc.integer({ min: 1, max: P - 1 });
const EDGES = [0, 1, 2, P - 1, P - 2, 2 ** 30, 2 ** 30 - 1, 2 ** 16, 65535, 12345678];

describe('M31 scalars', () => {
  it('p is 2^31 - 1', () => {
    expect(P).toBe(2147483647);
  });

  it('multiplication agrees with BigInt on edge values', () => {
    for (const a of EDGES) for (const b of EDGES) expect(mul(a, b)).toBe(refMul(a, b));
  });

  it('multiplication agrees with BigInt on random values', () => {
    fc.assert(
      fc.property(elem, elem, (a, b) => mul(a, b) === refMul(a, b)),
      { numRuns: 20000 },
    );
  });

  it('results are canonical: (p-1)·(p-1) = 1, (p-1) + 1 = 0, 0 - 1 = p - 1', () => {
    expect(mul(P - 1, P - 1)).toBe(1);
    expect(add(P - 1, 1)).toBe(0);
    expect(sub(0, 1)).toBe(P - 1);
    expect(neg(0)).toBe(0);
    expect(neg(1)).toBe(P - 1);
  });

  it('satisfies the field axioms', () => {
    fc.assert(
      fc.property(elem, elem, elem, (a, b, c) => {
        expect(add(a, b)).toBe(add(b, a));
        expect(mul(a, b)).toBe(mul(b, a));
        expect(add(add(a, b), c)).toBe(add(a, add(b, c)));
        expect(mul(mul(a, b), c)).toBe(mul(a, mul(b, c)));
        expect(mul(a, add(b, c))).toBe(add(mul(a, b), mul(a, c)));
        expect(add(a, neg(a))).toBe(0);
        expect(sub(a, b)).toBe(add(a, neg(b)));
        expect(mul(a, 1)).toBe(a);
        expect(add(a, 0)).toBe(a);
      }),
      { numRuns: 5000 },
    );
  });

  it('inverse: a·a^-1 = 1, and agrees with a^(p-2)', () => {
    fc.assert(
      fc.property(nonzero, (a) => {
        expect(mul(a, inv(a))).toBe(1);
        expect(inv(a)).toBe(refPow(a, BigInt(P - 2)));
      }),
      { numRuns: 2000 },
    );
    for (const a of EDGES.filter((x) => x !== 0)) expect(mul(a, inv(a))).toBe(1);
    expect(inv(1)).toBe(1);
    expect(inv(P - 1)).toBe(P - 1);
  });

  it('pow agrees with BigInt, and Fermat holds', () => {
    fc.assert(
      fc.property(
        elem,
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        (a, e) => pow(a, e) === refPow(a, e),
      ),
      { numRuns: 500 },
    );
    expect(pow(3, P - 1)).toBe(1);
    expect(pow(0, 0)).toBe(1);
  });

  it('mulPow2 is multiplication by 2^k', () => {
    fc.assert(
      fc.property(
        elem,
        fc.integer({ min: 0, max: 30 }),
        (a, k) => mulPow2(a, k) === mul(a, 2 ** k),
      ),
    );
  });

  it('square and div', () => {
    fc.assert(
      fc.property(elem, nonzero, (a, b) => {
        expect(square(a)).toBe(mul(a, a));
        expect(mul(div(a, b), b)).toBe(a);
      }),
    );
  });

  it('reduce maps any safe integer into [0, p)', () => {
    expect(reduce(-1)).toBe(P - 1);
    expect(reduce(P)).toBe(0);
    expect(reduce(2 ** 40)).toBe(Number(2n ** 40n % BigInt(P)));
    expect(() => reduce(2 ** 60)).toThrow(FieldError);
  });

  it('rejects non-canonical values at the boundary, naming the argument', () => {
    expect(m31(5)).toBe(5);
    expect(() => m31(P, 'x')).toThrow(/x must be a canonical M31 element/);
    expect(() => m31(-1)).toThrow(FieldError);
    expect(() => m31(1.5)).toThrow(FieldError);
    expect(() => assertM31(2 ** 32, 'limb')).toThrow(/limb/);
    expect(() => inv(0)).toThrow(/cannot invert 0/);
    expect(() => pow(2, -1)).toThrow(FieldError);
  });
});
