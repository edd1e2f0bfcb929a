import { P, type QM31 } from '@nexus/field';
import { ByteReader, ByteWriter } from './codec.js';
import type { PcsConfig } from './config.js';
import { ProofFormatError } from './errors.js';

/** The magic number of an encoded STARK proof: "NXSP" (Nexus STARK proof). */
export const PROOF_MAGIC = [0x4e, 0x58, 0x53, 0x50] as const;
export const PROOF_FORMAT_VERSION = 1;

/** Values and sibling hashes that open one Merkle tree at the queried positions. */
export interface TreeOpening {
  /** M31 words: the opened column values, in the shape's canonical order. */
  readonly values: Uint32Array;
  /** Sibling digests the verifier cannot recompute, 8 words each, bottom-up. */
  readonly witness: Uint32Array;
}

/**
 * A STARK proof. The statement is not inside: the verifier is given the statement it expects,
 * and the transcript binds the proof to it.
 */
export interface StarkProof {
  readonly config: PcsConfig;
  /** The digest of the system that made the proof (checked first, for a clear error). */
  readonly systemDigest: Uint8Array;
  /** Log size of each system component (sorted by name), null when absent. */
  readonly componentSizes: readonly (number | null)[];
  /** Claimed LogUp sum of each present component. */
  readonly claimedSums: readonly QM31[];
  /** Roots of the preprocessed, main, interaction and composition trees (8 words each). */
  readonly roots: readonly Uint32Array[];
  /** Every column's values at its sample points, in the shape's canonical order. */
  readonly sampledValues: readonly QM31[];
  readonly friRoots: readonly Uint32Array[];
  /** Coefficients of FRI's last layer line polynomial. */
  readonly lastLayer: readonly QM31[];
  readonly powNonce: number;
  readonly openings: readonly TreeOpening[];
  readonly friOpenings: readonly TreeOpening[];
}

const MAX_WORDS = 1 << 26;

