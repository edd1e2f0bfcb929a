import { cm31Inv, type QM31, qm31Add, qm31Mul, securePointFromParameter } from '@nexus/field';
import {
  lineCoefficients,
  qm31MulCM31,
  quotientNumerator,
  vanishingLine,
  vanishingLineAt,
} from '@nexus/kernel';
import { wasmKernels } from '@nexus/kernels-wasm';
import { describe, expect, it } from 'vitest';
import { type DeepColumn, deepQuotient } from '../src/deep.js';
import { storagePoints } from '../src/domain.js';
import { typescriptKernels } from '../src/kernels.js';

/** A deterministic pseudo-random canonical M31 stream (xorshift, rejection of p). */
function stream(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    for (;;) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      const v = s & 0x7fffffff;
      if (v !== 0x7fffffff) return v;
    }
  };
}

describe('deepQuotient', () => {
  // Two sample points (an OODS point and a second one, as a column read at two offsets is
  // sampled), three columns, a domain of 2^6: the kernels' result against the per-row formulas
  // of @nexus/kernel quotient.ts, Q(P) = Σ_ρ Σ_j α_j·(c_j·f_j(P) - a_j·P.y - b_j) / V_ρ(P).
  const log = 6;
  const n = 2 ** log;
  const rand = stream(7);
  const qm31 = (): QM31 => [rand(), rand(), rand(), rand()];
  const points = [securePointFromParameter(qm31()), securePointFromParameter(qm31())];
  const columns: DeepColumn[] = [0, 1, 2].map((c) => ({
    lde: Uint32Array.from({ length: n }, rand),
    samples: points
      .filter((_, k) => c !== 1 || k === 0) // column 1 is sampled at one point only
      .map((point, k) => ({ point, pointKey: `p${k}`, value: qm31(), coefficient: qm31() })),
  }));

  it('is the per-row quotient, on the TypeScript and on the WebAssembly kernels', () => {
    const { xs, ys } = storagePoints(log);
    const expected: QM31[] = [];
    for (let s = 0; s < n; s++) {
      let sum: QM31 = [0, 0, 0, 0];
      for (const col of columns) {
        for (const sample of col.samples) {
          const lc = lineCoefficients(sample.point, sample.value);
          const numerator = qm31Mul(sample.coefficient, quotientNumerator(lc, col.lde[s]!, ys[s]!));
          const v = vanishingLineAt(vanishingLine(sample.point), xs[s]!, ys[s]!);
          sum = qm31Add(sum, qm31MulCM31(numerator, cm31Inv(v)));
        }
      }
      expected.push(sum);
    }
    const rows = (q: readonly Uint32Array[]) =>
      Array.from({ length: n }, (_, s) => [q[0]![s], q[1]![s], q[2]![s], q[3]![s]]);
    expect(rows(deepQuotient(log, columns, typescriptKernels))).toEqual(expected);
    expect(wasmKernels).not.toBeNull();
    expect(rows(deepQuotient(log, columns, wasmKernels!))).toEqual(expected);
  });
});
