import {
  checkBusBounds,
  checkSegmentSizes,
  decodeProof,
  KernelError,
  type PcsConfig,
  proofShape,
  type SegmentCommitment,
  type SegmentedProof,
  type StarkProof,
} from '@nexus/kernel';
import { finishSegments } from '@nexus/prover';
import { verifySegment } from '@nexus/verifier';
import { type ExecutionResult, loadElf } from '@nexus/vm';
import { ZkvmError } from './errors.js';
import {
  elfDigest,
  type SegmentJob,
  type SegmentJobResult,
  type SegmentPhase,
  type SegmentRunner,
} from './segment-job.js';
import { SegmentedRun } from './segment-run.js';
import { describeSystem } from './segment-system.js';
import type { GuestInputs, ProveOptions, ProveResult, Zkvm } from './zkvm.js';

/** A worker's result the coordinator refused (or a job that failed), and what happens next. */
export interface RefusedResult {
  readonly phase: SegmentPhase;
  readonly index: number;
  /** 1 for a job's first try. */
  readonly attempt: number;
  readonly reason: string;
}

export interface WorkerProveOptions extends ProveOptions {
  /** Cancels the proof: pending jobs are dropped, running ones aborted where the runner can. */
  readonly signal?: AbortSignal;
  /** Tries per job before its segment is treated as disputed (default 3). */
  readonly attempts?: number;
  /** Called for every refused result or failed job (a bad worker shows here). */
  readonly onRefused?: (refused: RefusedResult) => void;
  /**
   * A module workers import to rebuild this zkVM when its plugins are not all bundled ones
   * (see `SystemDescription`).
   */
  readonly systemModule?: string;
}

/** Rounds of phase 2 (each after a disputed commitment was replaced) before giving up. */
const MAX_ROUNDS = 3;

/**
 * Proves a run in segments with the jobs run by `runner` (`run`: pass 1's result when the
 * caller has it), checking every result before using
 * it (SOUNDNESS.md section 10):
 *
 * - a phase-1 commitment must have the system's shape (a size or null per component, 8-word
 *   roots) and, all together, pass the size scopes and global bus bounds. Its truth is checked
 *   by phase 2: the phase-2 proof of a segment is accepted only if it carries exactly that
 *   commitment and verifies on the segment's transcript (`verifySegment`), which a commitment
 *   to anything but valid traces of the statement makes impossible.
 * - a phase-2 proof is verified against the common challenges before it is kept.
 * - a refused result or failed job is retried (`attempts`); a segment whose phase 2 still fails
 *   has its commitment recomputed by a new job: a different commitment replaces the old one
 *   (new challenges, phase 2 again for every segment), the same one means the segment cannot
 *   be proven and the proof fails with a ZkvmError naming it and the last reason.
 * - a failure no segment is blamed for (the sizes or bus bounds together, or proofs that each
 *   verify yet do not balance: a worker validly proved other traces than its segment's) has
 *   every commitment recomputed; the changed ones replace the old, and if none changes the
 *   proof fails with a ZkvmError.
 *
 * So a faulty or malicious worker can delay a proof (a retry, or a round of phase 2), never
 * spoil it: the final proof passes `finishSegments`, the same checks over all segments that
 * `verifySegments` makes.
 */
export async function proveWithRunner(
  zkvm: Zkvm,
  elf: Uint8Array,
  inputs: GuestInputs,
  options: WorkerProveOptions,
  runner: SegmentRunner,
  segmentCycles: number,
  run?: ExecutionResult,
): Promise<ProveResult> {
  try {
    return await coordinate(zkvm, elf, inputs, options, runner, segmentCycles, run);
  } catch (e) {
    if (e instanceof SegmentDispute) {
      throw new ZkvmError(`segment ${e.index} could not be committed by any worker: ${e.reason}`, {
        reason: 'workers',
        segment: e.index,
      });
    }
    throw e;
  }
}

