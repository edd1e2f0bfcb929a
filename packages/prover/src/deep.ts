import {
  add as addm,
  allocQM31Column,
  type Column,
  P,
  type QM31,
  type QM31Column,
  qm31Conj,
  qm31Mul,
  qm31Sub,
  qm31MulInto as qmul,
  type SecureCirclePoint,
} from '@nexus/field';
import { vanishingLine } from '@nexus/kernel';
import { storagePoints } from './domain.js';
import { type ProverKernels, typescriptKernels } from './kernels.js';
import { type ProverPool, poolFor, rowChunk } from './pool.js';
import { share, sharedU32 } from './shared.js';

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

/** One sample point's share of a DEEP quotient, reduced to numbers (a job's payload). */
export interface DeepGroup {
  /** Indices into the plan's `ldes`, and each term's QM31 scale α_j·c_j (4 words each). */
  readonly columns: readonly number[];
  readonly scales: readonly QM31[];
  /** A = Σ α_j·a_j and B = Σ α_j·b_j over the point's samples. */
  readonly A: readonly number[];
  readonly B: readonly number[];
  /** The vanishing line's coefficients (kernel vanishingLine): CM31 pairs. */
  readonly ry1: readonly [number, number];
  readonly rx1: readonly [number, number];
  readonly k: readonly [number, number];
}

/** A DEEP quotient to compute: what deepRows reads, and the column it writes. */
export interface DeepPlan {
  readonly xs: Uint32Array;
  readonly ys: Uint32Array;
  readonly ldes: readonly Column[];
  readonly groups: readonly DeepGroup[];
  readonly out: QM31Column;
}

/**
 * The DEEP quotient of all columns of one size, over its extension domain:
 *   Q(P) = Σ_ρ [Σ_{j at ρ} α_j·(c_j·f_j(P) - a_j·P.y - b_j)] / V_ρ(P)
 * (formulas in @nexus/kernel quotient.ts). Grouping by sample point ρ shares the division:
 * per point, the numerator is one QM31 combination of base columns (4 multiplications per
 * column and row, the kernels' linear combination), V_ρ another, then one batch inversion, one
 * product and one sum, all column kernels.
 *
 * Each row's value depends on that row only: `deepPlan` reduces the samples to numbers and
 * `deepRows` computes any range of rows, so a pool splits the rows over its threads.
 */
export function deepQuotient(
  domainLog: number,
  columns: readonly DeepColumn[],
  kernels: ProverKernels = typescriptKernels,
  pool: ProverPool | null = null,
): QM31Column {
  const n = 2 ** domainLog;
  const parallel = poolFor(pool, n);
  const plan = deepPlan(domainLog, columns, parallel !== null);
  if (parallel === null) {
    deepRows(plan, 0, n, kernels);
    return plan.out;
  }
  const chunk = rowChunk(parallel, n);
  parallel.run(
    {
      kind: 'deep',
      count: Math.ceil(n / chunk),
      typescript: kernels === typescriptKernels,
      chunk,
      plan,
    },
    (i) => deepRows(plan, i * chunk, Math.min(n, (i + 1) * chunk), kernels),
  );
  return plan.out;
}

