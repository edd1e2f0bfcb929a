/*
 * The module's exports: kernels over byte addresses in this module's linear memory. The
 * TypeScript loader (src/) owns the memory layout: it copies columns in, calls a kernel and
 * copies the results out. No allocator runs here (runtime stub, nothing is ever allocated).
 */
export {
  forwardLayers,
  inverseLayers,
  repeat,
  rowsToStorage,
  scaleByInversePow2,
  shiftStoragePositions,
} from './fft';
export {
  qm31BatchInverseFinish,
  qm31BatchInversePrefix,
  qm31DotWeights,
  qm31FoldPairs,
  qm31LinearCombination,
  qm31Mul,
  qm31MulM31,
  qm31MulM31Add,
  qm31MulM31Pair,
  qm31MulSub,
  qm31ScaleAdd,
} from './qm31';

/** First byte the loader may use: after this module's static data, 64-byte aligned. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}
export { blake2sBytes, blake2sGrind, blake2sLayer } from './blake2s';
export { allCanonical, columnwiseFinish, columnwiseRun } from './columnwise';
export { m31RunningSum, m31Sum } from './sums';
export { qm31Weights } from './weights';
