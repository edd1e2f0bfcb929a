import type { HashBackend } from '@nexus/kernel';
import { rowToStorage } from './domain.js';
import { type ProverKernels, typescriptKernels } from './kernels.js';
import { MerkleTree } from './merkle.js';

/**
 * A committed set of columns: each column's polynomial (FFT-basis coefficients, kept for
 * out-of-domain sampling), its low-degree extension on the canonic domain of log size
 * logSize + logBlowup (bit-reversed, kept for composition and DEEP quotients), and the Merkle
 * tree over the extensions.
 */
export class CommittedTree {
  readonly logSizes: readonly number[];
  readonly coeffs: readonly Uint32Array[];
  readonly ldes: readonly Uint32Array[];
  readonly merkle: MerkleTree;
  readonly logBlowup: number;

  constructor(
    hash: HashBackend,
    logSizes: readonly number[],
    coeffs: readonly Uint32Array[],
    logBlowup: number,
    kernels: ProverKernels = typescriptKernels,
  ) {
    this.logSizes = logSizes;
    this.coeffs = coeffs;
    this.logBlowup = logBlowup;
    this.ldes = coeffs.map((c, i) => kernels.evaluateUnchecked(c, logSizes[i]! + logBlowup));
    this.merkle = new MerkleTree(
      hash,
      this.ldes.map((values, i) => ({ values, logSize: logSizes[i]! + logBlowup })),
    );
  }

  get root(): Uint32Array {
    return this.merkle.root;
  }
}

/** Coefficients of a column given in trace row order (canonic-coset order). */
export function coefficientsOfRows(
  rows: Uint32Array,
  logSize: number,
  kernels: ProverKernels = typescriptKernels,
): Uint32Array {
  const perm = rowToStorage(logSize);
  const storage = new Uint32Array(rows.length);
  for (let j = 0; j < rows.length; j++) storage[perm[j]!] = rows[j]!;
  return kernels.interpolateInPlace(storage);
}

/** Commits columns given in trace row order. */
export function commitRows(
  hash: HashBackend,
  columns: readonly { values: Uint32Array; logSize: number }[],
  logBlowup: number,
  kernels: ProverKernels = typescriptKernels,
): CommittedTree {
  return new CommittedTree(
    hash,
    columns.map((c) => c.logSize),
    columns.map((c) => coefficientsOfRows(c.values, c.logSize, kernels)),
    logBlowup,
    kernels,
  );
}
