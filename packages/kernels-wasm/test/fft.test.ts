import {
  evaluateUnchecked,
  FieldError,
  interpolateInPlace,
  interpolateRows,
  P,
  rowToStoragePermutation,
  shiftStoragePositions,
} from '@nexus/field';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wasmKernels } from '../src/index.js';
import { column, randomColumn } from './arbitraries.js';

const k = wasmKernels!;

describe('wasm circle FFT', () => {
  it('loads in this runtime (Node 20 has SIMD)', () => {
    expect(wasmKernels).not.toBeNull();
  });

  it('shiftStoragePositions equals the TypeScript one, closed prefixes and not', () => {
    const outcome = (f: () => Int32Array) => {
      try {
        return Array.from(f());
      } catch (e) {
        return (e as Error).message;
      }
    };
    let closed = 0;
    for (let lde = 1; lde <= 12; lde++) {
      for (let d = 0; d <= lde; d++) {
        const n = 2 ** lde;
        // Multiples of 2^(lde - d + 1) keep the first 2^d positions closed; others may not.
        for (const shift of [0, 1, n - 1, 2 ** (lde - d), n - 2 ** (lde - d), (5 * n) >> 3]) {
          if (shift >= n) continue;
          const expected = outcome(() => shiftStoragePositions(d, lde, shift));
          expect(outcome(() => k.shiftStoragePositions(d, lde, shift))).toEqual(expected);
          if (typeof expected !== 'string') closed++;
        }
      }
    }
    expect(closed).toBeGreaterThan(100);
    // The same argument errors, and the out array when given.
    for (const bad of [
      [3, 2, 0],
      [2, 3, 8],
      [2, 3, -1],
      [1.5, 3, 0],
      [2, 0, 0],
    ] as const)
      expect(outcome(() => k.shiftStoragePositions(bad[0], bad[1], bad[2]))).toEqual(
        outcome(() => shiftStoragePositions(bad[0], bad[1], bad[2])),
      );
    const out = new Int32Array(8);
    expect(k.shiftStoragePositions(3, 5, 8, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(shiftStoragePositions(3, 5, 8)));
  });

  it('interpolateInPlace equals the TypeScript one, log sizes 0..11, edge values', () => {
    for (let logSize = 0; logSize <= 11; logSize++) {
      fc.assert(
        fc.property(column(logSize), (values) => {
          const expected = interpolateInPlace(Uint32Array.from(values));
          expect(k.interpolateInPlace(Uint32Array.from(values))).toEqual(expected);
        }),
        { numRuns: logSize > 8 ? 5 : 20 },
      );
    }
  });

  it('interpolateRows equals the TypeScript one (row order to coefficients), log sizes 0..13', () => {
    for (let logSize = 0; logSize <= 13; logSize++) {
      fc.assert(
        fc.property(column(logSize), (rows) => {
          const before = Uint32Array.from(rows);
          const expected = interpolateRows(before);
          // The TypeScript twin is the permutation, then interpolateInPlace.
          const storage = new Uint32Array(rows.length);
          const perm = rowToStoragePermutation(logSize);
          for (let j = 0; j < rows.length; j++) storage[perm[j]!] = rows[j]!;
          expect(expected).toEqual(interpolateInPlace(storage));
          const out = new Uint32Array(rows.length).fill(7); // any contents: all overwritten
          expect(k.interpolateRows(before, out)).toBe(out);
          expect(out).toEqual(expected);
          expect(k.interpolateRows(before)).toEqual(expected);
          expect(before).toEqual(Uint32Array.from(rows)); // the rows are not changed
        }),
        { numRuns: logSize > 8 ? 3 : 15 },
      );
    }
    expect(() => k.interpolateRows(new Uint32Array(16), new Uint32Array(8))).toThrow(FieldError);
  });

  it('interpolateRows equals the TypeScript one on large columns, log sizes 14..18', () => {
    // The prover's commitments and the verifier's preprocessed root both use the kernel, so a
    // size-specific fault would agree with itself end to end: compared here at the sizes
    // large guests reach (program ROMs and memory images of 2^14-2^18 rows).
    for (let logSize = 14; logSize <= 18; logSize += 2) {
      const rows = randomColumn(2 ** logSize, 101 + logSize);
      expect(k.interpolateRows(rows)).toEqual(interpolateRows(rows));
    }
  });

  it('interpolates on the first positions of a larger domain as the TypeScript one does', () => {
    for (const [n, L] of [
      [3, 4],
      [6, 8],
      [12, 13],
      [11, 14],
    ] as const) {
      const values = randomColumn(2 ** n, n + L);
      const expected = interpolateInPlace(Uint32Array.from(values), L);
      expect(k.interpolateInPlace(Uint32Array.from(values), L)).toEqual(expected);
      expect(evaluateUnchecked(expected, L).subarray(0, 2 ** n)).toEqual(values);
    }
    expect(() => k.interpolateInPlace(new Uint32Array(16), 3)).toThrow(FieldError);
  });

  it('evaluateUnchecked equals the TypeScript one onto domains up to 4x larger', () => {
    for (let polyLog = 0; polyLog <= 10; polyLog++) {
      for (let extra = 0; extra <= 2; extra++) {
        fc.assert(
          fc.property(column(polyLog), (coeffs) => {
            const d = polyLog + extra;
            expect(k.evaluateUnchecked(coeffs, d)).toEqual(evaluateUnchecked(coeffs, d));
          }),
          { numRuns: 5 },
        );
      }
    }
  });

  it('large columns (2^16 interpolated, extended to 2^17) equal, and round-trip', () => {
    const values = randomColumn(2 ** 16, 7);
    values[0] = 0;
    values[1] = P - 1;
    const coeffs = k.interpolateInPlace(Uint32Array.from(values));
    expect(coeffs).toEqual(interpolateInPlace(Uint32Array.from(values)));
    const ext = k.evaluateUnchecked(coeffs, 17);
    expect(ext).toEqual(evaluateUnchecked(coeffs, 17));
    expect(k.evaluateUnchecked(coeffs, 16)).toEqual(values);
    expect(ext.every((v) => v < P)).toBe(true);
  });

  it('writes into `out` and checks its length; rejects bad lengths as the TS one does', () => {
    const coeffs = randomColumn(64, 3);
    const out = new Uint32Array(256);
    expect(k.evaluateUnchecked(coeffs, 8, out)).toBe(out);
    expect(out).toEqual(evaluateUnchecked(coeffs, 8));
    expect(() => k.evaluateUnchecked(coeffs, 8, new Uint32Array(100))).toThrow(FieldError);
    expect(() => k.interpolateInPlace(new Uint32Array(12))).toThrow(FieldError);
  });
});