/** A named byte range of an encoded proof (for inspection and tamper tests). */
export interface ProofSection {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export function encodeProof(p: StarkProof): Uint8Array {
  return encodeProofWithLayout(p).bytes;
}

/** Encodes a proof and reports where each section lies. */
export function encodeProofWithLayout(p: StarkProof): {
  bytes: Uint8Array;
  sections: ProofSection[];
} {
  const w = new ByteWriter();
  const sections: ProofSection[] = [];
  let mark = 0;
  const section = (name: string) => {
    sections.push({ name, start: mark, end: w.length });
    mark = w.length;
  };
  for (const b of PROOF_MAGIC) w.u8(b);
  w.u16(PROOF_FORMAT_VERSION);
  section('header');
  w.string(p.config.name);
  w.u8(p.config.logBlowup);
  w.u16(p.config.nQueries);
  w.u8(p.config.powBits);
  w.u8(p.config.logLastLayerDegreeBound);
  w.u8(p.config.friFoldStep);
  section('config');
  w.bytes(p.systemDigest);
  section('system digest');
  w.u16(p.componentSizes.length);
  for (const s of p.componentSizes) w.u8(s === null ? 0 : s);
  section('component sizes');
  for (const s of p.claimedSums) w.fixedWords(s);
  section('claimed sums');
  for (const r of p.roots) w.fixedWords(r);
  section('roots');
  w.words(p.sampledValues.flatMap((v) => [...v]));
  section('sampled values');
  w.u16(p.friRoots.length);
  for (const r of p.friRoots) w.fixedWords(r);
  section('FRI roots');
  w.words(p.lastLayer.flatMap((v) => [...v]));
  section('FRI last layer');
  w.u32(p.powNonce >>> 0);
  w.u32(Math.floor(p.powNonce / 2 ** 32));
  section('proof of work');
  w.u16(p.openings.length);
  const names = ['preprocessed', 'main', 'interaction', 'composition'];
  [...p.openings, ...p.friOpenings].forEach((o, i) => {
    const name = i < p.openings.length ? `${names[i]} tree` : `FRI layer ${i - p.openings.length}`;
    w.words(o.values);
    section(`${name} values`);
    w.words(o.witness);
    section(`${name} witness`);
  });
  return { bytes: w.finish(), sections };
}

function toQM31s(words: Uint32Array, section: string): QM31[] {
  if (words.length % 4 !== 0)
    throw new ProofFormatError(`${section}: length is not a multiple of 4 words`);
  const out: QM31[] = [];
  for (let i = 0; i < words.length; i += 4) {
    out.push([words[i]!, words[i + 1]!, words[i + 2]!, words[i + 3]!]);
  }
  return out;
}

function checkCanonical(words: Uint32Array, section: string): void {
  for (let i = 0; i < words.length; i++) {
    if (words[i]! >= P) {
      throw new ProofFormatError(
        `${section}: word ${i} (${words[i]}) is not a canonical field element`,
        { section },
      );
    }
  }
}

/**
 * Decodes a proof defensively. Structural checks only (lengths, canonical field elements);
 * whether the shapes fit the system is checked by the verifier.
 *
 * @throws ProofFormatError naming the section and byte offset of the problem.
 */
export function decodeProof(bytes: Uint8Array): StarkProof {
  if (!(bytes instanceof Uint8Array))
    throw new ProofFormatError('a proof must be given as bytes (Uint8Array)');
  const r = new ByteReader(bytes);
  r.section = 'magic';
  for (const b of PROOF_MAGIC) {
    if (r.u8() !== b) throw new ProofFormatError('not a Nexus STARK proof (bad magic number)');
  }
  r.section = 'version';
  const version = r.u16();
  if (version !== PROOF_FORMAT_VERSION) {
    throw new ProofFormatError(
      `proof format version ${version} is not supported (this verifier reads version ${PROOF_FORMAT_VERSION})`,
    );
  }
  r.section = 'config';
  const config: PcsConfig = {
    name: r.string(),
    logBlowup: r.u8(),
    nQueries: r.u16(),
    powBits: r.u8(),
    logLastLayerDegreeBound: r.u8(),
    friFoldStep: r.u8(),
  };
  r.section = 'system digest';
  const systemDigest = r.bytesOf(32);
  r.section = 'component sizes';
  const nComponents = r.u16();
  const componentSizes: (number | null)[] = [];
  for (let i = 0; i < nComponents; i++) {
    const s = r.u8();
    componentSizes.push(s === 0 ? null : s);
  }
  r.section = 'claimed sums';
  const present = componentSizes.filter((s) => s !== null).length;
  const claimedWords = r.fixedWords(4 * present);
  checkCanonical(claimedWords, 'claimed sums');
  const claimedSums = toQM31s(claimedWords, 'claimed sums');
  r.section = 'roots';
  const roots = [0, 1, 2, 3].map(() => r.fixedWords(8));
  r.section = 'sampled values';
  const sampledWords = r.words(MAX_WORDS);
  checkCanonical(sampledWords, 'sampled values');
  const sampledValues = toQM31s(sampledWords, 'sampled values');
  r.section = 'FRI roots';
  const nFri = r.u16();
  if (nFri > 64) throw new ProofFormatError(`FRI roots: ${nFri} layers is more than possible`);
  const friRoots = Array.from({ length: nFri }, () => r.fixedWords(8));
  r.section = 'FRI last layer';
  const lastWords = r.words(4 * 1024);
  checkCanonical(lastWords, 'FRI last layer');
  const lastLayer = toQM31s(lastWords, 'FRI last layer');
  r.section = 'proof of work';
  const lo = r.u32();
  const hi = r.u32();
  if (hi >= 2 ** 21) throw new ProofFormatError('proof of work nonce is out of range');
  const powNonce = hi * 2 ** 32 + lo;
  r.section = 'openings';
  const nTrees = r.u16();
  if (nTrees !== 4) throw new ProofFormatError(`openings: expected 4 trees, found ${nTrees}`);
  const read = (name: string) => {
    r.section = `${name} values`;
    const values = r.words(MAX_WORDS);
    checkCanonical(values, r.section);
    r.section = `${name} witness`;
    const witness = r.words(MAX_WORDS);
    if (witness.length % 8 !== 0)
      throw new ProofFormatError(`${name} witness: not a whole number of digests`);
    return { values, witness };
  };
  const openings = ['preprocessed', 'main', 'interaction', 'composition'].map((t) =>
    read(`${t} tree`),
  );
  const friOpenings = friRoots.map((_, i) => read(`FRI layer ${i}`));
  r.expectEnd();
  return {
    config,
    systemDigest,
    componentSizes,
    claimedSums,
    roots,
    sampledValues,
    friRoots,
    lastLayer,
    powNonce,
    openings,
    friOpenings,
  };
}

/** The magic number of an encoded segmented proof: "NXSG" (Nexus segmented proof). */
export const SEGMENTED_PROOF_MAGIC = [0x4e, 0x58, 0x53, 0x47] as const;
export const SEGMENTED_PROOF_FORMAT_VERSION = 1;
/** The most segments one proof may hold (2^16 segments of 2^20 cycles is past any run). */
export const MAX_SEGMENTS = 1 << 16;

/**
 * A proof of one execution cut into segments: a STARK proof per segment, all under one LogUp
 * sum whose challenges depend on every segment's commitments (transcript.ts
 * `segmentedChannel`). The statement is the whole run's.
 */
export interface SegmentedProof {
  readonly segments: readonly StarkProof[];
}

/** Magic, version, the segment count, then each segment's proof with its byte length. */
export function encodeSegmentedProof(p: SegmentedProof): Uint8Array {
  const w = new ByteWriter();
  for (const b of SEGMENTED_PROOF_MAGIC) w.u8(b);
  w.u16(SEGMENTED_PROOF_FORMAT_VERSION);
  w.u32(p.segments.length);
  for (const s of p.segments) {
    const bytes = encodeProof(s);
    w.u32(bytes.length);
    w.bytes(bytes);
  }
  return w.finish();
}

/** Whether bytes start like a segmented proof (to tell the two formats apart). */
export function isSegmentedProof(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && SEGMENTED_PROOF_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Decodes a segmented proof defensively: the count is bounded, every length is checked against
 * the bytes left, and each segment decodes as a STARK proof.
 *
 * @throws ProofFormatError naming the segment and what is wrong
 */
export function decodeSegmentedProof(bytes: Uint8Array): SegmentedProof {
  if (!(bytes instanceof Uint8Array))
    throw new ProofFormatError('a proof must be given as bytes (Uint8Array)');
  const r = new ByteReader(bytes);
  r.section = 'magic';
  for (const b of SEGMENTED_PROOF_MAGIC) {
    if (r.u8() !== b) throw new ProofFormatError('not a Nexus segmented proof (bad magic number)');
  }
  r.section = 'version';
  const version = r.u16();
  if (version !== SEGMENTED_PROOF_FORMAT_VERSION) {
    throw new ProofFormatError(
      `segmented proof format version ${version} is not supported (this verifier reads version ${SEGMENTED_PROOF_FORMAT_VERSION})`,
    );
  }
  r.section = 'segment count';
  const count = r.u32();
  if (count === 0 || count > MAX_SEGMENTS)
    throw new ProofFormatError(`a segmented proof holds 1..${MAX_SEGMENTS} segments, not ${count}`);
  const segments: StarkProof[] = [];
  for (let k = 0; k < count; k++) {
    r.section = `segment ${k} length`;
    const n = r.u32();
    r.section = `segment ${k}`;
    const body = r.bytesOf(n);
    try {
      segments.push(decodeProof(body));
    } catch (e) {
      if (e instanceof ProofFormatError)
        throw new ProofFormatError(`segment ${k}: ${e.message}`, e.details);
      throw e;
    }
  }
  r.section = 'end';
  r.expectEnd();
  return { segments };
}
