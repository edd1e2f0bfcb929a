/**
 * @nexus/kernels-wasm: WebAssembly SIMD kernels for the prover's hot loops, each with the
 * signature and the exact results of its TypeScript reference in @nexus/field.
 *
 * `wasmKernels` is null where the runtime cannot run them (no WebAssembly, or no SIMD);
 * `wasmUnavailableReason` then says why, and callers stay on the TypeScript functions.
 *
 * @example
 * import { wasmKernels } from '@nexus/kernels-wasm';
 * import { interpolateInPlace } from '@nexus/field';
 * const interpolate = wasmKernels?.interpolateInPlace ?? interpolateInPlace;
 */
import type { Column, QM31, QM31Column, SecureCirclePoint } from '@nexus/field';
import { WasmBlake2s } from './blake2s.js';
import { WasmColumnwise } from './columnwise.js';
import { WasmFft } from './fft.js';
import { KernelMemory } from './memory.js';
import { kernelExports, unavailableReason } from './module.js';
import { WasmQM31Columns } from './qm31-column.js';
import { WasmSums } from './sums.js';

export type { WasmColumnwise };

export interface WasmKernels {
  /** As @nexus/field `interpolateInPlace` (optionally on the first part of a larger domain). */
  interpolateInPlace(values: Column, domainLog?: number): Column;
  /** As @nexus/field `interpolateRows`: trace row order -> coefficients. */
  interpolateRows(rows: Column, out?: Column): Column;
  /** As @nexus/field `evaluateUnchecked`. */
  evaluateUnchecked(coeffs: Column, domainLog: number, out?: Column): Column;
  /** As @nexus/field `shiftStoragePositions`: where each storage position's row moves. */
  shiftStoragePositions(
    domainLog: number,
    ldeLog: number,
    shift: number,
    out?: Int32Array,
  ): Int32Array;
  /** As @nexus/field `qm31ColumnMul`. */
  qm31ColumnMul(a: QM31Column, b: QM31Column, out: QM31Column): void;
  /** As @nexus/field `qm31ColumnMulM31`. */
  qm31ColumnMulM31(a: QM31Column, s: Column, out: QM31Column): void;
  /** As @nexus/field `qm31ColumnMulSub`: out = a ⊙ b - c. */
  qm31ColumnMulSub(a: QM31Column, b: QM31Column, c: QM31Column, out: QM31Column): void;
  /** As @nexus/field `qm31ColumnMulM31Add`: acc += a ⊙ s. */
  qm31ColumnMulM31Add(acc: QM31Column, a: QM31Column, s: Column): void;
  /** As @nexus/field `qm31ColumnMulM31Pair`: out = a ⊙ m + b ⊙ l (the LogUp numerator). */
  qm31ColumnMulM31Pair(a: QM31Column, m: Column, b: QM31Column, l: Column, out: QM31Column): void;
  /** As @nexus/field `qm31ColumnScaleAdd`. */
  qm31ColumnScaleAdd(acc: QM31Column, a: QM31Column, k: QM31): void;
  /** As @nexus/field `qm31ColumnFoldPairs`: one FRI fold. */
  qm31ColumnFoldPairs(values: QM31Column, inverseTwiddles: Column, alpha: QM31): QM31Column;
  /** As @nexus/field `qm31ColumnBatchInverse`. */
  qm31ColumnBatchInverse(column: QM31Column): void;
  /**
   * One Blake2s Merkle layer (8 words per node) of `count` nodes: node j
   * hashes its children (16 words, or none for leaves) then the columns' values at row j,
   * from the chaining value `iv` (which carries the personalization). As
   * @nexus/hash-blake2s's merkleLayer.
   */
  blake2sMerkleLayer(
    count: number,
    children: Uint32Array | null,
    columns: readonly Uint32Array[],
    iv: Uint32Array,
  ): Uint32Array;
  /**
   * Blake2s-256 of `data` from the chaining value `iv` (8 words, personalization included):
   * the digest's 8 little-endian words. As @nexus/hash-blake2s's byte hashing.
   */
  blake2sBytes(data: Uint8Array, iv: Uint32Array): Uint32Array;
  /**
   * Proof of work: the first nonce in [start, start + limit) whose Blake2s-256 of seed (8
   * words) || nonce (8 LE bytes) from `iv` has `bits` trailing zero bits in its first word, or
   * null. As @nexus/hash-blake2s's grind.
   */
  blake2sGrind(
    seed: Uint32Array,
    bits: number,
    start: number,
    limit: number,
    iv: Uint32Array,
  ): number | null;
  /** As @nexus/field `evalWithWeights` over many columns of one size (the OODS samples). */
  evalManyWithWeights(columns: readonly Column[], weights: QM31Column): QM31[];
  /** As @nexus/field `qm31ColumnLinearCombination`. */
  qm31ColumnLinearCombination(
    columns: readonly Column[],
    alphas: readonly QM31[],
    c: QM31,
    out: QM31Column,
  ): void;
  /** As @nexus/field `evalWeights`. */
  evalWeights(point: SecureCirclePoint, logSize: number): QM31Column;
  /** As @nexus/field `columnSum`. */
  columnSum(a: Column): number;
  /** As @nexus/field `columnRunningSum`. */
  columnRunningSum(a: Column, step: number, out?: Column): Column;
  /**
   * The column-by-column constraint evaluator: @nexus/kernel's `ColumnwiseMachine`, for its
   * `withColumnwiseMachine` (no TypeScript twin: the kernel's own columnwise.ts is that).
   */
  readonly columnwiseMachine: WasmColumnwise;
}

