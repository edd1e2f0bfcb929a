import { ByteReader, ByteWriter, HASH_ID, ProofFormatError } from '@nexus/kernel';

/** "NXZKPF": a Nexus zkVM proof file. */
export const PROOF_FILE_MAGIC = [0x4e, 0x58, 0x5a, 0x4b, 0x50, 0x46] as const;
/**
 * Version 2 records the hash backend's id after the version (version 1, from before backends
 * were selectable, has none: it reads back with `hashId` null and is still verified, against the
 * verifier's own backend).
 */
export const PROOF_FILE_VERSION = 2;

/**
 * A proof file: the claim (what was proven, in a user's terms) and the STARK proof. A
 * verifier trusts nothing in it that it can recompute: the program commitment is checked
 * against the ELF it is given and the system digest against its own plugins; the claim's
 * public values only say what to check, and the proof must hold for them.
 */
export interface ProofFile {
  /**
   * The id of the hash backend that made the proof (e.g. 'poseidon2-m31-w16'), so a verifier
   * can say which one it needs; null in version 1 files. Not trusted: the system digest, which
   * binds the backend, is what the proof is checked against.
   */
  readonly hashId: string | null;
  readonly programCommitment: Uint8Array;
  readonly systemDigest: Uint8Array;
  readonly publicInput: Uint8Array;
  readonly publicOutput: Uint8Array;
  readonly exitCode: number;
  /** The encoded STARK proof (@nexus/kernel encodeProof). */
  readonly proof: Uint8Array;
}

const MAX_BYTES = 1 << 30;

export function encodeProofFile(f: ProofFile): Uint8Array {
  const w = new ByteWriter();
  for (const b of PROOF_FILE_MAGIC) w.u8(b);
  // A file without a backend id is written as it was read: version 1 (round trips are exact).
  w.u16(f.hashId === null ? 1 : PROOF_FILE_VERSION);
  if (f.hashId !== null) w.string(f.hashId);
  w.bytes(f.programCommitment);
  w.bytes(f.systemDigest);
  w.u32(f.publicInput.length);
  w.bytes(f.publicInput);
  w.u32(f.publicOutput.length);
  w.bytes(f.publicOutput);
  w.u32(f.exitCode >>> 0);
  w.u32(f.proof.length);
  w.bytes(f.proof);
  return w.finish();
}

/** Decodes a proof file. @throws ProofFormatError naming what is wrong. */
export function decodeProofFile(bytes: Uint8Array): ProofFile {
  if (!(bytes instanceof Uint8Array))
    throw new ProofFormatError('a proof file must be given as bytes');
  const r = new ByteReader(bytes);
  r.section = 'magic';
  for (const b of PROOF_FILE_MAGIC) {
    if (r.remaining === 0 || r.u8() !== b) {
      throw new ProofFormatError(
        'not a Nexus zkVM proof file (bad magic number): was it made by `nexus prove`?',
      );
    }
  }
  r.section = 'version';
  const version = r.u16();
  if (version !== PROOF_FILE_VERSION && version !== 1) {
    throw new ProofFormatError(
      `proof file version ${version} is not supported (this build reads versions 1 and ${PROOF_FILE_VERSION})`,
    );
  }
  r.section = 'hash backend';
  const hashId = version === 1 ? null : r.string();
  // Printed by `nexus inspect` before any check: only what a backend id may be (HASH_ID).
  if (hashId !== null && !HASH_ID.test(hashId)) {
    throw new ProofFormatError(
      `the hash backend id is not a valid id (${JSON.stringify(hashId.slice(0, 80))}): the file is corrupt or hostile`,
    );
  }
  r.section = 'program commitment';
  const programCommitment = r.bytesOf(32);
  r.section = 'system digest';
  const systemDigest = r.bytesOf(32);
  const bytesField = (name: string) => {
    r.section = name;
    const n = r.u32();
    if (n > MAX_BYTES || n > r.remaining) {
      throw new ProofFormatError(
        `${name}: ${n} bytes announced, ${r.remaining} left: the file is truncated or corrupt`,
      );
    }
    return r.bytesOf(n);
  };
  const publicInput = bytesField('public input');
  const publicOutput = bytesField('public output');
  r.section = 'exit code';
  const exitCode = r.u32();
  const proof = bytesField('proof');
  r.expectEnd();
  return { hashId, programCommitment, systemDigest, publicInput, publicOutput, exitCode, proof };
}
