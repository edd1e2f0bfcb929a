import { allocQM31Column, type Column, P, type QM31 } from '@nexus/field';
import { CLAIMED_OVER_N, evaluateEntriesAt } from '@nexus/kernel';
import type { ComponentEvaluationInput } from './composition.js';
import { shiftMap } from './domain.js';
import { type ProverKernels, typescriptKernels } from './kernels.js';
import { batchFraction } from './logup.js';

/**
 * Adds a component's LogUp constraints (air.ts `logupConstraintsFor`), weighted by their
 * composition coefficients and divided by the vanishing polynomial, to the accumulator on the
 * canonic domain of log size domainLog:
 *   acc += factor · Σ_k coeff_k · (value_k·D_k - N_k)
 * with N_k/D_k the batch's fraction (logup.ts `batchFraction`, the same code the interaction
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
): void {
  const { air, logSize } = input;
  const n = 2 ** domainLog;
  const evaluated = evaluateEntriesAt(air, n, input.column, (o) =>
    o === 0 ? null : shiftMap(domainLog, logSize, o),
  );
  const interaction = (k: number) =>
    [0, 1, 2, 3].map((c) => input.column(`i:${4 * k + c}`)) as [Column, Column, Column, Column];
  const last = air.batches.length - 1;
  const weighted = allocQM31Column(n); // Σ_k coeff_k · C_k
  air.batches.forEach((batch, k) => {
    const { num, den } = batchFraction(
      batch.map((i) => evaluated[i]!),
      n,
      input.params,
      kernels,
    );
    const value = k < last ? interaction(k) : lastBatchValue(input, domainLog, last, kernels);
    // C = value·D - N, in D's place; then weighted += coeff·C.
    kernels.qm31ColumnMulSub(value, den, num, den);
    const coeff: QM31 = [
      coeffs[4 * k]!,
      coeffs[4 * k + 1]!,
      coeffs[4 * k + 2]!,
      coeffs[4 * k + 3]!,
    ];
    kernels.qm31ColumnScaleAdd(weighted, den, coeff);
  });
  kernels.qm31ColumnMulM31Add(acc, weighted, factor);
}

/**
 * S - S[-1] - Σ_{j<last} F_j + claimed/N at every point: the last batch's value, as one
 * combination of base columns (coordinate c of each interaction column, weighted ±1 in
 * coordinate c) plus a constant: a kernel call instead of (last + 2)·4 passes of cold
 * JavaScript over the domain.
 */
function lastBatchValue(
  input: ComponentEvaluationInput,
  domainLog: number,
  last: number,
  kernels: ProverKernels,
): [Column, Column, Column, Column] {
  const n = 2 ** domainLog;
  const previous = shiftMap(domainLog, input.logSize, -1);
  const columns: Column[] = [];
  const alphas: QM31[] = [];
  const unit = (c: number, v: number): QM31 =>
    [0, 1, 2, 3].map((i) => (i === c ? v : 0)) as unknown as QM31;
  for (let c = 0; c < 4; c++) {
    const s = input.column(`i:${4 * last + c}`);
    const shifted = new Uint32Array(n);
    for (let r = 0; r < n; r++) shifted[r] = s[previous[r]!]!;
    columns.push(s, shifted);
    alphas.push(unit(c, 1), unit(c, P - 1));
    for (let j = 0; j < last; j++) {
      columns.push(input.column(`i:${4 * j + c}`));
      alphas.push(unit(c, P - 1));
    }
  }
  const out = allocQM31Column(n) as [Column, Column, Column, Column];
  kernels.qm31ColumnLinearCombination(columns, alphas, input.params(CLAIMED_OVER_N), out);
  return out;
}
