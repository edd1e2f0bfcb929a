import {
  add as addm,
  allocQM31Column,
  batchInverse,
  type Column,
  mul as mulm,
  P,
  type QM31,
  type QM31Column,
  qm31MulInto as qmul,
  type SecureCirclePoint,
  sub as subm,
} from '@nexus/field';
import { lineCoefficients, vanishingLine } from '@nexus/kernel';
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
 * per point, the column sum Σ_j (α_j·c_j)·f_j is one QM31 combination of base columns (4
 * multiplications per column and row, the kernels' linear combination).
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
    // Σ_j coefficient_j·c_j·f_j(P) and the constant parts A = Σ α_j a_j, B = Σ α_j b_j.
    let A: number[] = [0, 0, 0, 0];
    let B: number[] = [0, 0, 0, 0];
    const scales: QM31[] = [];
    for (const t of terms) {
      const lc = lineCoefficients(point, t.value);
      scales.push(qmulScalar(t.coefficient, lc.c) as unknown as QM31);
      A = qadd(A, qmulScalar(t.coefficient, lc.a));
      B = qadd(B, qmulScalar(t.coefficient, lc.b));
    }
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
  const acc = allocQM31Column(len);
  const norms = new Uint32Array(len);
  const v0s = new Uint32Array(len);
  const v1s = new Uint32Array(len);
  const [o0, o1, o2, o3] = plan.out.map((c) => c.subarray(start, end)) as unknown as QM31Column;
  for (const { columns, scales, A, B, ry1, rx1, k } of plan.groups) {
    kernels.qm31ColumnLinearCombination(
      columns.map((j) => plan.ldes[j]!.subarray(start, end)),
      scales,
      [0, 0, 0, 0],
      acc,
    );
    for (let s = 0; s < len; s++) {
      const x = xs[s]!;
      const y = ys[s]!;
      const v0 = addm(subm(mulm(x, ry1[0]), mulm(y, rx1[0])), k[0]);
      const v1 = addm(subm(mulm(x, ry1[1]), mulm(y, rx1[1])), k[1]);
      v0s[s] = v0;
      v1s[s] = v1;
      norms[s] = addm(mulm(v0, v0), mulm(v1, v1));
    }
    batchInverse(norms, norms);
    const [a0, a1, a2, a3] = acc;
    for (let s = 0; s < len; s++) {
      const y = ys[s]!;
      // numerator q = Σ c f - A·y - B, as (q0 + q1 i) + (q2 + q3 i) u
      const q0 = subm(subm(a0[s]!, mulm(A[0]!, y)), B[0]!);
      const q1 = subm(subm(a1[s]!, mulm(A[1]!, y)), B[1]!);
      const q2 = subm(subm(a2[s]!, mulm(A[2]!, y)), B[2]!);
      const q3 = subm(subm(a3[s]!, mulm(A[3]!, y)), B[3]!);
      // 1/V = conj(V)/|V|^2
      const inv = norms[s]!;
      const w0 = mulm(v0s[s]!, inv);
      const w1 = mulm(v1s[s]! === 0 ? 0 : P - v1s[s]!, inv);
      // (q0 + q1 i)(w0 + w1 i), (q2 + q3 i)(w0 + w1 i)
      o0[s] = addm(o0[s]!, subm(mulm(q0, w0), mulm(q1, w1)));
      o1[s] = addm(o1[s]!, addm(mulm(q0, w1), mulm(q1, w0)));
      o2[s] = addm(o2[s]!, subm(mulm(q2, w0), mulm(q3, w1)));
      o3[s] = addm(o3[s]!, addm(mulm(q2, w1), mulm(q3, w0)));
    }
  }
}

function qadd(a: readonly number[], b: readonly number[]): number[] {
  return [addm(a[0]!, b[0]!), addm(a[1]!, b[1]!), addm(a[2]!, b[2]!), addm(a[3]!, b[3]!)];
}

function qmulScalar(a: QM31, b: QM31): number[] {
  const out = [0, 0, 0, 0];
  qmul(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], out, 0);
  return out;
}
