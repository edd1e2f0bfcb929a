/**
 * @nexus/sdk: run, prove and verify RV32IM guests with a zkVM assembled from plugins.
 *
 * @example
 * import { createZkvm } from '@nexus/sdk';
 * const zkvm = createZkvm();
 * const { proof, claim } = zkvm.prove(elf, { publicInput });
 * zkvm.verify(proof, { elf, publicInput, publicOutput: claim.publicOutput, exitCode: claim.exitCode });
 */
export { ZkvmError } from './errors.js';
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
  bundledPlugins,
  createZkvm,
  defaultPlugins,
  type ExpectedClaim,
  type GuestInputs,
  type ProveOptions,
  type ProveResult,
  type RunResult,
  type VerifyOptions,
  Zkvm,
  type ZkvmClaim,
  type ZkvmOptions,
  type ZkvmPhase,
} from './zkvm.js';
