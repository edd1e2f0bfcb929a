import {
  allocQM31Column,
  type Column,
  type QM31,
  type QM31Column,
  sub as subm,
} from '@nexus/field';
import { type EvaluatedEntry, KernelError, relationAlpha, relationZ } from '@nexus/kernel';
import type { ProverKernels } from './kernels.js';
import { share } from './shared.js';

/**
 * A bus entry of a LogUp batch reduced to data (what a worker thread receives): its columns
 * over the rows, its sign, and the challenges of its denominator
 * d = v0 + Σ_{i>=1} α^i·v_i - z.
 */
export interface FractionPart {
  readonly negate: boolean;
  readonly multiplicity: Column;
  readonly values: readonly Column[];
  /** 1 for v0, then α^i: the denominator's coefficients. */
  readonly alphas: readonly QM31[];
  readonly minusZ: QM31;
}

/** A batch's entries as FractionParts (columns shared when `shared`, for a pool). */
export function fractionParts(
  parts: readonly EvaluatedEntry[],
  param: (name: string) => QM31,
  shared = false,
): FractionPart[] {
  return parts.map(({ entry, multiplicity, values }) => {
    const z = param(relationZ(entry.relation));
    return {
      negate: entry.sign < 0,
      multiplicity: shared ? share(multiplicity) : multiplicity,
      values: shared ? values.map(share) : values,
      alphas: values.map((_, i) =>
        i === 0 ? ([1, 0, 0, 0] as QM31) : param(relationAlpha(entry.relation, i)),
      ),
      minusZ: [subm(0, z[0]), subm(0, z[1]), subm(0, z[2]), subm(0, z[3])],
    };
  });
}

/**
 * Columns fractionRows writes into instead of allocating them, for a caller that is done with a
 * batch's fraction before it asks for the next one (a row range's batches in turn): fresh
 * columns per batch were a third of fractionRows' time in a small proof, and pressure on the
 * garbage collector. `num` null: the numerator is allocated (a caller that keeps it).
 */
export interface FractionScratch {
  readonly den: readonly [QM31Column, QM31Column];
  readonly num: QM31Column | null;
}

/** Scratch for fractionRows over `len` rows (see FractionScratch). */
export function fractionScratch(len: number, withNumerator: boolean): FractionScratch {
  return {
    den: [allocQM31Column(len), allocQM31Column(len)],
    num: withNumerator ? allocQM31Column(len) : null,
  };
}

/**
 * A batch's fraction n0/d0 (+ n1/d1) on rows [start, end) as numerator N and denominator D
 * (for two entries N = n0·d1 + n1·d0 and D = d0·d1), with n = sign·multiplicity: the terms of
 * both the interaction trace (N·D^-1) and the LogUp constraint (value·D - N). Each row's
 * values depend on that row only, so any split of the rows gives the same columns.
 */
export function fractionRows(
  parts: readonly FractionPart[],
  start: number,
  end: number,
  kernels: ProverKernels,
  scratch: FractionScratch | null = null,
): { num: QM31Column; den: QM31Column } {
  const len = end - start;
  const numerator = (p: FractionPart): Column => {
    const m = p.multiplicity.subarray(start, end);
    if (!p.negate) return m;
    const out = new Uint32Array(len);
    for (let r = 0; r < len; r++) out[r] = subm(0, m[r]!);
    return out;
  };
  const denominator = (p: FractionPart, k: 0 | 1): QM31Column => {
    const out = scratch?.den[k] ?? allocQM31Column(len);
    kernels.qm31ColumnLinearCombination(
      p.values.map((v) => v.subarray(start, end)),
      p.alphas,
      p.minusZ,
      out,
    );
    return out;
  };
  const d0 = denominator(parts[0]!, 0);
  const n0 = numerator(parts[0]!);
  if (parts.length === 1) {
    const num = scratch?.num ?? allocQM31Column(len);
    num[0].set(n0);
    if (scratch?.num) for (let c = 1; c < 4; c++) num[c]!.fill(0);
    return { num, den: d0 };
  }
  const d1 = denominator(parts[1]!, 1);
  const n1 = numerator(parts[1]!);
  // N = n0·d1 + n1·d0, D = d0·d1
  const num = scratch?.num ?? allocQM31Column(len);
  kernels.qm31ColumnMulM31Pair(d1, n0, d0, n1, num);
  kernels.qm31ColumnMul(d0, d1, d0);
  return { num, den: d0 };
}

/** A component's interaction columns to compute: what interactionRows reads and writes. */
export interface InteractionPlan {
  readonly component: string;
  readonly batches: readonly (readonly FractionPart[])[];
  /** 4 columns per batch but the last: its fraction N·D^-1 (written). */
  readonly fractions: readonly Column[];
  /** T(r) = Σ_batches N·D^-1 (written). */
  readonly total: QM31Column;
}

/**
 * Rows [start, end) of a component's interaction trace (logup.ts): each batch's fraction
 * N·D^-1 (D inverted over the rows at once) into its columns, and the sum over the batches
 * into the row totals.
 */
export function interactionRows(
  plan: InteractionPlan,
  start: number,
  end: number,
  kernels: ProverKernels,
): void {
  const last = plan.batches.length - 1;
  // Every batch's fraction, by coordinate, for the row totals T(r) = Σ_k F_k(r): summed in one
  // kernel call (coordinate c of F_k weighted 1 in coordinate c).
  const fractions: Column[] = [];
  const units: QM31[] = [];
  // The denominators die with their batch (inverted, then multiplied into N): reused.
  const scratch = fractionScratch(end - start, false);
  plan.batches.forEach((parts, k) => {
    const { num, den } = fractionRows(parts, start, end, kernels, scratch);
    try {
      kernels.qm31ColumnBatchInverse(den);
    } catch {
      throw new KernelError(
        `component ${plan.component}: a LogUp denominator is zero (negligible odds); prove again`,
      );
    }
    // The fraction N·D^-1, in place of N (a single entry's N is a base-field column).
    if (parts.length === 1) kernels.qm31ColumnMulM31(den, num[0].slice(), num);
    else kernels.qm31ColumnMul(num, den, num);
    for (let c = 0; c < 4; c++) {
      fractions.push(num[c]!);
      units.push([c === 0 ? 1 : 0, c === 1 ? 1 : 0, c === 2 ? 1 : 0, c === 3 ? 1 : 0]);
      if (k < last) plan.fractions[4 * k + c]!.set(num[c]!, start);
    }
  });
  const total = plan.total.map((t) => t.subarray(start, end)) as unknown as QM31Column;
  kernels.qm31ColumnLinearCombination(fractions, units, [0, 0, 0, 0], total);
}
