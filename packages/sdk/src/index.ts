/**
 * @nexus/sdk: run, prove and verify RV32IM guests with a zkVM assembled from plugins.
 *
 * @example
 * import { createZkvm } from '@nexus/sdk';
 * const zkvm = createZkvm();
 * const { proof, claim } = zkvm.prove(elf, { publicInput });
 * zkvm.verify(proof, { elf, publicInput, publicOutput: claim.publicOutput, exitCode: claim.exitCode });
 */

// What a custom build needs without another import: the presets and plugin types, and every
// error the SDK's calls throw (so `instanceof` works against the same classes).
export {
  KernelError,
  type PcsConfig,
  type Plugin,
  type PluginInput,
  ProofFormatError,
  SECURITY,
  type SecurityPreset,
  VerificationError,
} from '@nexus/kernel';
export { rv32im } from '@nexus/rv32im';
export {
  type InstructionExtension,
  type SyscallExtension,
  UnknownSyscallError,
  VmError,
  VmFault,
} from '@nexus/vm';
export { ZkvmError } from './errors.js';
export {
  checkHashName,
  choosesHash,
  describeHash,
  HASH_BACKENDS,
  HASH_NAMES,
  type HashName,
  hashNameOf,
  isHashPlugin,
  withHash,
} from './hash-backends.js';
export {
  describeProofFile,
  type ProofComponentInfo,
  type ProofFileInfo,
} from './inspect.js';
export {
  decodeProofFile,
  encodeProofFile,
  PROOF_FILE_MAGIC,
  PROOF_FILE_VERSION,
  type ProofFile,
} from './proof-file.js';
export {
  proveWithRunner,
  type RefusedResult,
  type WorkerProveOptions,
} from './segment-coordinator.js';
export {
  elfDigest,
  type SegmentJob,
  type SegmentJobResult,
  type SegmentPhase,
  type SegmentRunner,
} from './segment-job.js';
export {
  buildSystem,
  builtinPlugin,
  describeSystem,
  type SystemDescription,
} from './segment-system.js';
export { type ElfSource, SegmentWorker } from './segment-worker.js';
export {
  type AsyncProveOptions,
  bundledPlugins,
  createZkvm,
  DEFAULT_SEGMENT_CYCLES,
  defaultPlugins,
  type ExpectedClaim,
  type GuestInputs,
  MAX_SEGMENT_CYCLES,
  MIN_SEGMENT_CYCLES,
  PARALLEL_PROOF_MIN_CYCLES,
  type ProveOptions,
  type ProveResult,
  poolSegmentCycles,
  type RunResult,
  type SingleProveResult,
  singleProof,
  type VerifyOptions,
  Zkvm,
  type ZkvmClaim,
  type ZkvmOptions,
  type ZkvmPhase,
} from './zkvm.js';
