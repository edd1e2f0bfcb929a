import {
  add as addm,
  allocQM31Column,
  type Column,
  P,
  type QM31,
  type QM31Column,
  qm31MulInto as qmul,
  type SecureCirclePoint,
} from '@nexus/field';
import { lineCoefficients, vanishingLine } from '@nexus/kernel';
import { storagePoints } from './domain.js';
import { type ProverKernels, typescriptKernels } from './kernels.js';

/** One sampled column of a given size: its extension and the samples taken of it. */
export interface DeepColumn {
  /** Evaluation on the canonic domain of log size logSize + logBlowup, storage order. */
  readonly lde: Column;
  readonly samples: readonly {
    readonly point: SecureCirclePoint;
    readonly pointKey: string;
    readonly value: QM31;
    readonly coefficient: QM31;
  }[];
}

/**
 * The DEEP quotient of all columns of one size, over its extension domain:
 *   Q(P) = Σ_ρ [Σ_{j at ρ} α_j·(c_j·f_j(P) - a_j·P.y - b_j)] / V_ρ(P)
 * (formulas in @nexus/kernel quotient.ts). Grouping by sample point ρ shares the division:
 * per point, the numerator is one QM31 combination of base columns (4 multiplications per
 * column and row, the kernels' linear combination), V_ρ another, then one batch inversion, one
 * product and one sum, all column kernels.
 */
export function deepQuotient(
  domainLog: number,
  columns: readonly DeepColumn[],
  kernels: ProverKernels = typescriptKernels,
): QM31Column {
  const n = 2 ** domainLog;
  const { xs, ys } = storagePoints(domainLog);
  const out = allocQM31Column(n);
  const groups = new Map<
    string,
    { point: SecureCirclePoint; terms: { lde: Column; coefficient: QM31; value: QM31 }[] }
  >();
  for (const col of columns) {
    for (const s of col.samples) {
      const g = groups.get(s.pointKey) ?? { point: s.point, terms: [] };
      g.terms.push({ lde: col.lde, coefficient: s.coefficient, value: s.value });
      groups.set(s.pointKey, g);
    }
  }
  // Per point ρ, every step is a column kernel (WebAssembly on the default path): for a
  // small proof this loop ran as cold JavaScript, ~20 M31 products per row through calls.
  const q = allocQM31Column(n);
  const w = allocQM31Column(n);
  let first = true;
  for (const { point, terms } of groups.values()) {
    // q = Σ_j coefficient_j·(c_j·f_j(P) - a_j·P.y - b_j) = Σ_j s_j·f_j + (-A)·P.y + (-B), with
    // s_j = coefficient_j·c_j, A = Σ coefficient_j·a_j, B = Σ coefficient_j·b_j: one QM31
    // combination of base columns (P.y is one more column) plus a constant.
    let A: number[] = [0, 0, 0, 0];
    let B: number[] = [0, 0, 0, 0];
    const scales: QM31[] = [];
    for (const t of terms) {
      const lc = lineCoefficients(point, t.value);
      scales.push(qmulScalar(t.coefficient, lc.c) as unknown as QM31);
      A = qadd(A, qmulScalar(t.coefficient, lc.a));
      B = qadd(B, qmulScalar(t.coefficient, lc.b));
    }
    kernels.qm31ColumnLinearCombination(
      [...terms.map((t) => t.lde), ys],
      [...scales, qneg(A)],
      qneg(B),
      q,
    );
    // V_ρ(P) = P.x·ρy1 - P.y·ρx1 + k, a CM31 value: the QM31 column (v0, v1, 0, 0), also a
    // combination of base columns. Its inverse is the CM31 inverse conj(V)/|V|^2 (inverses are
    // unique and CM31 is a subfield); a zero V (P on the line through ρ) throws, as before.
    const line = vanishingLine(point);
    kernels.qm31ColumnLinearCombination(
      [xs, ys],
      [
        [line.ry1[0], line.ry1[1], 0, 0],
        [neg(line.rx1[0]), neg(line.rx1[1]), 0, 0],
      ],
      [line.k[0], line.k[1], 0, 0],
      w,
    );
    kernels.qm31ColumnBatchInverse(w);
    // out += q / V
    if (first) {
      kernels.qm31ColumnMul(q, w, out);
      first = false;
    } else {
      kernels.qm31ColumnMul(q, w, q);
      kernels.qm31ColumnScaleAdd(out, q, ONE);
    }
  }
  return out;
}

const ONE: QM31 = [1, 0, 0, 0];

function neg(a: number): number {
  return a === 0 ? 0 : P - a;
}

function qneg(a: readonly number[]): QM31 {
  return [neg(a[0]!), neg(a[1]!), neg(a[2]!), neg(a[3]!)];
}

function qadd(a: readonly number[], b: readonly number[]): number[] {
  return [addm(a[0]!, b[0]!), addm(a[1]!, b[1]!), addm(a[2]!, b[2]!), addm(a[3]!, b[3]!)];
}

function qmulScalar(a: QM31, b: QM31): number[] {
  const out = [0, 0, 0, 0];
  qmul(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], out, 0);
  return out;
}
