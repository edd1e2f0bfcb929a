import { allocQM31Column, type Column, type QM31, qm31Mul } from '@nexus/field';
import {
  type CompiledConstraints,
  type ComponentAir,
  compileConstraints,
  leafKey,
  type ProofShape,
} from '@nexus/kernel';
import { constraintPool, runConstraintJob } from './constraint-jobs.js';
import { inverseVanishing, shiftMap } from './domain.js';
import { type ProverKernels, typescriptKernels } from './kernels.js';
import { accumulateLogup } from './logup-composition.js';
import { type ProverPool, poolFor } from './pool.js';
import { canShare, share, sharedU32 } from './shared.js';
import { runExtensions } from './tree.js';

const compiledCache = new WeakMap<ComponentAir, CompiledConstraints>();
const referenceCache = new WeakMap<ComponentAir, CompiledConstraints>();

/**
 * The constraints the domain evaluator compiles to straight-line code: the component's own
 * (the LogUp constraints are evaluated column by column, logup-composition.ts), or, for the
 * reference path, every constraint. Compiled LogUp constraints are large (a QM31 denominator
 * per entry, three QM31 products per batch): ~200 KB of generated code per component, whose
 * compilation by V8 cost more than the evaluation itself at small sizes.
 */
export function compiledComposition(air: ComponentAir, reference = false): CompiledConstraints {
  const cache = reference ? referenceCache : compiledCache;
  let c = cache.get(air);
  if (!c) {
    const exprs = reference ? [...air.constraints, ...air.logupConstraints] : air.constraints;
    c = compileConstraints(
      exprs.map((x) => x.expr),
      leafKey,
      'accumulate',
    );
    cache.set(air, c);
  }
  return c;
}

/** Powers α^(K-1-k) for k = 0..K-1: constraint k's coefficient in the composition. */
export function compositionCoefficients(alpha: QM31, total: number): QM31[] {
  const out: QM31[] = new Array(total);
  let acc: QM31 = [1, 0, 0, 0];
  for (let k = total - 1; k >= 0; k--) {
    out[k] = acc;
    acc = qm31Mul(acc, alpha);
  }
  return out;
}

export interface ComponentEvaluationInput {
  readonly air: ComponentAir;
  readonly logSize: number;
  /**
   * The log size L of the committed LDE (n + logBlowup): the composition is evaluated on its
   * first 2^(n+1) storage positions (domain.ts "Evaluation domains").
   */
  readonly ldeLog: number;
  /**
   * A referenced column (slot key from leaves.ts) on that evaluation domain: the first
   * 2^(n+1) values of its LDE (a subarray, no copy).
   */
  readonly column: (key: string) => Column;
  readonly params: (name: string) => QM31;
}

/**
 * The composition polynomial Σ_k α^(K-1-k)·C_k / Z_component, as the FFT-basis coefficients
 * (4 coordinate columns) of a polynomial of log size maxLog + 1.
 *
 * Each component's constraints are evaluated on a circle domain of log size n + 1 (twice its
 * trace: enough for degree 3): the first half of its LDE with blowup 2, the first quarter
 * with 4, ... (domain.ts), so no column is evaluated again. The compiled domain evaluator
 * runs there, divides by the vanishing polynomial and accumulates per size; each size's
 * accumulation is interpolated on its domain and the coefficients added, which embeds the
 * smaller polynomials into the largest space (the FFT basis is the same on every domain).
 *
 * With a pool, a component's compiled constraints run in row ranges over the threads (each
 * compiles the same generated code); every range adds into its own rows of the accumulator.
 */
