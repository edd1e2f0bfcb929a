import type { HashBackend } from '@nexus/kernel';
import { rowToStorage } from './domain.js';
import { type ProverKernels, typescriptKernels } from './kernels.js';
import { MerkleTree } from './merkle.js';
import { type ProverPool, poolFor } from './pool.js';
import { share, sharedU32 } from './shared.js';

/**
 * Coefficient words a tree keeps for out-of-domain sampling (4 MiB). Above, the coefficients
 * (as large as the trace again) are dropped and interpolated again from the extension when
 * sampled; below, that second FFT per column costs more than the memory (a small proof runs
 * it cold: ~5-10 ms of a fib proof's OODS phase).
 */
const KEPT_COEFFICIENT_WORDS = 2 ** 20;

/**
 * A committed set of columns: each column's low-degree extension on the canonic domain of log
 * size logSize + logBlowup (bit-reversed, kept for composition, DEEP quotients and openings)
 * and the Merkle tree over the extensions. The coefficients are kept only for a small tree
 * (KEPT_COEFFICIENT_WORDS): a large one's out-of-domain sampling gets them back from the
 * extension (`coefficients`).
 *
 * With a pool, the columns are extended one per task and the Merkle layers hashed in row
 * ranges; the extensions are then over shared memory.
 */
export class CommittedTree {
  readonly logSizes: readonly number[];
  readonly ldes: readonly Uint32Array[];
  readonly merkle: MerkleTree;
  readonly logBlowup: number;
  readonly #kept: readonly Uint32Array[] | null;

  constructor(
    hash: HashBackend,
    logSizes: readonly number[],
    coeffs: readonly Uint32Array[],
    logBlowup: number,
    kernels: ProverKernels = typescriptKernels,
    pool: ProverPool | null = null,
  ) {
    this.logSizes = logSizes;
    this.logBlowup = logBlowup;
    const words = coeffs.reduce((n, c) => n + c.length, 0);
    this.#kept = words <= KEPT_COEFFICIENT_WORDS ? coeffs : null;
    const domain = (i: number) => 2 ** (logSizes[i]! + logBlowup);
    const parallel = poolFor(pool, Math.max(0, ...logSizes.map((_, i) => domain(i))));
    if (parallel !== null) {
      const items = coeffs.map((c, i) => ({
        rows: null,
        interpolate: false,
        coeffs: share(c),
        logSize: logSizes[i]!,
        lde: sharedU32(domain(i)),
      }));
      runExtensions(parallel, items, kernels);
      this.ldes = items.map((item) => item.lde);
    } else {
      const ldes = slices(coeffs.map((_, i) => domain(i)));
      this.ldes = coeffs.map((c, i) =>
        kernels.evaluateUnchecked(c, logSizes[i]! + logBlowup, ldes[i]),
      );
    }
    this.merkle = new MerkleTree(
      hash,
      this.ldes.map((values, i) => ({ values, logSize: logSizes[i]! + logBlowup })),
      pool,
    );
  }

  get root(): Uint32Array {
    return this.merkle.root;
  }

  /**
   * The coefficients of columns `indices` (all of one log size n), read only: those kept, or
   * interpolated again from the first 2^n positions of their extensions: a circle domain of
   * its own (field's fft.ts), so one FFT of the trace's size each, the cost the commitment
   * paid once.
   */
  coefficients(
    indices: readonly number[],
    kernels: ProverKernels,
    pool: ProverPool | null,
  ): Uint32Array[] {
    const kept = this.#kept;
    if (kept !== null) return indices.map((i) => kept[i]!);
    const items = indices.map((i) => {
      const n = 2 ** this.logSizes[i]!;
      const coeffs = pool ? sharedU32(n) : new Uint32Array(n);
      coeffs.set(this.ldes[i]!.subarray(0, n));
      return {
        rows: null,
        interpolate: true,
        coeffs,
        logSize: this.logSizes[i]!,
        domainLog: this.logSizes[i]! + this.logBlowup,
        lde: null,
      };
    });
    const parallel = items.length > 1 ? poolFor(pool, 2 ** this.logSizes[indices[0]!]!) : null;
    if (parallel !== null) runExtensions(parallel, items, kernels);
    else for (const item of items) extendItem(item, kernels);
    return items.map((item) => item.coeffs);
  }
}

