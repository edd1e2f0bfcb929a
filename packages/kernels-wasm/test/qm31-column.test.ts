import {
  columnRunningSum,
  columnSum,
  evalWeights,
  evalWithWeights,
  FieldError,
  type QM31Column,
  qm31ColumnBatchInverse,
  qm31ColumnFoldPairs,
  qm31ColumnLinearCombination,
  qm31ColumnMul,
  qm31ColumnMulM31,
  qm31ColumnMulM31Add,
  qm31ColumnMulM31Pair,
  qm31ColumnMulSub,
  qm31ColumnScaleAdd,
} from '@nexus/field';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wasmKernels } from '../src/index.js';
import { column, m31, qm31, qm31Column, randomColumn } from './arbitraries.js';

const k = wasmKernels!;
const copy = (c: QM31Column): QM31Column =>
  [c[0].slice(), c[1].slice(), c[2].slice(), c[3].slice()] as const;
const sizes = fc.constantFrom(1, 2, 3, 4, 8, 12, 64, 260);

describe('wasm QM31 column kernels equal the TypeScript ones', () => {
  it('mul (also in place)', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => fc.tuple(qm31Column(n), qm31Column(n))),
        ([a, b]) => {
          const expected = copy(a);
          qm31ColumnMul(a, b, expected);
          const out = copy(a);
          k.qm31ColumnMul(out, b, out);
          expect(out).toEqual(expected);
        },
      ),
    );
  });

  it('mulM31', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) =>
          fc.tuple(qm31Column(n), fc.array(m31(), { minLength: n, maxLength: n })),
        ),
        ([a, s]) => {
          const m = Uint32Array.from(s);
          const expected = copy(a);
          qm31ColumnMulM31(a, m, expected);
          const out = copy(a);
          k.qm31ColumnMulM31(a, m, out);
          expect(out).toEqual(expected);
        },
      ),
    );
  });

  it('scaleAdd', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => fc.tuple(qm31Column(n), qm31Column(n), qm31())),
        ([acc, a, scalar]) => {
          const expected = copy(acc);
          qm31ColumnScaleAdd(expected, a, scalar);
          const out = copy(acc);
          k.qm31ColumnScaleAdd(out, a, scalar);
          expect(out).toEqual(expected);
        },
      ),
    );
  });

  it('foldPairs (the FRI fold), also with twiddle columns longer than half', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(2, 4, 6, 8, 16, 24, 128, 520)
          .chain((n) =>
            fc.tuple(qm31Column(n), fc.array(m31(), { minLength: n / 2, maxLength: n }), qm31()),
          ),
        ([values, t, alpha]) => {
          const twiddles = Uint32Array.from(t);
          const before = copy(values);
          const out = k.qm31ColumnFoldPairs(values, twiddles, alpha);
          expect(out).toEqual(qm31ColumnFoldPairs(values, twiddles, alpha));
          expect(values).toEqual(before);
        },
      ),
    );
  });

  it('batchInverse, and the same error naming the first zero row', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => qm31Column(n)),
        (a) => {
          // make every row nonzero (rows of four zeros are the error case, tested below)
          for (let r = 0; r < a[0].length; r++)
            if ((a[0][r]! | a[1][r]! | a[2][r]! | a[3][r]!) === 0) a[0][r] = 1;
          const expected = copy(a);
          qm31ColumnBatchInverse(expected);
          const out = copy(a);
          k.qm31ColumnBatchInverse(out);
          expect(out).toEqual(expected);
        },
      ),
    );
    const big = [0, 1, 2, 3].map((i) => randomColumn(4096, 11 + i)) as unknown as QM31Column;
    const expected = copy(big);
    qm31ColumnBatchInverse(expected);
    const out = copy(big);
    k.qm31ColumnBatchInverse(out);
    expect(out).toEqual(expected);
    for (const c of big) c[1234] = 0;
    for (const c of big) c[2345] = 0;
    expect(() => k.qm31ColumnBatchInverse(copy(big))).toThrow(FieldError);
    expect(() => k.qm31ColumnBatchInverse(copy(big))).toThrow(/row 1234/);
  });

  it('linearCombination (more columns than one chunk of 16 too)', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.constantFrom(4, 8, 64, 3), fc.integer({ min: 1, max: 40 }))
          .chain(([logN, count]) =>
            fc.tuple(
              fc.array(
                column(0).chain(() => fc.array(m31(), { minLength: logN, maxLength: logN })),
                { minLength: count, maxLength: count },
              ),
              fc.array(qm31(), { minLength: count, maxLength: count }),
              qm31(),
            ),
          ),
        ([cols, alphas, c]) => {
          const n = cols[0]!.length;
          const columns = cols.map((v) => Uint32Array.from(v));
          const alloc = () => [0, 1, 2, 3].map(() => new Uint32Array(n)) as unknown as QM31Column;
          const expected = alloc();
          qm31ColumnLinearCombination(columns, alphas, c, expected);
          const out = alloc();
          k.qm31ColumnLinearCombination(columns, alphas, c, out);
          expect(out).toEqual(expected);
        },
      ),
    );
  });
});

