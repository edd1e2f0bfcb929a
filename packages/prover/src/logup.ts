import {
  allocQM31Column,
  type Column,
  inv,
  mul as mulm,
  P,
  type QM31,
  type QM31Column,
  qm31Mul,
} from '@nexus/field';
import {
  type ComponentAir,
  type EvaluatedEntry,
  KernelError,
  type LogupChallenges,
  rotationIndex,
} from '@nexus/kernel';
import { entriesOn } from './entries.js';
import { type ProverKernels, typescriptKernels } from './kernels.js';
import {
  fractionParts,
  fractionRows,
  type InteractionPlan,
  interactionRows,
} from './logup-rows.js';
import { type ProverPool, poolFor, rowChunk } from './pool.js';
import { sharedU32 } from './shared.js';

export interface InteractionTrace {
  /** 4 M31 columns per batch, row order. */
  readonly columns: Column[];
  readonly claimedSum: QM31;
}

/**
 * A batch's fraction n0/d0 (+ n1/d1) at every point as numerator N and denominator D
 * (logup-rows.ts `fractionRows` over all n rows).
 */
export function batchFraction(
  parts: readonly EvaluatedEntry[],
  n: number,
  param: (name: string) => QM31,
  kernels: ProverKernels = typescriptKernels,
): { num: QM31Column; den: QM31Column } {
  return fractionRows(fractionParts(parts, param), 0, n, kernels);
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
  pool: ProverPool | null = null,
): InteractionTrace {
  const n = 2 ** logSize;
  if (air.entries.length === 0) return { columns: [], claimedSum: [0, 0, 0, 0] };
  const evaluated = entriesOn(pool, air, n, column, (o) => (o === 0 ? null : rotationIndex(n, o)));
  const param = challengeParam(challenges);

  // Per batch the fraction N·D^-1 on every row, and T(r), the row totals: row by row, so a
  // pool splits the rows over its threads.
  const parallel = poolFor(pool, n);
  const shared = parallel !== null;
  const column4 = () =>
    (shared ? [sharedU32(n), sharedU32(n), sharedU32(n), sharedU32(n)] : allocQM31Column(n)) as [
      Column,
      Column,
      Column,
      Column,
    ];
  const plan: InteractionPlan = {
    component: air.name,
    batches: air.batches.map((batch) =>
      fractionParts(
        batch.map((i) => evaluated[i]!),
        param,
        shared,
      ),
    ),
    fractions: air.batches.slice(1).flatMap(column4),
    total: column4(),
  };
  if (parallel === null) interactionRows(plan, 0, n, kernels);
  else {
    const chunk = rowChunk(parallel, n);
    parallel.run(
      {
        kind: 'interaction',
        count: Math.ceil(n / chunk),
        typescript: kernels === typescriptKernels,
        chunk,
        plan,
      },
      (i) => interactionRows(plan, i * chunk, Math.min(n, (i + 1) * chunk), kernels),
    );
  }
  const columns: Column[] = [...plan.fractions];
  const total = plan.total;

  // claimed = Σ_r T(r); S(r) = Σ_{r' <= r} T(r') - (r + 1)·claimed/N = Σ_{r' <= r} (T(r') -
  // claimed/N): two sequential passes per coordinate, on the kernels (cold JavaScript loops
  // here were a few percent of a small proof).
  const claimed = [0, 1, 2, 3].map((c) => kernels.columnSum(total[c]!));
  const invN = inv(n % P);
  const running = allocQM31Column(n);
  for (let c = 0; c < 4; c++) {
    kernels.columnRunningSum(total[c]!, mulm(claimed[c]!, invN), running[c]!);
  }
  columns.push(...running);
  return { columns, claimedSum: claimed as unknown as QM31 };
}

/** claimed/N for a component of log size n. */
export function claimedOverN(claimed: QM31, logSize: number): QM31 {
  return qm31Mul(claimed, [inv(2 ** logSize % P), 0, 0, 0]);
}
