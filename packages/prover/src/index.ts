/**
 * @nexus/prover: the Circle STARK prover. `prove(system, { statement, traces })` commits the
 * preprocessed, main, interaction (LogUp) and composition trees, samples out of domain, builds
 * the DEEP quotients, runs circle FRI, grinds the proof of work and opens the queries. With a
 * `ProverPool` (pool.ts) it splits the heavy steps over threads, to the same proof.
 */
export { compositionCoefficients } from './composition.js';
export { foldCircle, foldLine } from './fri.js';
export { interactionTrace } from './logup.js';
export { MerkleTree } from './merkle.js';
export {
  createPoolControl,
  ForkJoinPool,
  type JobMessage,
  type JobPort,
  markWorkerStopped,
  PARALLEL_MIN_POINTS,
  type PoolControl,
  type ProverPool,
  workOnJob,
} from './pool.js';
export {
  commitSegment,
  finishSegments,
  type ProveInput,
  type ProveOptions,
  type ProvePhase,
  prove,
  proveSegment,
  proveSegments,
} from './prove.js';
export type { ProverJob } from './tasks.js';
export { CommittedTree, coefficientsOfRows, commitRows } from './tree.js';
export { proverWorker } from './worker.js';
