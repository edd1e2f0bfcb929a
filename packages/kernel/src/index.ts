/**
 * @nexus/kernel: the small core every prover, verifier and plugin shares. The symbolic
 * constraint IR and its evaluators (info, assert, point, compiled), components and relations,
 * the plugin host and assembled systems, the transcript, configs, the proof format.
 */
export * from './air.js';
export * from './assert.js';
export { KERNEL_VERSION } from './brand.js';
export * from './bus.js';
export * from './byte-channel.js';
export * from './channel.js';
export * from './codec.js';
export {
  columnwiseMachine,
  MACHINE_BLOCK,
  runProgramBlocks,
  withColumnwiseMachine,
} from './columnwise.js';
export type { ColumnwiseMachine, ColumnwiseProgram } from './columnwise-program.js';
export * from './compile.js';
export * from './component.js';
export * from './config.js';
export * from './errors.js';
export * from './expr.js';
export * from './fri.js';
export * from './hash.js';
export * from './interpret.js';
export * from './leaves.js';
export * from './logup-challenges.js';
export * from './merkle.js';
export * from './proof.js';
export * from './quotient.js';
export * from './relation.js';
export * from './shape.js';
export * from './size.js';
export * from './statement.js';
export * from './system.js';
export * from './transcript.js';
