import { P } from '@nexus/field';
import fc from 'fast-check';

/** M31 elements with the edges weighted in: 0, 1, p - 1, p - 2, 2^30 and random values. */
export const m31 = (): fc.Arbitrary<number> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(0, 1, P - 1, P - 2, 2 ** 30, 2 ** 30 - 1), weight: 1 },
    { arbitrary: fc.integer({ min: 0, max: P - 1 }), weight: 3 },
  );

/** A column of 2^logSize M31 elements. */
export const column = (logSize: number): fc.Arbitrary<Uint32Array> =>
  fc
    .array(m31(), { minLength: 2 ** logSize, maxLength: 2 ** logSize })
    .map((v) => Uint32Array.from(v));

/** A QM31 column of n rows, by coordinates. */
export const qm31Column = (
  n: number,
): fc.Arbitrary<[Uint32Array, Uint32Array, Uint32Array, Uint32Array]> =>
  fc.tuple(
    ...([0, 1, 2, 3].map(() =>
      fc.array(m31(), { minLength: n, maxLength: n }).map((v) => Uint32Array.from(v)),
    ) as [
      fc.Arbitrary<Uint32Array>,
      fc.Arbitrary<Uint32Array>,
      fc.Arbitrary<Uint32Array>,
      fc.Arbitrary<Uint32Array>,
    ]),
  );

export const qm31 = (): fc.Arbitrary<[number, number, number, number]> =>
  fc.tuple(m31(), m31(), m31(), m31());

/** A deterministic pseudo-random column (xorshift) for sizes too big for fast-check. */
export function randomColumn(n: number, seed: number): Uint32Array {
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
