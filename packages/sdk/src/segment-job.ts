import { createBlake2sBackend } from '@nexus/hash-blake2s';
import type { PcsConfig, SegmentCommitment } from '@nexus/kernel';
import type { SystemDescription } from './segment-system.js';

/** Phase 1 commits a segment's traces; phase 2 proves it once every segment is committed. */
export type SegmentPhase = 'commit' | 'prove';

/**
 * One stateless unit of a segmented proof: plain data a worker thread or a job queue carries.
 * The ELF travels by digest (its bytes are stored once, beside the jobs); everything else a
 * worker needs to rebuild the zkVM, re-execute the guest to its segment and run the phase is
 * here. A worker sees the private input: run workers only where the private input may go.
 */
export interface SegmentJob {
  /** How to rebuild the coordinator's zkVM, and the digest the rebuilt system must have. */
  readonly system: SystemDescription;
  readonly systemDigest: Uint8Array;
  /** The PCS configuration of the proof (a plain object). */
  readonly security: PcsConfig;
  /** `elfDigest(elf)` (hex) of the guest's ELF. */
  readonly elf: string;
  readonly publicInput: Uint8Array;
  readonly privateInput: Uint8Array;
  readonly segmentCycles: number;
  /** This segment, of `count`. */
  readonly index: number;
  readonly count: number;
  readonly phase: SegmentPhase;
  /** Phase 2: every segment's phase-1 commitment, in order (the challenges come from them). */
  readonly commitments?: readonly SegmentCommitment[];
}

/** What a worker returns: an untrusted claim the coordinator checks before using it. */
export type SegmentJobResult =
  | { readonly phase: 'commit'; readonly index: number; readonly commitment: SegmentCommitment }
  | {
      readonly phase: 'prove';
      readonly index: number;
      /** The segment's STARK proof, encoded (`encodeProof`). */
      readonly proof: Uint8Array;
    };

const blake2s = createBlake2sBackend();

/** The name an ELF (or any bytes) is stored under: Blake2s of its bytes, hex. */
export function elfDigest(elf: Uint8Array): string {
  let s = '';
  for (const b of blake2s.hash(elf, 'program')) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * Runs segment jobs somewhere (this thread, a pool of threads, workers behind a queue). A
 * runner only carries jobs and results: the coordinator checks every result itself.
 */
export interface SegmentRunner {
  /** Stores an ELF's bytes under its digest, once, where the workers can read them. */
  putElf(digest: string, elf: Uint8Array): Promise<void>;
  /** Runs one job; rejects when the worker fails or `signal` aborts. */
  run(job: SegmentJob, signal?: AbortSignal): Promise<SegmentJobResult>;
  /** Releases the runner's threads or connections. */
  close(): Promise<void>;
}