/** The numbers of a DEEP quotient; its columns shared when `shared` (for a pool). */
export function deepPlan(
  domainLog: number,
  columns: readonly DeepColumn[],
  shared: boolean,
): DeepPlan {
  const n = 2 ** domainLog;
  const { xs, ys } = storagePoints(domainLog);
  const ldes: Column[] = [];
  const ldeIndex = new Map<Column, number>();
  const points = new Map<
    string,
    { point: SecureCirclePoint; terms: { lde: number; coefficient: QM31; value: QM31 }[] }
  >();
  for (const col of columns) {
    let index = ldeIndex.get(col.lde);
    if (index === undefined) {
      index = ldes.length;
      ldeIndex.set(col.lde, index);
      ldes.push(shared ? share(col.lde) : col.lde);
    }
    for (const s of col.samples) {
      const g = points.get(s.pointKey) ?? { point: s.point, terms: [] };
      g.terms.push({ lde: index, coefficient: s.coefficient, value: s.value });
      points.set(s.pointKey, g);
    }
  }
  const groups: DeepGroup[] = [];
  for (const { point, terms } of points.values()) {
    // Σ_j coefficient_j·c_j·f_j(P) and the constant parts A = Σ α_j a_j, B = Σ α_j b_j, with
    // (a_j, b_j, c_j) = lineCoefficients(ρ, v_j): c = conj(ρ.y) - ρ.y is the point's alone,
    // a_j = conj(v_j) - v_j and b_j = v_j·c - a_j·ρ.y, so B = c·Σ α_j v_j - ρ.y·A. Three
    // products per term instead of five (thousands of terms, run once, cold).
    const c = qm31Sub(qm31Conj(point.y), point.y);
    let A: number[] = [0, 0, 0, 0];
    let V: number[] = [0, 0, 0, 0];
    const scales: QM31[] = [];
    for (const t of terms) {
      const v = t.value;
      scales.push(qmulScalar(t.coefficient, c) as unknown as QM31);
      A = qadd(A, qmulScalar(t.coefficient, qm31Sub(qm31Conj(v), v)));
      V = qadd(V, qmulScalar(t.coefficient, v));
    }
    const B = qm31Sub(qm31Mul(V as unknown as QM31, c), qm31Mul(A as unknown as QM31, point.y));
    const line = vanishingLine(point);
    groups.push({
      columns: terms.map((t) => t.lde),
      scales,
      A,
      B,
      ry1: [line.ry1[0], line.ry1[1]],
      rx1: [line.rx1[0], line.rx1[1]],
      k: [line.k[0], line.k[1]],
    });
  }
  const out = shared
    ? ([sharedU32(n), sharedU32(n), sharedU32(n), sharedU32(n)] as QM31Column)
    : allocQM31Column(n);
  return { xs, ys, ldes, groups, out };
}

/** Rows [start, end) of a planned DEEP quotient, added into plan.out (any thread). */
export function deepRows(plan: DeepPlan, start: number, end: number, kernels: ProverKernels): void {
  const len = end - start;
  const xs = plan.xs.subarray(start, end);
  const ys = plan.ys.subarray(start, end);
  const out = plan.out.map((c) => c.subarray(start, end)) as unknown as QM31Column;
  // Per point ρ, every step is a column kernel (WebAssembly on the default path).
  const q = allocQM31Column(len);
  const w = allocQM31Column(len);
  let first = true;
  for (const { columns, scales, A, B, ry1, rx1, k } of plan.groups) {
    // q = Σ_j coefficient_j·(c_j·f_j(P) - a_j·P.y - b_j) = Σ_j s_j·f_j + (-A)·P.y + (-B), with
    // s_j = coefficient_j·c_j: one QM31 combination of base columns (P.y is one more column).
    kernels.qm31ColumnLinearCombination(
      [...columns.map((j) => plan.ldes[j]!.subarray(start, end)), ys],
      [...scales, qneg(A)],
      qneg(B),
      q,
    );
    // V_ρ(P) = P.x·ρy1 - P.y·ρx1 + k, a CM31 value: the QM31 column (v0, v1, 0, 0), also a
    // combination of base columns. Its inverse is the CM31 inverse conj(V)/|V|^2 (inverses are
    // unique and CM31 is a subfield); a zero V (P on the line through ρ) throws.
    kernels.qm31ColumnLinearCombination(
      [xs, ys],
      [
        [ry1[0], ry1[1], 0, 0],
        [neg(rx1[0]), neg(rx1[1]), 0, 0],
      ],
      [k[0], k[1], 0, 0],
      w,
    );
    kernels.qm31ColumnBatchInverse(w);
    // out += q / V (out starts at zero)
    if (first) {
      kernels.qm31ColumnMul(q, w, out);
      first = false;
    } else {
      kernels.qm31ColumnMul(q, w, q);
      kernels.qm31ColumnScaleAdd(out, q, ONE);
    }
  }
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
