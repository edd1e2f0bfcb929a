import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocColumn,
  allocQM31Column,
  assertCanonical,
  batchInverse,
  columnAdd,
  columnFrom,
  columnMul,
  columnNeg,
  columnPow,
  columnRunningSum,
  columnScale,
  columnSub,
  columnSum,
  FieldError,
  inv,
  mul,
  P,
  pow,
  type QM31,
  qm31Add,
  qm31ColumnBatchInverse,
  qm31ColumnFrom,
  qm31ColumnMul,
  qm31ColumnMulM31,
  qm31ColumnScaleAdd,
  qm31ColumnToArray,
  qm31Inv,
  qm31Mul,
  setColumnAllocator,
} from '../src/index.js';
import { modn, refMul } from './reference.js';

const elem = fc.integer({ min: 0, max: P - 1 });
const nonzero = fc.integer({ min: 1, max: P - 1 });

describe('M31 columns', () => {
  it('elementwise ops agree with scalar ops', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(elem, elem), { maxLength: 64 }), (pairs) => {
        const a = columnFrom(pairs.map((x) => x[0]));
        const b = columnFrom(pairs.map((x) => x[1]));
        const prod = columnMul(a, b);
        const sum = columnAdd(a, b);
        const diff = columnSub(a, b);
        const negA = columnNeg(a);
        const scaled = columnScale(a, 7);
        pairs.forEach(([x, y], i) => {
          expect(prod[i]).toBe(refMul(x, y));
          expect(sum[i]).toBe((x + y) % P);
          expect(diff[i]).toBe((x - y + P) % P);
          expect(negA[i]).toBe((P - x) % P);
          expect(scaled[i]).toBe(refMul(x, 7));
        });
      }),
    );
  });

  it('edge values stay canonical', () => {
    const a = columnFrom([0, 1, P - 1, P - 1]);
    const b = columnFrom([P - 1, P - 1, P - 1, 1]);
    expect(Array.from(columnAdd(a, b))).toEqual([P - 1, 0, P - 2, 0]);
    expect(Array.from(columnMul(a, b))).toEqual([0, P - 1, 1, P - 1]);
    expect(Array.from(columnSub(a, b))).toEqual([1, 2, 0, P - 2]);
  });

  it('writes into an aliased output', () => {
    const a = columnFrom([1, 2, 3]);
    columnMul(a, a, a);
    expect(Array.from(a)).toEqual([1, 4, 9]);
  });

  it('batch inverse equals scalar inverse (also in place)', () => {
    fc.assert(
      fc.property(fc.array(nonzero, { maxLength: 100 }), (values) => {
        const col = columnFrom(values);
        expect(Array.from(batchInverse(col))).toEqual(values.map(inv));
        batchInverse(col, col);
        expect(Array.from(col)).toEqual(values.map(inv));
      }),
    );
    expect(() => batchInverse(columnFrom([3, 0, 5]))).toThrow(/index 1/);
  });

  it('column pow', () => {
    const a = columnFrom([0, 1, 2, P - 1]);
    expect(Array.from(columnPow(a, 5))).toEqual([0, 1, 32, P - 1]);
    expect(Array.from(columnPow(a, 0))).toEqual([1, 1, 1, 1]);
    expect(columnPow(columnFrom([3]), 1000)[0]).toBe(pow(3, 1000));
  });

  it('validates at the boundary, naming the argument', () => {
    expect(() => columnFrom([1, P], 'trace')).toThrow(/trace\[1\]/);
    expect(() => columnMul(allocColumn(2), allocColumn(3))).toThrow(
      /lengths differ: a has 2.*b has 3/,
    );
    expect(() => columnAdd(allocColumn(2), allocColumn(2), allocColumn(1))).toThrow(/out has 1/);
    expect(() => assertCanonical(Uint32Array.of(0, 0xffffffff), 'c')).toThrow(/c\[1\]/);
    expect(() => allocColumn(-1)).toThrow(FieldError);
  });

  it('columns come from the installed allocator', () => {
    const pool = new Uint32Array(16);
    let offset = 0;
    const previous = setColumnAllocator((n) => {
      const c = pool.subarray(offset, offset + n);
      offset += n;
      return c;
    });
    try {
      const a = allocColumn(4);
      const b = columnAdd(columnFrom([1, 2, 3, 4]), columnFrom([1, 1, 1, 1]));
      expect(a.buffer).toBe(pool.buffer);
      expect(b.buffer).toBe(pool.buffer);
      expect(Array.from(b)).toEqual([2, 3, 4, 5]);
      expect(Array.from(pool.subarray(12, 16))).toEqual([2, 3, 4, 5]);
    } finally {
      setColumnAllocator(previous);
    }
    expect(allocColumn(2).buffer).not.toBe(pool.buffer);
    expect(mul(2, 3)).toBe(6);
  });
});