async function coordinate(
  zkvm: Zkvm,
  elf: Uint8Array,
  inputs: GuestInputs,
  options: WorkerProveOptions,
  runner: SegmentRunner,
  segmentCycles: number,
  run: ExecutionResult | undefined,
): Promise<ProveResult> {
  const signal = options.signal;
  signal?.throwIfAborted();
  const security: PcsConfig = zkvm.proverOptions(options).config as PcsConfig;
  options.onProgress?.('execute', 0);
  const start = performance.now();
  const seg = new SegmentedRun(zkvm, loadElf(elf), inputs, segmentCycles, run);
  const timings = options.timings;
  if (timings) timings.execute = (timings.execute ?? 0) + performance.now() - start;
  const { count, statement } = seg;
  const digest = elfDigest(elf);
  await runner.putElf(digest, elf);
  const base = {
    system: describeSystem(zkvm, options.systemModule),
    systemDigest: zkvm.system.digest,
    security,
    elf: digest,
    publicInput: seg.publicInput,
    privateInput: inputs.privateInput ?? new Uint8Array(0),
    segmentCycles,
    count,
  };
  const attempts = options.attempts ?? 3;
  let done = 0;
  const finished = (phase: SegmentPhase, k: number) => {
    done++;
    options.onSegment?.(phase, k, count);
    options.onProgress?.('segments', Math.min(1, done / (2 * count)));
  };

  /** Runs a job until a result passes `check` or `attempts` tries are spent. */
  const checked = async <T>(job: SegmentJob, check: (r: SegmentJobResult) => T): Promise<T> => {
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      signal?.throwIfAborted();
      try {
        const r = await runner.run(job, signal);
        if (r.phase !== job.phase || r.index !== job.index)
          throw new Error(`a result for ${r.phase} ${r.index}, not for this job`);
        return check(r);
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        reason = (e as Error)?.message ?? String(e);
        options.onRefused?.({ phase: job.phase, index: job.index, attempt, reason });
      }
    }
    throw new SegmentDispute(job.index, reason);
  };

  const commit = (k: number) =>
    checked({ ...base, index: k, phase: 'commit' }, (r) => {
      const c = checkCommitment(r, zkvm.system.components.length);
      finished('commit', k);
      return c;
    });

  const commitments: SegmentCommitment[] = await Promise.all(
    Array.from({ length: count }, (_, k) => commit(k)),
  );
  let disputes: SegmentDispute[] = [];
  /**
   * A failure over all segments that names none (sizes or bus bounds together, or the LogUp
   * balance of proofs each of which verified): some worker committed to, and proved, traces
   * other than its segment's. Every commitment is then recomputed; those that change replace
   * the old ones, and if none changes the segments themselves do not fit together.
   */
  let global: string | null = null;
  /** Recomputes every commitment; true when one changed. */
  const recommitAll = async (): Promise<boolean> => {
    const again = await Promise.all(commitments.map((_, k) => commit(k)));
    let changed = false;
    again.forEach((c, k) => {
      if (!sameCommitment(c, commitments[k]!)) {
        commitments[k] = c;
        changed = true;
      }
    });
    return changed;
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (round > 0 && global !== null) {
      if (!(await recommitAll())) {
        throw new ZkvmError(
          `the segments do not fit together, and recomputing every commitment changed none: ${global}`,
          { reason: 'workers' },
        );
      }
      global = null;
    } else if (round > 0) {
      // Recompute each disputed commitment: one that changes replaces the old (a bad phase-1
      // result); one that stays means the segment itself cannot be proven.
      for (const d of disputes) {
        const again = await commit(d.index);
        if (sameCommitment(again, commitments[d.index]!)) {
          throw new ZkvmError(
            `segment ${d.index} of ${count} could not be proven by any worker: ${d.reason}`,
            { reason: 'workers', segment: d.index },
          );
        }
        commitments[d.index] = again;
      }
    }
    try {
      checkSegmentSizes(
        zkvm.system.components,
        commitments.map((c) => c.sizes),
        statement,
      );
      checkBusBounds(
        commitments.map((c) => proofShape(zkvm.system, c.sizes, security)),
        zkvm.system.boundary(statement),
      );
    } catch (e) {
      // Which segment lied about its sizes is not known: every commitment is recomputed.
      global = `the segments' sizes: ${(e as Error).message}`;
      options.onRefused?.({ phase: 'commit', index: -1, attempt: round + 1, reason: global });
      continue;
    }
    const settled = await Promise.allSettled(
      commitments.map((_, k) =>
        checked({ ...base, index: k, phase: 'prove', commitments }, (r) => {
          if (r.phase !== 'prove') throw new Error('not a proof');
          verifySegment(zkvm.system, r.proof, statement, commitments, k, {
            configs: [security],
            minSecurityBits: 0,
          });
          const proof: StarkProof = decodeProof(r.proof);
          finished('prove', k);
          return proof;
        }),
      ),
    );
    signal?.throwIfAborted();
    disputes = [];
    const proofs: StarkProof[] = [];
    for (const s of settled) {
      if (s.status === 'fulfilled') proofs.push(s.value);
      else if (s.reason instanceof SegmentDispute) disputes.push(s.reason);
      else throw s.reason;
    }
    if (disputes.length === 0) {
      let proof: SegmentedProof;
      try {
        proof = finishSegments(zkvm.system, statement, commitments, proofs, { config: security });
      } catch (e) {
        // Every proof verified on its own, yet they do not balance: a worker proved other
        // traces than its segment's (a valid STARK of the wrong thing). Which one is not known.
        if (!(e instanceof KernelError)) throw e;
        global = `the segments' proofs: ${e.message}`;
        options.onRefused?.({ phase: 'prove', index: -1, attempt: round + 1, reason: global });
        continue;
      }
      if (timings) timings.segments = performance.now() - start - (timings.execute ?? 0);
      return zkvm.segmentedResult(seg, proof);
    }
  }
  const why = global ?? disputes.map((d) => `segment ${d.index}: ${d.reason}`).join('; ');
  throw new ZkvmError(
    `the proof was given up after ${MAX_ROUNDS} rounds of refused results: ${why}`,
    { reason: 'workers' },
  );
}

