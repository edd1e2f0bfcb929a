import { allocQM31Column, type Column, P, type QM31 } from '@nexus/field';
import { CLAIMED_OVER_N } from '@nexus/kernel';
import type { ComponentEvaluationInput } from './composition.js';
import { shiftMap } from './domain.js';
import { entriesOn } from './entries.js';
import { type ProverKernels, typescriptKernels } from './kernels.js';
import { type FractionPart, fractionParts, fractionRows, fractionScratch } from './logup-rows.js';
import { type ProverPool, poolFor, rowChunk } from './pool.js';
import { share } from './shared.js';

/**
 * Adds a component's LogUp constraints (air.ts `logupConstraintsFor`), weighted by their
 * composition coefficients and divided by the vanishing polynomial, to the accumulator on the
 * evaluation domain of log size domainLog (domain.ts):
 *   acc += factor · Σ_k coeff_k · (value_k·D_k - N_k)
 * with N_k/D_k the batch's fraction (logup-rows.ts `fractionRows`, the same code the interaction
 * trace uses) and value_k the interaction column F_k, or S - S[-1] - Σ_{j<last} F_j +
 * claimed/N for the last batch.
 *
 * The same field values as the compiled constraints (the reference path, tested equal), but
 * evaluated column by column with code shared by every component: the tuple values and
 * multiplicities are base-field expressions, compiled small; only these loops touch QM31.
 *
 * @param coeffs 4 coordinates per LogUp constraint, in batch order.
 */
export function accumulateLogup(
  input: ComponentEvaluationInput,
  domainLog: number,
  coeffs: Uint32Array,
  factor: Column,
  acc: readonly [Column, Column, Column, Column],
  kernels: ProverKernels = typescriptKernels,
  pool: ProverPool | null = null,
): void {
  const { air, logSize, ldeLog } = input;
  const n = 2 ** domainLog;
  const evaluated = entriesOn(pool, air, n, input.column, (o) =>
    o === 0 ? null : shiftMap(domainLog, logSize, o, ldeLog, kernels),
  );
  const parallel = poolFor(pool, n);
  const shared = parallel !== null;
  const last = air.batches.length - 1;
  const maybeShare = <T extends Uint32Array | Int32Array>(a: T): T => (shared ? share(a) : a);
  const plan: LogupConstraintPlan = {
    batches: air.batches.map((batch) =>
      fractionParts(
        batch.map((i) => evaluated[i]!),
        input.params,
        shared,
      ),
    ),
    interaction: Array.from({ length: 4 * (last + 1) }, (_, j) =>
      maybeShare(input.column(`i:${j}`)),
    ),
    previous: maybeShare(shiftMap(domainLog, logSize, -1, ldeLog, kernels)),
    claimed: input.params(CLAIMED_OVER_N),
    coeffs,
    factor: maybeShare(factor),
    acc,
  };
  if (parallel === null) {
    logupConstraintRows(plan, 0, n, kernels);
    return;
  }
  const chunk = rowChunk(parallel, n);
  parallel.run(
    {
      kind: 'logup',
      count: Math.ceil(n / chunk),
      typescript: kernels === typescriptKernels,
      chunk,
      plan,
    },
    (i) => logupConstraintRows(plan, i * chunk, Math.min(n, (i + 1) * chunk), kernels),
  );
}

/** A component's LogUp constraints to accumulate: what logupConstraintRows reads and writes. */
export interface LogupConstraintPlan {
  readonly batches: readonly (readonly FractionPart[])[];
  /** The interaction columns on the domain: 4 per batch, the running sum S last. */
  readonly interaction: readonly Column[];
  /** The storage position of each point's previous row (shiftMap at offset -1). */
  readonly previous: Int32Array;
  /** claimed/N. */
  readonly claimed: QM31;
  /** 4 coordinates per LogUp constraint, in batch order. */
  readonly coeffs: Uint32Array;
  readonly factor: Column;
  /** Added into. */
  readonly acc: readonly [Column, Column, Column, Column];
}

/** Rows [start, end) of accumulateLogup (the same on every thread). */
export function logupConstraintRows(
  plan: LogupConstraintPlan,
  start: number,
  end: number,
  kernels: ProverKernels,
): void {
  const len = end - start;
  const last = plan.batches.length - 1;
  const weighted = allocQM31Column(len); // Σ_k coeff_k · C_k
  const rows = (c: Column) => c.subarray(start, end);
  // Each batch's N and D are summed into `weighted` before the next batch: reused.
  const scratch = fractionScratch(len, true);
  plan.batches.forEach((parts, k) => {
    const { num, den } = fractionRows(parts, start, end, kernels, scratch);
    const value =
      k < last
        ? ([0, 1, 2, 3].map((c) => rows(plan.interaction[4 * k + c]!)) as [
            Column,
            Column,
            Column,
            Column,
          ])
        : lastBatchValue(plan, last, start, end, kernels);
    // C = value·D - N, in D's place; then weighted += coeff·C.
    kernels.qm31ColumnMulSub(value, den, num, den);
    const coeff: QM31 = [
      plan.coeffs[4 * k]!,
      plan.coeffs[4 * k + 1]!,
      plan.coeffs[4 * k + 2]!,
      plan.coeffs[4 * k + 3]!,
    ];
    kernels.qm31ColumnScaleAdd(weighted, den, coeff);
  });
  kernels.qm31ColumnMulM31Add(
    plan.acc.map(rows) as unknown as [Column, Column, Column, Column],
    weighted,
    rows(plan.factor),
  );
}

/**
 * S - S[-1] - Σ_{j<last} F_j + claimed/N on rows [start, end): the last batch's value, as one
 * combination of base columns (coordinate c of each interaction column, weighted ±1 in
 * coordinate c) plus a constant: a kernel call instead of (last + 2)·4 passes of JavaScript.
 */
function lastBatchValue(
  plan: LogupConstraintPlan,
  last: number,
  start: number,
  end: number,
  kernels: ProverKernels,
): [Column, Column, Column, Column] {
  const len = end - start;
  const { previous } = plan;
  const columns: Column[] = [];
  const alphas: QM31[] = [];
  const unit = (c: number, v: number): QM31 =>
    [0, 1, 2, 3].map((i) => (i === c ? v : 0)) as unknown as QM31;
  for (let c = 0; c < 4; c++) {
    const s = plan.interaction[4 * last + c]!;
    const shifted = new Uint32Array(len);
    for (let r = 0; r < len; r++) shifted[r] = s[previous[start + r]!]!;
    columns.push(s.subarray(start, end), shifted);
    alphas.push(unit(c, 1), unit(c, P - 1));
    for (let j = 0; j < last; j++) {
      columns.push(plan.interaction[4 * j + c]!.subarray(start, end));
      alphas.push(unit(c, P - 1));
    }
  }
  const out = allocQM31Column(len) as [Column, Column, Column, Column];
  kernels.qm31ColumnLinearCombination(columns, alphas, plan.claimed, out);
  return out;
}