function create(): WasmKernels | null {
  if (kernelExports === null) return null;
  const memory = new KernelMemory(kernelExports);
  const fft = new WasmFft(kernelExports, memory);
  const qm31 = new WasmQM31Columns(kernelExports, memory);
  const blake2s = new WasmBlake2s(kernelExports, memory);
  const columnwiseMachine = new WasmColumnwise(kernelExports, memory);
  const sums = new WasmSums(kernelExports, memory);
  return Object.freeze({
    interpolateInPlace: (values, domainLog) => fft.interpolateInPlace(values, domainLog),
    interpolateRows: (rows, out) => fft.interpolateRows(rows, out),
    evaluateUnchecked: (coeffs, domainLog, out) => fft.evaluateUnchecked(coeffs, domainLog, out),
    shiftStoragePositions: (domainLog, ldeLog, shift, out) =>
      fft.shiftStoragePositions(domainLog, ldeLog, shift, out),
    qm31ColumnMul: (a, b, out) => qm31.mul(a, b, out),
    qm31ColumnMulM31: (a, s, out) => qm31.mulM31(a, s, out),
    qm31ColumnMulM31Pair: (a, m, b, l, out) => qm31.mulM31Pair(a, m, b, l, out),
    qm31ColumnMulSub: (a, b, c, out) => qm31.mulSub(a, b, c, out),
    qm31ColumnMulM31Add: (acc, a, s) => qm31.mulM31Add(acc, a, s),
    qm31ColumnScaleAdd: (acc, a, k) => qm31.scaleAdd(acc, a, k),
    qm31ColumnBatchInverse: (column) => qm31.batchInverse(column),
    qm31ColumnFoldPairs: (values, t, alpha) => qm31.foldPairs(values, t, alpha),
    blake2sMerkleLayer: (count, children, columns, iv) =>
      blake2s.merkleLayer(count, children, columns, iv),
    blake2sBytes: (data, iv) => blake2s.hashBytes(data, iv),
    blake2sGrind: (seed, bits, start, limit, iv) => blake2s.grind(seed, bits, start, limit, iv),
    evalManyWithWeights: (columns, weights) => qm31.evalManyWithWeights(columns, weights),
    qm31ColumnLinearCombination: (columns, alphas, c, out) =>
      qm31.linearCombination(columns, alphas, c, out),
    evalWeights: (point, logSize) => qm31.evalWeights(point, logSize),
    columnSum: (a) => sums.sum(a),
    columnRunningSum: (a, step, out) => sums.runningSum(a, step, out),
    columnwiseMachine,
  } satisfies WasmKernels);
}

/** The kernels, or null where this runtime cannot run them. */
export const wasmKernels: WasmKernels | null = create();

/** Why {@link wasmKernels} is null, or null when the kernels are available. */
export const wasmUnavailableReason: string | null = unavailableReason;
