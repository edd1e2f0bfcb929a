import type { Column, QM31, SecureCirclePoint } from '@nexus/field';
import type { ProverKernels } from './kernels.js';
import { typescriptKernels } from './kernels.js';
import { type ProverPool, poolFor } from './pool.js';
import { share, sharedU32 } from './shared.js';

/** Columns of one size sampled at one point: what oodsRows reads and writes. */
export interface OodsPlan {
  readonly columns: readonly Column[];
  /** The point's basis weights (field evalWeights), 4 coordinate columns. */
  readonly weights: readonly [Column, Column, Column, Column];
  /** Columns per task. */
  readonly chunk: number;
  /** 4 words per column: its value at the point. */
  readonly out: Uint32Array;
}

/**
 * The values at `point` of polynomials of log size `logSize` given by their coefficients
 * (the out-of-domain samples sharing a point): the weights once, then one weighted sum per
 * column. With a pool, the columns are shared out in groups.
 */
export function sampleColumns(
  columns: readonly Column[],
  point: SecureCirclePoint,
  logSize: number,
  kernels: ProverKernels,
  pool: ProverPool | null,
): QM31[] {
  const weights = kernels.evalWeights(point, logSize);
  const parallel = poolFor(pool, 2 ** logSize);
  if (parallel === null || columns.length < 2) return kernels.evalManyWithWeights(columns, weights);
  // A few groups per thread: each call copies the weights once (as large as 4 columns).
  const chunk = Math.ceil(columns.length / (2 * parallel.threads));
  const plan: OodsPlan = {
    columns: columns.map(share),
    weights: weights.map(share) as unknown as OodsPlan['weights'],
    chunk,
    out: sharedU32(4 * columns.length),
  };
  parallel.run(
    {
      kind: 'oods',
      count: Math.ceil(columns.length / chunk),
      typescript: kernels === typescriptKernels,
      plan,
    },
    (i) => oodsRows(plan, i, kernels),
  );
  return columns.map((_, j) => Array.from(plan.out.subarray(4 * j, 4 * j + 4)) as unknown as QM31);
}

/** Task i of a sampling job: columns [i·chunk, (i+1)·chunk) (the same on every thread). */
export function oodsRows(plan: OodsPlan, task: number, kernels: ProverKernels): void {
  const start = task * plan.chunk;
  const end = Math.min(plan.columns.length, start + plan.chunk);
  const values = kernels.evalManyWithWeights(plan.columns.slice(start, end), plan.weights);
  values.forEach((v, k) => {
    plan.out.set(v, 4 * (start + k));
  });
}
