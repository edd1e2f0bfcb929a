import { type QM31, qm31Mul } from '@nexus/field';
import { describe, expect, it } from 'vitest';
import { joinChallenges } from '../src/fri.js';

/** a^e by e multiplications (no squaring shortcuts: an independent check). */
function power(a: QM31, e: number): QM31 {
  let out: QM31 = [1, 0, 0, 0];
  for (let k = 0; k < e; k++) out = qm31Mul(out, a);
  return out;
}

describe('joins inside a FRI step (kernel fri.ts soundness note)', () => {
  const a: QM31 = [123456789, 987654321, 55555, 2000000011];

  it('joinChallenges: challenge a^(2^(after-1)), weight a^((rest+1)·2^s)', () => {
    for (let s = 1; s <= 4; s++) {
      for (let after = 1; after <= s; after++) {
        const { challenge, weight } = joinChallenges(a, s, after);
        expect(challenge).toEqual(power(a, 2 ** (after - 1)));
        expect(weight).toEqual(power(a, (s - after + 1) * 2 ** s));
      }
    }
  });

  it('every sub-function of a step gets its own power of the challenge, all below (s+1)·2^s', () => {
    for (let s = 1; s <= 4; s++) {
      // The layer's 2^s sub-functions, then each possible join's Q0_n and Q1_n.
      const exponents: number[] = Array.from({ length: 2 ** s }, (_, m) => m);
      for (let t = 1; t <= s; t++) {
        const r = s - t;
        const w = (r + 1) * 2 ** s;
        for (let n = 0; n < 2 ** r; n++) {
          exponents.push(w + 2 ** t * n, w + 2 ** (t - 1) + 2 ** t * n);
        }
      }
      expect(new Set(exponents).size).toBe(exponents.length);
      expect(Math.max(...exponents)).toBeLessThan((s + 1) * 2 ** s);
    }
  });
});
