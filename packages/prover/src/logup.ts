import {
  add as addm,
  allocQM31Column,
  type Column,
  inv,
  mul as mulm,
  P,
  type QM31,
  type QM31Column,
  qm31Mul,
  sub as subm,
} from '@nexus/field';
import {
  type ComponentAir,
  type EvaluatedEntry,
  evaluateEntriesAt,
  KernelError,
  type LogupChallenges,
  relationAlpha,
  relationZ,
  rotationIndex,
} from '@nexus/kernel';
import { type ProverKernels, typescriptKernels } from './kernels.js';

export interface InteractionTrace {
  /** 4 M31 columns per batch, row order. */
  readonly columns: Column[];
  readonly claimedSum: QM31;
}

/**
 * A batch's fraction n0/d0 (+ n1/d1) at every point as numerator N and denominator D (for
 * two entries N = n0·d1 + n1·d0 and D = d0·d1), with n = sign·multiplicity and
 * d = v0 + Σ α^i·v_i - z: the terms of both the interaction trace (N·D^-1) and the LogUp
 * constraint (value·D - N).
 */
export function batchFraction(
  parts: readonly EvaluatedEntry[],
  n: number,
  param: (name: string) => QM31,
  kernels: ProverKernels = typescriptKernels,
): { num: QM31Column; den: QM31Column } {
  const numerator = ({ entry, multiplicity }: EvaluatedEntry): Column => {
    if (entry.sign > 0) return multiplicity;
    const out = new Uint32Array(n);
    for (let r = 0; r < n; r++) out[r] = subm(0, multiplicity[r]!);
    return out;
  };
  const d0 = denominator(parts[0]!, n, param, kernels);
  const n0 = numerator(parts[0]!);
  if (parts.length === 1) {
    const num = allocQM31Column(n);
    num[0].set(n0);
    return { num, den: d0 };
  }
  const d1 = denominator(parts[1]!, n, param, kernels);
  const n1 = numerator(parts[1]!);
  // N = n0·d1 + n1·d0, D = d0·d1
  const num = allocQM31Column(n);
  kernels.qm31ColumnMulM31Pair(d1, n0, d0, n1, num);
  kernels.qm31ColumnMul(d0, d1, d0);
  return { num, den: d0 };
}

/**
 * d = v0 + Σ_{i>=1} α^i·v_i - z at every point: a QM31 combination of the tuple's base-field
 * columns (coefficient 1 for v0, constant -z).
 */
function denominator(
  part: EvaluatedEntry,
  n: number,
  param: (name: string) => QM31,
  kernels: ProverKernels,
): QM31Column {
  const relation = part.entry.relation;
  const z = param(relationZ(relation));
  const alphas: QM31[] = part.values.map((_, i) =>
    i === 0 ? [1, 0, 0, 0] : param(relationAlpha(relation, i)),
  );
  const out = allocQM31Column(n);
  const minusZ: QM31 = [subm(0, z[0]), subm(0, z[1]), subm(0, z[2]), subm(0, z[3])];
  kernels.qm31ColumnLinearCombination(part.values, alphas, minusZ, out);
  return out;
}

/** The LogUp challenge of a parameter name, or a KernelError naming it. */
export function challengeParam(challenges: LogupChallenges): (name: string) => QM31 {
  return (name) => {
    const v = challenges.params.get(name);
    if (!v) throw new KernelError(`missing LogUp challenge ${name}`);
    return v;
  };
}

/**
 * Builds a component's interaction trace (see air.ts for the constraints it satisfies):
 * per batch the fraction column, the last batch replaced by the shifted running sum.
 */
export function interactionTrace(
  air: ComponentAir,
  logSize: number,
  column: (key: string) => Column,
  challenges: LogupChallenges,
  kernels: ProverKernels = typescriptKernels,
): InteractionTrace {
  const n = 2 ** logSize;
  if (air.entries.length === 0) return { columns: [], claimedSum: [0, 0, 0, 0] };
  const evaluated = evaluateEntriesAt(air, n, column, (o) =>
    o === 0 ? null : rotationIndex(n, o),
  );
  const param = challengeParam(challenges);

  const columns: Column[] = [];
  // Every batch's fraction, by coordinate, for the row totals T(r) = Σ_k F_k(r): summed in one
  // kernel call (coordinate c of F_k weighted 1 in coordinate c) instead of a JavaScript pass
  // per batch.
  const fractions: Column[] = [];
  const units: QM31[] = [];
  air.batches.forEach((batch, k) => {
    // The batch's N and D, then D inverted for the whole column at once, then the fraction
    // N·D^-1 written in place of N.
    const { num, den } = batchFraction(
      batch.map((i) => evaluated[i]!),
      n,
      param,
      kernels,
    );
    try {
      kernels.qm31ColumnBatchInverse(den);
    } catch {
      throw new KernelError(
        `component ${air.name}: a LogUp denominator is zero (negligible odds); prove again`,
      );
    }
    // The fraction N·D^-1, in place of N (a single entry's N is a base-field column).
    if (batch.length === 1) kernels.qm31ColumnMulM31(den, num[0].slice(), num);
    else kernels.qm31ColumnMul(num, den, num);
    for (let c = 0; c < 4; c++) {
      fractions.push(num[c]!);
      units.push([c === 0 ? 1 : 0, c === 1 ? 1 : 0, c === 2 ? 1 : 0, c === 3 ? 1 : 0]);
    }
    if (k < air.batches.length - 1) columns.push(...num);
  });
  const total = allocQM31Column(n); // T(r), the row totals
  kernels.qm31ColumnLinearCombination(fractions, units, [0, 0, 0, 0], total);

  // claimed = Σ_r T(r); S(r) = Σ_{r' <= r} T(r') - (r + 1)·claimed/N.
  const claimed: number[] = [0, 0, 0, 0];
  for (let c = 0; c < 4; c++) {
    let acc = 0;
    const t = total[c]!;
    for (let r = 0; r < n; r++) {
      acc += t[r]!;
      if ((r & 0xfffff) === 0xfffff) acc %= P;
    }
    claimed[c] = acc % P;
  }
  const invN = inv(n % P);
  const step = claimed.map((v) => mulm(v, invN));
  const running = allocQM31Column(n);
  for (let c = 0; c < 4; c++) {
    let acc = 0;
    const t = total[c]!;
    const s = running[c]!;
    for (let r = 0; r < n; r++) {
      acc = subm(addm(acc, t[r]!), step[c]!);
      s[r] = acc;
    }
  }
  columns.push(...running);
  return { columns, claimedSum: claimed as unknown as QM31 };
}

/** claimed/N for a component of log size n. */
export function claimedOverN(claimed: QM31, logSize: number): QM31 {
  return qm31Mul(claimed, [inv(2 ** logSize % P), 0, 0, 0]);
}
