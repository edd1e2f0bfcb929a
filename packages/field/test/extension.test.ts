import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cm31,
  cm31Inv,
  cm31Mul,
  FieldError,
  P,
  type QM31,
  qm31,
  qm31Add,
  qm31BatchInverse,
  qm31Conj,
  qm31Div,
  qm31Inv,
  qm31Mul,
  qm31MulM31,
  qm31Neg,
  qm31Pow,
  qm31Sub,
} from '../src/index.js';
import { refQMul } from './reference.js';

const elem = fc.integer({ min: 0, max: P - 1 });
const q = fc.tuple(elem, elem, elem, elem) as fc.Arbitrary<QM31>;
const nonzeroQ = q.filter((v) => v.some((x) => x !== 0));

describe('CM31', () => {
  it('vector: (1,2)·(4,5) = (p-6, 13)', () => {
    expect(cm31Mul(cm31(1, 2), cm31(4, 5))).toEqual([P - 6, 13]);
  });
  it('inverse', () => {
    fc.assert(
      fc.property(elem, elem, (a, b) => {
        if (a === 0 && b === 0) return;
        expect(cm31Mul([a, b], cm31Inv([a, b]))).toEqual([1, 0]);
      }),
    );
    expect(() => cm31Inv([0, 0])).toThrow(FieldError);
  });
});

describe('QM31', () => {
  it('vector: (1,2,3,4)·(4,5,6,7) = (p-71, 93, p-16, 50)', () => {
    expect(qm31Mul(qm31(1, 2, 3, 4), qm31(4, 5, 6, 7))).toEqual([P - 71, 93, P - 16, 50]);
  });

  it('u^2 = 2 + i', () => {
    expect(qm31Mul([0, 0, 1, 0], [0, 0, 1, 0])).toEqual([2, 1, 0, 0]);
  });

  it('multiplication agrees with a BigInt reference', () => {
    fc.assert(
      fc.property(q, q, (a, b) => {
        expect(qm31Mul(a, b)).toEqual(refQMul(a, b));
      }),
      {
        numRuns: 3000,
      },
    );
    const edge: QM31 = [P - 1, P - 1, P - 1, P - 1];
    expect(qm31Mul(edge, edge)).toEqual(refQMul(edge, edge));
  });

  it('satisfies the field axioms', () => {
    fc.assert(
      fc.property(q, q, q, (a, b, c) => {
        expect(qm31Mul(a, b)).toEqual(qm31Mul(b, a));
        expect(qm31Mul(qm31Mul(a, b), c)).toEqual(qm31Mul(a, qm31Mul(b, c)));
        expect(qm31Mul(a, qm31Add(b, c))).toEqual(qm31Add(qm31Mul(a, b), qm31Mul(a, c)));
        expect(qm31Add(a, qm31Neg(a))).toEqual([0, 0, 0, 0]);
        expect(qm31Sub(qm31Add(a, b), b)).toEqual(a);
      }),
      { numRuns: 1000 },
    );
  });

  it('inverse and division', () => {
    fc.assert(
      fc.property(nonzeroQ, q, (a, b) => {
        expect(qm31Mul(a, qm31Inv(a))).toEqual([1, 0, 0, 0]);
        expect(qm31Mul(qm31Div(b, a), a)).toEqual(b);
      }),
      { numRuns: 1000 },
    );
    expect(() => qm31Inv([0, 0, 0, 0])).toThrow(/cannot invert 0/);
  });

  it('the multiplicative group has order p^4 - 1', () => {
    const a: QM31 = [3, 5, 7, 11];
    expect(qm31Pow(a, (2n ** 31n - 1n) ** 4n - 1n)).toEqual([1, 0, 0, 0]);
  });

  it('conjugation negates the u part and a·conj(a) lies in CM31', () => {
    fc.assert(
      fc.property(q, (a) => {
        const c = qm31Conj(a);
        expect([c[0], c[1]]).toEqual([a[0], a[1]]);
        const n = qm31Mul(a, c);
        expect([n[2], n[3]]).toEqual([0, 0]);
      }),
    );
  });

  it('scaling by a base element', () => {
    fc.assert(
      fc.property(q, elem, (a, s) => {
        expect(qm31MulM31(a, s)).toEqual(qm31Mul(a, [s, 0, 0, 0]));
      }),
    );
  });

  it('batch inverse equals scalar inverse', () => {
    fc.assert(
      fc.property(fc.array(nonzeroQ, { maxLength: 40 }), (values) => {
        expect(qm31BatchInverse(values)).toEqual(values.map(qm31Inv));
      }),
      { numRuns: 100 },
    );
    expect(() =>
      qm31BatchInverse([
        [1, 0, 0, 0],
        [0, 0, 0, 0],
      ]),
    ).toThrow(/index 1/);
  });

  it('validates coordinates', () => {
    expect(() => qm31(1, 2, P, 4)).toThrow(/c must be a canonical/);
    expect(() => cm31(-1, 0)).toThrow(FieldError);
  });
});
