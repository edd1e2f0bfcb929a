import { bytesEqual } from '@nexus/field';
import {
  decodeProof,
  decodeSegmentedProof,
  encodeProofWithLayout,
  isSegmentedProof,
  type PcsConfig,
  PROOF_FORMAT_VERSION,
  ProofFormatError,
  type ProofSection,
  type System,
  securityBits,
} from '@nexus/kernel';
import { decodeProofFile, encodeProofFile, PROOF_FILE_VERSION } from './proof-file.js';

/** One component's entry in a proof: its name when the system is known, its log size. */
export interface ProofComponentInfo {
  /** Position in the system's components (sorted by name). */
  readonly index: number;
  /** The component's name, or null when the proof was made by another plugin set. */
  readonly name: string | null;
  /** log2 of its row count; null when the component has no rows in this proof. */
  readonly logSize: number | null;
}

/** What a proof file says about itself (decoded, not verified). */
export interface ProofFileInfo {
  /** Total size in bytes. */
  readonly size: number;
  readonly fileVersion: number;
  /** The hash backend id the file records (null in version 1 files, which predate it). */
  readonly hashId: string | null;
  /**
   * Whether that is the given system's backend: true / false, or null when no system was given
   * or the file does not say.
   */
  readonly sameHash: boolean | null;
  readonly proofFormatVersion: number;
  readonly programCommitment: Uint8Array;
  readonly systemDigest: Uint8Array;
  /**
   * Whether the file's system digest is the given system's: true / false, or null when no
   * system was given. Components are named only when it is true.
   */
  readonly sameSystem: boolean | null;
  readonly publicInput: Uint8Array;
  readonly publicOutput: Uint8Array;
  readonly exitCode: number;
  /** The FRI/PCS parameters inside the proof, as the prover claims them. */
  readonly config: PcsConfig;
  /** Conjectured security bits those parameters give (computed here, not read from the file). */
  readonly securityBits: number;
  /** Per component, its largest log size over the segments (null: absent from all). */
  readonly components: readonly ProofComponentInfo[];
  /** Segments in the proof (1 for a single STARK proof). */
  readonly segments: number;
  /** Byte ranges of the whole file, in order, covering every byte exactly once. */
  readonly sections: readonly ProofSection[];
}

/**
 * Decodes a proof file for display: the claim, the proof's security parameters and
 * components, and where every byte goes. Nothing here is verified: a file can claim anything,
 * and only `Zkvm.verifyFile` says whether the proof holds.
 *
 * @param system names the components when the file was made by this system (same digest).
 * @throws ProofFormatError when the file or the proof inside it does not decode.
 *
 * @example
 * const info = describeProofFile(readFileSync('fib.elf.proof'), createZkvm().system);
 * info.securityBits; // 96
 * info.sections.map((s) => [s.name, s.end - s.start]);
 */
export function describeProofFile(bytes: Uint8Array, system?: System): ProofFileInfo {
  const file = decodeProofFile(bytes);
  // A segmented proof is a header, then each segment's proof with its length (kernel proof.ts).
  const segmented = isSegmentedProof(file.proof);
  const proofs = segmented ? decodeSegmentedProof(file.proof).segments : [decodeProof(file.proof)];
  const proof = proofs[0]!;
  const proofSections: ProofSection[] = [];
  let offset = 0;
  if (segmented) {
    proofSections.push({ name: 'segmented proof header', start: 0, end: 10 });
    offset = 10;
  }
  proofs.forEach((p, k) => {
    const prefix = segmented ? `segment ${k}: ` : '';
    if (segmented) {
      proofSections.push({ name: `segment ${k} length`, start: offset, end: offset + 4 });
      offset += 4;
    }
    const { bytes: reencoded, sections } = encodeProofWithLayout(p);
    // The byte breakdown is computed from a re-encoding; it describes the file only if the
    // file is in canonical form, which decodeProof's strict length checks imply.
    if (!bytesEqual(reencoded, file.proof.subarray(offset, offset + reencoded.length))) {
      throw new ProofFormatError(
        'the proof file decodes but is not in canonical form (was it edited?): cannot lay it out',
      );
    }
    for (const sec of sections)
      proofSections.push({
        name: prefix + sec.name,
        start: offset + sec.start,
        end: offset + sec.end,
      });
    offset += reencoded.length;
  });
  if (offset !== file.proof.length || !bytesEqual(encodeProofFile(file), bytes)) {
    throw new ProofFormatError(
      'the proof file decodes but is not in canonical form (was it edited?): cannot lay it out',
    );
  }
  // The file's own fields, in encodeProofFile's order (a u32 length before each byte string).
  const sections: ProofSection[] = [];
  let at = 0;
  const add = (name: string, length: number) => {
    sections.push({ name, start: at, end: at + length });
    at += length;
  };
  add('file header', 8);
  if (file.hashId !== null) add('hash backend', 1 + new TextEncoder().encode(file.hashId).length);
  add('program commitment', file.programCommitment.length);
  add('system digest', file.systemDigest.length);
  add('public input', 4 + file.publicInput.length);
  add('public output', 4 + file.publicOutput.length);
  add('exit code', 4);
  add('proof length', 4);
  for (const s of proofSections)
    sections.push({ name: `proof: ${s.name}`, start: at + s.start, end: at + s.end });
  const same = system === undefined ? null : bytesEqual(system.digest, file.systemDigest);
  const components = proof.componentSizes.map((_, index) => {
    let logSize: number | null = null;
    for (const p of proofs) {
      const n = p.componentSizes[index] ?? null;
      if (n !== null) logSize = Math.max(logSize ?? 0, n);
    }
    return {
      index,
      name: same === true ? (system!.components[index]?.name ?? null) : null,
      logSize,
    };
  });
  return {
    size: bytes.length,
    fileVersion: file.hashId === null ? 1 : PROOF_FILE_VERSION,
    hashId: file.hashId,
    sameHash: system === undefined || file.hashId === null ? null : system.hash.id === file.hashId,
    proofFormatVersion: PROOF_FORMAT_VERSION,
    programCommitment: file.programCommitment,
    systemDigest: file.systemDigest,
    sameSystem: same,
    publicInput: file.publicInput,
    publicOutput: file.publicOutput,
    exitCode: file.exitCode,
    config: proof.config,
    securityBits: securityBits(proof.config),
    components,
    segments: proofs.length,
    sections,
  };
}