export function compositionCoefficientsColumns(
  shape: ProofShape,
  inputs: readonly ComponentEvaluationInput[],
  coefficients: readonly QM31[],
  options: {
    readonly reference?: boolean;
    readonly kernels?: ProverKernels;
    readonly pool?: ProverPool | null;
  } = {},
): [Column, Column, Column, Column] {
  const reference = options.reference === true;
  const kernels = options.kernels ?? typescriptKernels;
  const M = shape.maxLogSize;
  // Per evaluation domain log size: the accumulator and the LDE log size it lies in.
  const accumulators = new Map<number, [Column, Column, Column, Column]>();
  const ldeLogs = new Map<number, number>();
  let k0 = 0;
  for (const input of inputs) {
    const { air, logSize, ldeLog } = input;
    const domainLog = logSize + 1;
    const n = 2 ** domainLog;
    if (ldeLog < domainLog) throw new Error(`composition: LDE log ${ldeLog} under ${domainLog}`);
    ldeLogs.set(domainLog, ldeLog);
    let acc = accumulators.get(domainLog);
    if (!acc) {
      acc = (
        options.pool && canShare
          ? [sharedU32(n), sharedU32(n), sharedU32(n), sharedU32(n)]
          : allocQM31Column(n)
      ) as [Column, Column, Column, Column];
      accumulators.set(domainLog, acc);
    }
    const compiled = compiledComposition(air, reference);
    // One LogUp constraint per batch (kernel air.ts, pinned by its tests): counting batches
    // leaves the LogUp constraints unbuilt on the default path, which never reads them.
    const count = air.constraints.length + air.batches.length;
    const own = reference ? count : air.constraints.length;
    const coeffs = new Uint32Array(4 * count);
    for (let k = 0; k < count; k++) coeffs.set(coefficients[k0 + k]!, 4 * k);
    k0 += count;
    const factor = inverseVanishing(domainLog, logSize, ldeLog);
    if (own < count) {
      accumulateLogup(
        input,
        domainLog,
        coeffs.subarray(4 * own),
        factor,
        acc,
        kernels,
        reference ? null : (options.pool ?? null),
      );
    }
    if (own === 0) continue;
    const params = new Uint32Array(4 * compiled.params.length);
    compiled.params.forEach((name, i) => {
      params.set(input.params(name), 4 * i);
    });
    const args = {
      cols: compiled.slots.map(input.column),
      idx: compiled.offsets.map((o) =>
        o === 0 ? null : shiftMap(domainLog, logSize, o, ldeLog, kernels),
      ),
      params,
      coeffs: coeffs.subarray(0, 4 * own),
      factor,
      out: acc,
    };
    const parallel = reference ? null : constraintPool(options.pool ?? null, n);
    if (parallel === null) {
      compiled.run({
        ...args,
        start: 0,
        end: n,
        strategy: reference ? 'compiled' : 'auto',
        // Column by column (on the machine, or short runs without one), the base-field
        // constraints are summed by the kernels' linear combination (kernel/columnwise.ts).
        linearCombination: kernels.qm31ColumnLinearCombination,
      });
    } else {
      const shared = {
        ...args,
        cols: args.cols.map(share),
        idx: args.idx.map((i) => i && share(i)),
      };
      runConstraintJob(parallel, 'compose', compiled, shared, n);
    }
  }
  const total = allocQM31Column(2 ** (M + 1)) as [Column, Column, Column, Column];
  const all = [...accumulators.values()].flat();
  const ldeLogOf = (column: Column) => ldeLogs.get(Math.log2(column.length))!;
  const parallel = all.every((c) => c.buffer instanceof SharedArrayBuffer)
    ? poolFor(options.pool ?? null, 2 ** (M + 1))
    : null;
  if (parallel !== null) {
    // The accumulators are shared (allocated so with a pool): interpolated one per task.
    const items = all.map((coeffs) => ({
      rows: null,
      interpolate: true,
      coeffs,
      logSize: Math.log2(coeffs.length),
      domainLog: ldeLogOf(coeffs),
      lde: null,
    }));
    runExtensions(parallel, items, kernels);
  } else for (const column of all) kernels.interpolateInPlace(column, ldeLogOf(column));
  for (const [, acc] of accumulators) {
    for (let c = 0; c < 4; c++) {
      const coeffs = acc[c]!;
      const t = total[c]!;
      for (let i = 0; i < coeffs.length; i++) {
        const s = (t[i]! + coeffs[i]! - 0x7fffffff) | 0;
        t[i] = s + ((s >> 31) & 0x7fffffff);
      }
    }
  }
  return total;
}