describe('QM31 columns', () => {
  const q = fc.tuple(nonzero, elem, elem, elem) as fc.Arbitrary<QM31>;
  it('batch inverse by coordinates equals scalar inverse', () => {
    fc.assert(
      fc.property(fc.array(q, { minLength: 1, maxLength: 50 }), (values) => {
        const col = qm31ColumnFrom(values);
        qm31ColumnBatchInverse(col);
        expect(qm31ColumnToArray(col)).toEqual(values.map(qm31Inv));
      }),
      { numRuns: 100 },
    );
    const zero = allocQM31Column(3);
    zero[0][0] = 1;
    zero[0][2] = 1;
    expect(() => qm31ColumnBatchInverse(zero)).toThrow(/row 1/);
  });
  it('validates coordinates', () => {
    expect(() => qm31ColumnFrom([[1, 2, 3, P]])).toThrow(/values\[0\]\[3\]/);
  });
  it('row-by-row products, base scaling and scaled accumulation equal the scalar ops', () => {
    // Extremes included: p - 1 in every coordinate makes the unreduced sums widest.
    const any = fc.oneof(elem, fc.constant(P - 1), fc.constant(0)) as fc.Arbitrary<number>;
    const qa = fc.tuple(any, any, any, any) as fc.Arbitrary<QM31>;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(qa, qa, any, qa), { minLength: 1, maxLength: 40 }),
        qa,
        (rows, k) => {
          const a = qm31ColumnFrom(rows.map((r) => r[0]));
          const b = qm31ColumnFrom(rows.map((r) => r[1]));
          const s = columnFrom(rows.map((r) => r[2]));
          const acc = qm31ColumnFrom(rows.map((r) => r[3]));
          const prod = allocQM31Column(rows.length);
          qm31ColumnMul(a, b, prod);
          expect(qm31ColumnToArray(prod)).toEqual(rows.map((r) => qm31Mul(r[0], r[1])));
          const scaled = allocQM31Column(rows.length);
          qm31ColumnMulM31(a, s, scaled);
          expect(qm31ColumnToArray(scaled)).toEqual(
            rows.map((r) => qm31Mul(r[0], [r[2], 0, 0, 0])),
          );
          qm31ColumnScaleAdd(acc, a, k);
          expect(qm31ColumnToArray(acc)).toEqual(rows.map((r) => qm31Add(r[3], qm31Mul(k, r[0]))));
          // In place: out is a.
          qm31ColumnMul(a, b, a);
          expect(qm31ColumnToArray(a)).toEqual(qm31ColumnToArray(prod));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('sums along a column', () => {
  it('columnSum and columnRunningSum against BigInt sums', () => {
    fc.assert(
      fc.property(fc.array(elem, { maxLength: 40 }), elem, (values, step) => {
        const a = Uint32Array.from(values);
        expect(columnSum(a)).toBe(Number(modn(values.reduce((s, v) => s + BigInt(v), 0n))));
        const running = columnRunningSum(a, step);
        let acc = 0n;
        values.forEach((v, i) => {
          acc = modn(acc + BigInt(v) - BigInt(step));
          expect(running[i]).toBe(Number(acc));
        });
        // In place.
        expect(columnRunningSum(a, step, a)).toEqual(running);
      }),
    );
  });
});