/**
 * One column's share of an extension job: its values copied from trace row order into
 * `coeffs` in storage order (when `rows` is given), `coeffs` interpolated in place (when
 * `interpolate`), then extended into `lde` (when given).
 */
export interface ExtensionItem {
  readonly rows: Uint32Array | null;
  readonly interpolate: boolean;
  readonly coeffs: Uint32Array;
  readonly logSize: number;
  /** With `interpolate`: the canonic domain whose first positions `coeffs` holds (fft.ts). */
  readonly domainLog?: number;
  readonly lde: Uint32Array | null;
}

/** Runs one extension task (the same on every thread). */
export function extendItem(item: ExtensionItem, kernels: ProverKernels): void {
  if (item.rows !== null && item.interpolate && item.domainLog === undefined) {
    kernels.interpolateRows(item.rows, item.coeffs);
  } else {
    if (item.rows !== null) {
      const perm = rowToStorage(item.logSize);
      const { rows, coeffs } = item;
      for (let j = 0; j < rows.length; j++) coeffs[perm[j]!] = rows[j]!;
    }
    if (item.interpolate) kernels.interpolateInPlace(item.coeffs, item.domainLog);
  }
  if (item.lde !== null)
    kernels.evaluateUnchecked(item.coeffs, Math.log2(item.lde.length), item.lde);
}

export function runExtensions(
  pool: ProverPool,
  items: readonly ExtensionItem[],
  kernels: ProverKernels,
): void {
  pool.run(
    {
      kind: 'extension',
      count: items.length,
      typescript: kernels === typescriptKernels,
      items,
    },
    (i) => extendItem(items[i]!, kernels),
  );
}

/**
 * Zeroed columns of the given lengths as consecutive views of one allocation, for columns that
 * live and die together (a tree's extensions; a commitment's coefficients): hundreds of
 * zero-filled Uint32Arrays one by one were ~1% of a cold small proof and external-memory
 * pressure on the garbage collector; one large block comes from the system already zeroed.
 */
function slices(lengths: readonly number[]): Uint32Array[] {
  const block = new Uint32Array(lengths.reduce((s, n) => s + n, 0));
  let at = 0;
  return lengths.map((n) => {
    const view = block.subarray(at, at + n);
    at += n;
    return view;
  });
}

/**
 * Coefficients of a column given in trace row order (canonic-coset order), into `storage`
 * (rows.length words, any contents) when given.
 */
export function coefficientsOfRows(
  rows: Uint32Array,
  logSize: number,
  kernels: ProverKernels = typescriptKernels,
  storage: Uint32Array = new Uint32Array(rows.length),
): Uint32Array {
  if (rows.length !== 2 ** logSize)
    throw new RangeError(`a column of 2^${logSize} rows has ${rows.length}`);
  // The permutation to storage order runs with the interpolation (in linear memory on the
  // WebAssembly kernels): a JavaScript loop over every row of every column was a visible cold
  // cost of a small proof.
  return kernels.interpolateRows(rows, storage);
}

/** Commits columns given in trace row order. */
export function commitRows(
  hash: HashBackend,
  columns: readonly { values: Uint32Array; logSize: number }[],
  logBlowup: number,
  kernels: ProverKernels = typescriptKernels,
  pool: ProverPool | null = null,
): CommittedTree {
  const parallel = poolFor(pool, Math.max(0, ...columns.map((c) => 2 ** (c.logSize + logBlowup))));
  let coeffs: Uint32Array[];
  if (parallel !== null) {
    const items = columns.map((c) => ({
      rows: share(c.values),
      interpolate: true,
      coeffs: sharedU32(c.values.length),
      logSize: c.logSize,
      lde: null,
    }));
    runExtensions(parallel, items, kernels);
    coeffs = items.map((item) => item.coeffs);
  } else {
    const storage = slices(columns.map((c) => c.values.length));
    coeffs = columns.map((c, i) => coefficientsOfRows(c.values, c.logSize, kernels, storage[i]));
  }
  return new CommittedTree(
    hash,
    columns.map((c) => c.logSize),
    coeffs,
    logBlowup,
    kernels,
    pool,
  );
}
