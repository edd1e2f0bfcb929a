import { inv, P, type QM31, qm31Add, qm31Inv, qm31MulM31 } from '@nexus/field';
import { combineExpr } from './air.js';
import { type Channel, createChannel } from './channel.js';
import type { BoundaryEntry } from './component.js';
import type { PcsConfig } from './config.js';
import { constant } from './expr.js';
import { evaluateExprs } from './interpret.js';
import type { ComponentSizes } from './shape.js';
import { encodeStatement, type Statement } from './statement.js';
import { PROTOCOL_VERSION, type System } from './system.js';

/**
 * The opening of the transcript, identical in prover and verifier: protocol version and PCS
 * config, the system digest, the statement, and the claimed component sizes. Every later
 * challenge depends on all of it.
 */
export function mixHeader(
  channel: Channel,
  system: System,
  config: PcsConfig,
  statement: Statement,
  sizes: ComponentSizes,
): void {
  channel.mixU32s([
    PROTOCOL_VERSION,
    config.logBlowup,
    config.nQueries,
    config.powBits,
    config.logLastLayerDegreeBound,
    config.friFoldStep,
  ]);
  channel.mixBytes(new TextEncoder().encode(config.name));
  channel.mixBytes(system.digest);
  channel.mixBytes(encodeStatement(statement));
  channel.mixU32s(sizes.map((s) => (s === null ? 0 : s)));
}

/** What each segment of a segmented proof commits before the LogUp challenges are drawn. */
export interface SegmentCommitment {
  readonly sizes: ComponentSizes;
  readonly preprocessedRoot: Uint32Array;
  readonly mainRoot: Uint32Array;
}

/** Tags that keep a segmented transcript apart from a single proof's and segments apart. */
const SEGMENTED = 0x4d474553; // 'SEGM'
const SEGMENT = 0x4b474553; // 'SEGK'

/**
 * The transcript of a proof of several segments, identical in prover and verifier: the
 * segment count, the PCS config, the system digest and the statement (as `mixHeader`), then
 * every segment's claimed sizes and preprocessed and main roots. `segment` -1 gives the common
 * transcript the LogUp challenges are drawn from, after every segment is committed (a
 * challenge drawn earlier would let a prover fit a later segment to it); `segment` k gives
 * segment k's own transcript for the rest of its proof, forked from the same history by its
 * index.
 */
export function segmentedChannel(
  system: System,
  config: PcsConfig,
  statement: Statement,
  segments: readonly SegmentCommitment[],
  segment: number,
): Channel {
  const channel = createChannel(system.hash);
  channel.mixU32s([SEGMENTED, segments.length]);
  mixHeader(channel, system, config, statement, []);
  for (const s of segments) {
    channel.mixU32s(s.sizes.map((n) => (n === null ? 0 : n + 1)));
    channel.mixRoot(s.preprocessedRoot);
    channel.mixRoot(s.mainRoot);
  }
  if (segment >= 0) channel.mixU32s([SEGMENT, segment]);
  return channel;
}

/**
 * The statement's share of the LogUp sum: Σ multiplicity / combine(values) over its boundary
 * entries. The verifier computes it itself from the statement it was given, never from the
 * proof; claimed sums plus this must be zero.
 */
export function boundarySum(
  entries: readonly BoundaryEntry[],
  params: (name: string) => QM31,
): QM31 {
  let total: QM31 = [0, 0, 0, 0];
  for (const e of entries) {
    const [d] = evaluateExprs(
      [
        combineExpr(
          e.relation,
          e.values.map((v) => constant(v)),
        ),
      ],
      () => {
        throw new Error('boundary tuples are constants');
      },
      params,
    );
    const m = ((e.multiplicity % P) + P) % P;
    total = qm31Add(total, qm31MulM31(qm31Inv(d!), m));
  }
  return total;
}

/** 1/N for a component of log size n, as used by the `claimed/n` parameter. */
export function inverseRowCount(logSize: number): number {
  return inv(2 ** logSize % P);
}