/** A segment whose jobs kept failing or being refused. */
class SegmentDispute extends Error {
  constructor(
    readonly index: number,
    readonly reason: string,
  ) {
    super(`segment ${index}: ${reason}`);
  }
}

/** A phase-1 result's shape: one size (or null) per component, two 8-word roots. */
function checkCommitment(r: SegmentJobResult, components: number): SegmentCommitment {
  if (r.phase !== 'commit') throw new Error('not a commitment');
  const c = r.commitment;
  const okSizes =
    Array.isArray(c?.sizes) &&
    c.sizes.length === components &&
    c.sizes.every((s) => s === null || (Number.isInteger(s) && s >= 0 && s <= 30));
  const okRoot = (x: unknown) => x instanceof Uint32Array && x.length === 8;
  if (!okSizes || !okRoot(c.preprocessedRoot) || !okRoot(c.mainRoot))
    throw new Error('a malformed commitment (sizes or roots)');
  return {
    sizes: [...c.sizes],
    preprocessedRoot: c.preprocessedRoot.slice(),
    mainRoot: c.mainRoot.slice(),
  };
}

function sameCommitment(a: SegmentCommitment, b: SegmentCommitment): boolean {
  const words = (x: Uint32Array, y: Uint32Array) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.sizes.length === b.sizes.length &&
    a.sizes.every((s, i) => s === b.sizes[i]) &&
    words(a.preprocessedRoot, b.preprocessedRoot) &&
    words(a.mainRoot, b.mainRoot)
  );
}