describe('wasm OODS sums equal the TypeScript ones', () => {
  it('evalManyWithWeights = evalWithWeights per column (more than one chunk of columns)', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(fc.constantFrom(1, 2, 4, 16, 64), fc.integer({ min: 1, max: 40 }))
          .chain(([n, count]) =>
            fc.tuple(
              qm31Column(n),
              fc.array(
                fc.array(m31(), { minLength: n, maxLength: n }).map((v) => Uint32Array.from(v)),
                { minLength: count, maxLength: count },
              ),
            ),
          ),
        ([weights, columns]) => {
          const expected = columns.map((c) => evalWithWeights(c, weights));
          expect(k.evalManyWithWeights(columns, weights)).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
    expect(() => k.evalManyWithWeights([new Uint32Array(8)], qm31Zero(4))).toThrow(FieldError);
  });
});

function qm31Zero(n: number): QM31Column {
  return [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
}

describe('wasm LogUp numerator equals the TypeScript one', () => {
  it('mulM31Pair', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) =>
          fc.tuple(
            qm31Column(n),
            fc.array(m31(), { minLength: n, maxLength: n }),
            qm31Column(n),
            fc.array(m31(), { minLength: n, maxLength: n }),
          ),
        ),
        ([a, m, b, l]) => {
          const mm = Uint32Array.from(m);
          const ll = Uint32Array.from(l);
          const expected = copy(a);
          qm31ColumnMulM31Pair(a, mm, b, ll, expected);
          const out = copy(a);
          k.qm31ColumnMulM31Pair(a, mm, b, ll, out);
          expect(out).toEqual(expected);
          // and against the column kernels of @nexus/field
          const x = copy(a);
          const y = copy(b);
          qm31ColumnMulM31(a, mm, x);
          qm31ColumnMulM31(b, ll, y);
          for (let c = 0; c < 4; c++) {
            for (let r = 0; r < mm.length; r++) {
              expect(expected[c]![r]).toBe((x[c]![r]! + y[c]![r]!) % 2147483647);
            }
          }
        },
      ),
    );
  });
});

describe('wasm LogUp constraint kernels equal the TypeScript ones', () => {
  it('mulSub (in place too) and mulM31Add', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) =>
          fc.tuple(
            qm31Column(n),
            qm31Column(n),
            qm31Column(n),
            fc.array(m31(), { minLength: n, maxLength: n }),
          ),
        ),
        ([a, b, c, s]) => {
          const expected = copy(b);
          qm31ColumnMulSub(a, b, c, expected);
          const out = copy(b);
          k.qm31ColumnMulSub(a, out, c, out);
          expect(out).toEqual(expected);
          const m = Uint32Array.from(s);
          const acc = copy(c);
          qm31ColumnMulM31Add(acc, a, m);
          const acc2 = copy(c);
          k.qm31ColumnMulM31Add(acc2, a, m);
          expect(acc2).toEqual(acc);
        },
      ),
    );
  });
});

describe('wasm column sums equal the TypeScript ones', () => {
  it('columnSum and columnRunningSum (also in place), lengths not a multiple of 4 too', () => {
    fc.assert(
      fc.property(
        sizes.chain((n) => fc.tuple(fc.array(m31(), { minLength: n, maxLength: n }), m31())),
        ([values, step]) => {
          const a = Uint32Array.from(values);
          expect(k.columnSum(a)).toBe(columnSum(a));
          const expected = columnRunningSum(a, step);
          expect(k.columnRunningSum(a, step)).toEqual(expected);
          const inPlace = a.slice();
          k.columnRunningSum(inPlace, step, inPlace);
          expect(inPlace).toEqual(expected);
        },
      ),
    );
    const big = randomColumn(1 << 14, 7);
    expect(k.columnSum(big)).toBe(columnSum(big));
    expect(k.columnRunningSum(big, 12345)).toEqual(columnRunningSum(big, 12345));
  });
});

describe('wasm basis weights equal the TypeScript ones', () => {
  it('evalWeights at any QM31 pair, sizes 2^0 to 2^11', () => {
    fc.assert(
      fc.property(qm31(), qm31(), fc.integer({ min: 0, max: 11 }), (x, y, logSize) => {
        const point = { x, y };
        expect(k.evalWeights(point, logSize)).toEqual(evalWeights(point, logSize));
      }),
      { numRuns: 40 },
    );
  });
});
