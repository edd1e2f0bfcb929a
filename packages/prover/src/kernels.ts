import {
  type Column,
  columnRunningSum,
  columnSum,
  evaluateUnchecked,
  evalWeights,
  evalWithWeights,
  interpolateInPlace,
  interpolateRows,
  type QM31Column,
  qm31ColumnBatchInverse,
  qm31ColumnFoldPairs,
  qm31ColumnLinearCombination,
  qm31ColumnMul,
  qm31ColumnMulM31,
  qm31ColumnMulM31Add,
  qm31ColumnMulM31Pair,
  qm31ColumnMulSub,
  qm31ColumnScaleAdd,
  shiftStoragePositions,
} from '@nexus/field';
import type { ColumnwiseMachine } from '@nexus/kernel';
import { type WasmKernels, wasmKernels } from '@nexus/kernels-wasm';

/**
 * The column kernels the prover's hot loops go through: the circle FFT and the QM31 column
 * operations. Two implementations give the same values, element for element: @nexus/field's
 * TypeScript (the reference) and @nexus/kernels-wasm's WebAssembly SIMD. (Blake2s hashing:
 * Merkle layers, byte messages and proof of work, belongs to the hash backend:
 * @nexus/hash-blake2s uses the wasm Blake2s kernels itself.)
 */
export type ProverKernels = Omit<
  WasmKernels,
  'blake2sMerkleLayer' | 'blake2sBytes' | 'blake2sGrind' | 'columnwiseMachine'
>;

/** The pure TypeScript kernels of @nexus/field. */
export const typescriptKernels: ProverKernels = Object.freeze({
  interpolateInPlace,
  interpolateRows,
  evaluateUnchecked,
  shiftStoragePositions,
  qm31ColumnMul,
  qm31ColumnMulM31,
  qm31ColumnMulM31Pair,
  qm31ColumnMulSub,
  qm31ColumnMulM31Add,
  qm31ColumnScaleAdd,
  qm31ColumnBatchInverse,
  qm31ColumnFoldPairs,
  qm31ColumnLinearCombination,
  columnSum,
  columnRunningSum,
  evalWeights,
  evalManyWithWeights: (columns: readonly Column[], weights: QM31Column) =>
    columns.map((c) => evalWithWeights(c, weights)),
});

/**
 * The kernels of a proof: TypeScript when asked (the reference path, or kernels:
 * 'typescript'), WebAssembly otherwise where the runtime has WebAssembly SIMD (else
 * TypeScript: same proof, slower).
 */
export function proverKernels(typescript: boolean): ProverKernels {
  return typescript ? typescriptKernels : (wasmKernels ?? typescriptKernels);
}

/**
 * The machine the kernel's column-by-column constraint evaluation runs on during a proof
 * (@nexus/kernel `withColumnwiseMachine`): the WebAssembly one with the wasm kernels, none
 * (the kernel's TypeScript) on the reference path or with kernels: 'typescript'. Same values,
 * so the same proof, either way.
 */
export function columnwiseMachineFor(options: {
  readonly reference?: boolean;
  readonly kernels?: 'wasm' | 'typescript';
}): ColumnwiseMachine | null {
  const typescript = options.reference === true || options.kernels === 'typescript';
  return typescript ? null : (wasmKernels?.columnwiseMachine ?? null);
}
