import type { PcsConfig, SegmentCommitment } from '@nexus/kernel';
import type { SegmentJob, SegmentJobResult, SystemDescription } from '@nexus/sdk';

/**
 * A segment job as JSON (what BullMQ stores in Redis): bytes as base64, roots as number
 * arrays. Decoding checks the shape, so a malformed job or result is an error with a reason
 * instead of a crash deep in the prover; whether a result is TRUE is the coordinator's check.
 */
export interface JobData {
  readonly system: SystemDescription;
  readonly systemDigest: string;
  readonly security: PcsConfig;
  readonly elf: string;
  readonly publicInput: string;
  readonly privateInput: string;
  readonly segmentCycles: number;
  readonly index: number;
  readonly count: number;
  readonly phase: 'commit' | 'prove';
  readonly commitments?: readonly CommitmentData[];
}

interface CommitmentData {
  readonly sizes: readonly (number | null)[];
  readonly preprocessedRoot: readonly number[];
  readonly mainRoot: readonly number[];
}

export type ResultData =
  | { readonly phase: 'commit'; readonly index: number; readonly commitment: CommitmentData }
  | { readonly phase: 'prove'; readonly index: number; readonly proof: string };

const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const bytes = (s: unknown, what: string): Uint8Array => {
  if (typeof s !== 'string') throw new Error(`${what}: not base64 text`);
  return new Uint8Array(Buffer.from(s, 'base64'));
};

const commitmentData = (c: SegmentCommitment): CommitmentData => ({
  sizes: [...c.sizes],
  preprocessedRoot: Array.from(c.preprocessedRoot),
  mainRoot: Array.from(c.mainRoot),
});

function words(x: unknown, what: string): Uint32Array {
  if (!Array.isArray(x) || !x.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32))
    throw new Error(`${what}: not an array of 32-bit words`);
  return Uint32Array.from(x as number[]);
}

function commitmentOf(x: unknown, what: string): SegmentCommitment {
  const c = x as Partial<CommitmentData> | null;
  if (c === null || typeof c !== 'object' || !Array.isArray(c.sizes))
    throw new Error(`${what}: not a commitment`);
  if (!c.sizes.every((s) => s === null || Number.isInteger(s)))
    throw new Error(`${what}: sizes are not integers or null`);
  return {
    sizes: [...c.sizes],
    preprocessedRoot: words(c.preprocessedRoot, `${what} preprocessed root`),
    mainRoot: words(c.mainRoot, `${what} main root`),
  };
}

export function encodeJob(job: SegmentJob): JobData {
  return {
    system: job.system,
    systemDigest: b64(job.systemDigest),
    security: job.security,
    elf: job.elf,
    publicInput: b64(job.publicInput),
    privateInput: b64(job.privateInput),
    segmentCycles: job.segmentCycles,
    index: job.index,
    count: job.count,
    phase: job.phase,
    ...(job.commitments === undefined ? {} : { commitments: job.commitments.map(commitmentData) }),
  };
}

/** @throws Error naming the malformed field */
export function decodeJob(d: JobData): SegmentJob {
  if (d === null || typeof d !== 'object') throw new Error('a job is an object');
  if (d.phase !== 'commit' && d.phase !== 'prove') throw new Error(`unknown phase ${d.phase}`);
  for (const k of ['segmentCycles', 'index', 'count'] as const)
    if (!Number.isInteger(d[k]) || d[k] < 0) throw new Error(`${k}: not a count`);
  if (typeof d.elf !== 'string' || !/^[0-9a-f]{64}$/.test(d.elf))
    throw new Error('elf: not a digest');
  return {
    system: d.system,
    systemDigest: bytes(d.systemDigest, 'systemDigest'),
    security: d.security,
    elf: d.elf,
    publicInput: bytes(d.publicInput, 'publicInput'),
    privateInput: bytes(d.privateInput, 'privateInput'),
    segmentCycles: d.segmentCycles,
    index: d.index,
    count: d.count,
    phase: d.phase,
    ...(d.commitments === undefined
      ? {}
      : { commitments: d.commitments.map((c, k) => commitmentOf(c, `commitment ${k}`)) }),
  };
}

export function encodeResult(r: SegmentJobResult): ResultData {
  return r.phase === 'commit'
    ? { phase: 'commit', index: r.index, commitment: commitmentData(r.commitment) }
    : { phase: 'prove', index: r.index, proof: b64(r.proof) };
}

/** @throws Error naming the malformed field (the coordinator refuses such a result) */
export function decodeResult(d: unknown): SegmentJobResult {
  const r = d as ResultData | null;
  if (r === null || typeof r !== 'object' || !Number.isInteger(r.index))
    throw new Error('a result is an object with an index');
  if (r.phase === 'commit')
    return { phase: 'commit', index: r.index, commitment: commitmentOf(r.commitment, 'result') };
  if (r.phase === 'prove')
    return { phase: 'prove', index: r.index, proof: bytes(r.proof, 'proof') };
  throw new Error('a result of an unknown phase');
}
