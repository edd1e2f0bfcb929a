import {
  assertCanonical,
  type Column,
  type QM31,
  qm31Add,
  qm31IsZero,
  qm31Mul,
  qm31ToString,
  type SecureCirclePoint,
  securePointFromParameter,
} from '@nexus/field';
import {
  boundarySum,
  type Channel,
  CLAIMED_OVER_N,
  type ComponentTrace,
  ConstraintError,
  checkBusBounds,
  checkComponentSizes,
  checkSegmentSizes,
  createChannel,
  drawLogupChallenges,
  IS_FIRST,
  inverseRowCount,
  isFirstColumn,
  KernelError,
  mixHeader,
  type PcsConfig,
  type ProofShape,
  proofShape,
  resolveConfig,
  type SecurityPreset,
  type SegmentCommitment,
  type SegmentedProof,
  type StarkProof,
  type Statement,
  type System,
  samplePoint,
  segmentedChannel,
  withColumnwiseMachine,
} from '@nexus/kernel';
import { checkConstraintsOn } from './checks.js';
import { compositionCoefficients, compositionCoefficientsColumns } from './composition.js';
import { type DeepColumn, deepQuotient } from './deep.js';
import { friCommit } from './fri.js';
import { columnwiseMachineFor, proverKernels } from './kernels.js';
import { interactionTrace } from './logup.js';
import { sampleColumns } from './oods.js';
import type { ProverPool } from './pool.js';
import { CommittedTree, coefficientsOfRows, commitRows } from './tree.js';

export interface ProveInput {
  readonly statement: Statement;
  /** Main traces by component name; a component without a trace is left out of the proof. */
  readonly traces: ReadonlyMap<string, ComponentTrace> | Readonly<Record<string, ComponentTrace>>;
}

export type ProvePhase =
  | 'preprocessed'
  | 'main'
  | 'interaction'
  | 'composition'
  | 'oods'
  | 'deep'
  | 'fri'
  | 'proof-of-work'
  | 'decommit';

export interface ProveOptions {
  /** Security preset or custom PCS config (default: standard). */
  readonly config?: SecurityPreset | PcsConfig;
  /**
   * Check every constraint and the bus balance before proving (default true), so a bad trace
   * is reported with row and label instead of producing a proof that will not verify; with
   * it, the component sizes are checked against their rules and the bus bounds. Tests of the
   * verifier turn it off to play a malicious prover, who may claim any size.
   */
  readonly checkConstraints?: boolean;
  /**
   * For tests of the verifier only, with checkConstraints off: replaces the claimed LogUp sums
   * once the challenges are drawn, as a malicious prover may; given the honest sums (in the
   * order of the present components) and the statement's boundary sum.
   */
  readonly forgeClaimedSums?: (honest: readonly QM31[], boundary: QM31) => readonly QM31[];
  /** Called as each phase starts (fraction of the work done so far, 0..1). */
  readonly onProgress?: (phase: ProvePhase, fraction: number) => void;
  /** Filled with milliseconds spent per phase. */
  readonly timings?: Partial<Record<ProvePhase, number>>;
  /**
   * The reference path (for tests and benchmarks): every constraint, LogUp ones included,
   * evaluated by compiled straight-line code. It gives the same proof, byte for byte, more
   * slowly; the default path evaluates LogUp constraints column by column.
   */
  readonly reference?: boolean;
  /**
   * The column kernels of the default path: 'wasm' (default where the runtime has WebAssembly
   * SIMD: @nexus/kernels-wasm) or 'typescript' (@nexus/field). Same proof either way; the
   * reference path always uses TypeScript.
   */
  readonly kernels?: 'wasm' | 'typescript';
  /**
   * Threads to split the heavy steps over (pool.ts; the SDK's `createProverPool` starts Node
   * worker threads): the trace checks, the columns' extensions, Merkle layers, bus entry
   * columns, LogUp columns, constraints on the extended domain, OODS samples and DEEP
   * quotients. The transcript stays on this thread, and the proof is the same, byte for byte.
   * Nothing here checks what the threads computed (they are this prover's own threads): the
   * SDK's proveAsync verifies a proof made on a pool before returning it. Ignored on the
   * reference path (one thread, by definition).
   */
  readonly pool?: ProverPool;
}

const PHASE_WEIGHT: Record<ProvePhase, number> = {
  preprocessed: 0.02,
  main: 0.25,
  interaction: 0.15,
  composition: 0.2,
  oods: 0.08,
  deep: 0.12,
  fri: 0.1,
  'proof-of-work': 0.05,
  decommit: 0.03,
};

/**
 * Proves that the given traces satisfy the system's constraints and buses for the statement.
 *
 * @throws ConstraintError (row and label) or KernelError (unbalanced buses, malformed traces)
 *   when `checkConstraints` is on and the traces are wrong.
 */
export function prove(system: System, input: ProveInput, options: ProveOptions = {}): StarkProof {
  const enter = progress(options);
  const c = commitMain(system, input, options, enter, 'single');
  const channel = createChannel(system.hash);
  mixHeader(channel, system, c.config, input.statement, c.sizes);
  channel.mixRoot(c.preTree.root);
  channel.mixRoot(c.mainTree.root);
  enter('interaction');
  const challenges = drawLogupChallenges(channel, system.relations);
  return proveAfterMain(system, c, channel, challenges, options, enter, true);
}

/**
 * Proves an execution cut into segments (one trace set per segment, in order) under one LogUp
 * sum: every segment's preprocessed and main trees are committed first, the challenges are
 * drawn from a transcript holding all of them (`segmentedChannel`), then each segment's proof
 * is finished on its own transcript forked by its index. The size rules hold per segment with
 * the 'once' components only in the last (`checkSegmentSizes`); the bus bounds and the LogUp
 * balance hold over all segments together (SOUNDNESS.md section 10).
 *
 * Every segment's committed trees stay in memory until its proof is finished.
 */
export function proveSegments(
  system: System,
  input: { readonly statement: Statement; readonly segments: readonly ProveInput['traces'][] },
  options: ProveOptions = {},
): SegmentedProof {
  const enter = progress(options);
  if (input.segments.length === 0) throw new KernelError('a segmented proof needs a segment');
  const committed = input.segments.map((traces) =>
    commitMain(system, { statement: input.statement, traces }, options, enter, 'segment'),
  );
  const config = committed[0]!.config;
  const headers = committed.map((c) => ({
    sizes: c.sizes,
    preprocessedRoot: c.preTree.root,
    mainRoot: c.mainTree.root,
  }));
  enter('interaction');
  const challenges = drawLogupChallenges(
    segmentedChannel(system, config, input.statement, headers, -1),
    system.relations,
  );
  const segments = committed.map((c, k) =>
    proveAfterMain(
      system,
      c,
      segmentedChannel(system, config, input.statement, headers, k),
      challenges,
      options,
      enter,
      false,
    ),
  );
  // The checks over all segments (sizes with scopes, global bus bounds, the balance).
  return finishSegments(system, input.statement, headers, segments, options);
}

/**
 * Phase 1 of one segment as a stateless job: commits its preprocessed and main trees and
 * returns what the common transcript needs (sizes and the two roots). The trees are dropped:
 * `proveSegment` recommits them, so a caller keeps one segment's traces alive at a time.
 */
export function commitSegment(
  system: System,
  input: ProveInput,
  options: ProveOptions = {},
): SegmentCommitment {
  const c = commitMain(system, input, options, progress(options), 'segment');
  return { sizes: c.sizes, preprocessedRoot: c.preTree.root, mainRoot: c.mainTree.root };
}

/**
 * Phase 2 of segment `index` as a stateless job: recommits its traces (the roots must be the
 * ones committed in phase 1), draws the LogUp challenges from every segment's commitment, and
 * finishes its proof on its own transcript. `finishSegments` checks what holds over all
 * segments.
 */
export function proveSegment(
  system: System,
  input: ProveInput,
  commitments: readonly SegmentCommitment[],
  index: number,
  options: ProveOptions = {},
): StarkProof {
  const enter = progress(options);
  const c = commitMain(system, input, options, enter, 'segment');
  const mine = commitments[index];
  if (
    mine === undefined ||
    !sameWords(mine.preprocessedRoot, c.preTree.root) ||
    !sameWords(mine.mainRoot, c.mainTree.root)
  ) {
    throw new KernelError(
      `segment ${index}: its traces are not the ones committed in phase 1 (roots differ): the segment's trace generation must be deterministic`,
    );
  }
  enter('interaction');
  const challenges = drawLogupChallenges(
    segmentedChannel(system, c.config, input.statement, commitments, -1),
    system.relations,
  );
  return proveAfterMain(
    system,
    c,
    segmentedChannel(system, c.config, input.statement, commitments, index),
    challenges,
    options,
    enter,
    false,
  );
}

/**
 * The checks over all segments of a proof made with commitSegment / proveSegment (with
 * `checkConstraints`, as proveSegments makes them): size rules with scopes, global bus bounds,
 * and the balance of every claimed sum with the statement.
 *
 * @throws KernelError naming what does not hold
 */
export function finishSegments(
  system: System,
  statement: Statement,
  commitments: readonly SegmentCommitment[],
  segments: readonly StarkProof[],
  options: ProveOptions = {},
): SegmentedProof {
  if (options.checkConstraints ?? true) {
    const config = resolveConfig(options.config);
    checkSegmentSizes(
      system.components,
      commitments.map((c) => c.sizes),
      statement,
    );
    checkBusBounds(
      commitments.map((c) => proofShape(system, c.sizes, config)),
      system.boundary(statement),
    );
    const param = challengeParam(
      drawLogupChallenges(
        segmentedChannel(system, config, statement, commitments, -1),
        system.relations,
      ),
    );
    let total = boundarySum(system.boundary(statement), param);
    for (const p of segments) for (const s of p.claimedSums) total = qm31Add(total, s);
    if (!qm31IsZero(total)) {
      throw new KernelError(
        `the buses do not balance across the segments (LogUp total ${qm31ToString(total)} instead of 0): some tuple is used more or less often than it is yielded`,
      );
    }
  }
  return { segments };
}

function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Progress and timing bookkeeping across the phases of one proof. */
function progress(options: ProveOptions): (next: ProvePhase | null) => void {
  let done = 0;
  let phaseStart = performance.now();
  let phase: ProvePhase | null = null;
  return (next: ProvePhase | null) => {
    const now = performance.now();
    if (phase !== null) {
      if (options.timings)
        options.timings[phase] = (options.timings[phase] ?? 0) + (now - phaseStart);
      done += PHASE_WEIGHT[phase];
    }
    phaseStart = now;
    phase = next;
    if (next !== null) options.onProgress?.(next, Math.min(done, 1));
  };
}

function challengeParam(challenges: ReturnType<typeof drawLogupChallenges>) {
  return (name: string): QM31 => {
    const v = challenges.params.get(name);
    if (!v) throw new KernelError(`no LogUp challenge named ${name}`);
    return v;
  };
}

/** A proof's (or a segment's) preprocessed and main trees, committed: what phase 2 starts from. */
interface MainCommitment {
  readonly config: PcsConfig;
  readonly check: boolean;
  readonly kernels: ReturnType<typeof proverKernels>;
  readonly pool: ProverPool | null;
  readonly statement: Statement;
  readonly traces: ReadonlyMap<string, ComponentTrace>;
  readonly sizes: (number | null)[];
  readonly shape: ProofShape;
  readonly preTree: CommittedTree;
  readonly mainTree: CommittedTree;
  /** Row-order values of a preprocessed column as a component of log size n reads it. */
  readonly preprocessedRows: (id: string, logSize: number) => Column;
}

/**
 * Phase 1: checks the traces, commits the preprocessed columns and the main traces. A single
 * proof checks the size rules and bus bounds here; a segment leaves them to proveSegments,
 * which checks them over all segments.
 */
function commitMain(
  system: System,
  input: ProveInput,
  options: ProveOptions,
  enter: (next: ProvePhase | null) => void,
  kind: 'single' | 'segment',
): MainCommitment {
  return withColumnwiseMachine(columnwiseMachineFor(options), () =>
    commitTraces(system, input, options, enter, kind),
  );
}

function commitTraces(
  system: System,
  input: ProveInput,
  options: ProveOptions,
  enter: (next: ProvePhase | null) => void,
  kind: 'single' | 'segment',
): MainCommitment {
  const config = resolveConfig(options.config);
  const check = options.checkConstraints ?? true;
  const hash = system.hash;
  const b = config.logBlowup;
  const kernels = proverKernels(options.reference === true || options.kernels === 'typescript');
  const pool = options.reference === true ? null : (options.pool ?? null);
  const traces = input.traces instanceof Map ? input.traces : new Map(Object.entries(input.traces));
  for (const name of traces.keys()) {
    if (!system.components.some((c) => c.name === name)) {
      throw new KernelError(
        `a trace was given for ${name}, which is not a component of this system`,
      );
    }
  }
  const sizes = system.components.map((air) => {
    const t = traces.get(air.name);
    return t === undefined ? null : t.logSize;
  });
  if (check && kind === 'single') checkComponentSizes(system.components, sizes, input.statement);
  const shape = proofShape(system, sizes, config);
  if (check && kind === 'single') checkBusBounds(shape, system.boundary(input.statement));
  for (const { air, logSize } of shape.present)
    validateTrace(air.name, air.component.columns, traces.get(air.name)!, logSize);

  // Tree 0: preprocessed columns.
  enter('preprocessed');
  const preRows = new Map<string, Column>();
  shape.preprocessedIds.forEach((id, i) => {
    preRows.set(id, preprocessedColumn(system, id, shape.trees[0]![i]!.logSize, input.statement));
  });
  const preTree = commitRows(
    hash,
    shape.preprocessedIds.map((id) => ({
      values: preRows.get(id)!,
      logSize: Math.log2(preRows.get(id)!.length),
    })),
    b,
    kernels,
    pool,
  );
  const preprocessedRows = (id: string, logSize: number): Column =>
    id === IS_FIRST ? isFirstColumn(logSize) : preRows.get(id)!;

  // Tree 1: main traces.
  enter('main');
  if (check) {
    for (const { air, logSize } of shape.present) {
      checkConstraintsOn(pool, air, traces.get(air.name)!, (id) => preprocessedRows(id, logSize));
    }
  }
  const mainTree = commitRows(
    hash,
    shape.present.flatMap(({ air, logSize }) =>
      traces.get(air.name)!.columns.map((values: Uint32Array) => ({ values, logSize })),
    ),
    b,
    kernels,
    pool,
  );
  return {
    config,
    check,
    kernels,
    pool,
    statement: input.statement,
    traces,
    sizes,
    shape,
    preTree,
    mainTree,
    preprocessedRows,
  };
}

/**
 * Phase 2, on the transcript after the main root and with the LogUp challenges drawn: the
 * interaction traces and claimed sums, composition, out-of-domain samples, DEEP, FRI, proof of
 * work and the openings. `balanced`: the claimed sums must balance with the statement on their
 * own (a single proof); a segment's balance is checked over all segments.
 */
function proveAfterMain(
  system: System,
  c: MainCommitment,
  channel: Channel,
  challenges: ReturnType<typeof drawLogupChallenges>,
  options: ProveOptions,
  enter: (next: ProvePhase | null) => void,
  balanced: boolean,
): StarkProof {
  return withColumnwiseMachine(columnwiseMachineFor(options), () =>
    finishProof(system, c, channel, challenges, options, enter, balanced),
  );
}

function finishProof(
  system: System,
  c: MainCommitment,
  channel: Channel,
  challenges: ReturnType<typeof drawLogupChallenges>,
  options: ProveOptions,
  enter: (next: ProvePhase | null) => void,
  balanced: boolean,
): StarkProof {
  const { config, check, kernels, pool, traces, sizes, shape, preTree, mainTree } = c;
  const { preprocessedRows } = c;
  const hash = system.hash;
  const b = config.logBlowup;
  const input = { statement: c.statement };
  const param = challengeParam(challenges);

  // Tree 2: LogUp interaction traces, in a function of their own so that their row-order
  // columns (as large as the main trace) are garbage once committed.
  const { claimedSums, interactionTree } = commitInteraction();
  function commitInteraction() {
    const interactions = shape.present.map(({ air, logSize }) =>
      interactionTrace(
        air,
        logSize,
        (key) => {
          if (key.startsWith('m:')) return traces.get(air.name)!.columns[Number(key.slice(2))]!;
          return preprocessedRows(key.slice(2), logSize);
        },
        challenges,
        kernels,
        pool,
      ),
    );
    let claimedSums = interactions.map((i) => i.claimedSum);
    if (options.forgeClaimedSums) {
      if (check)
        throw new KernelError(
          'forgeClaimedSums plays a malicious prover: turn checkConstraints off',
        );
      claimedSums = [
        ...options.forgeClaimedSums(
          claimedSums,
          boundarySum(system.boundary(input.statement), param),
        ),
      ];
      if (claimedSums.length !== interactions.length) {
        throw new KernelError(`forgeClaimedSums must return ${interactions.length} sums`);
      }
    }
    if (check && balanced) {
      let total = boundarySum(system.boundary(input.statement), param);
      for (const s of claimedSums) total = qm31Add(total, s);
      if (!qm31IsZero(total)) {
        throw new KernelError(
          `the buses do not balance (LogUp total ${qm31ToString(total)} instead of 0): some tuple is used more or less often than it is yielded; findUnbalancedTuples() names it`,
        );
      }
    }
    channel.mixQM31s(claimedSums);
    const interactionTree = commitRows(
      hash,
      shape.present.flatMap(({ logSize }, i) =>
        interactions[i]!.columns.map((values) => ({ values, logSize })),
      ),
      b,
      kernels,
      pool,
    );
    channel.mixRoot(interactionTree.root);
    return { claimedSums, interactionTree };
  }

  // Tree 3: the composition polynomial, split into halves of the largest trace size.
  enter('composition');
  const alphaC = channel.drawQM31();
  const coefficients = compositionCoefficients(alphaC, shape.totalConstraints);
  // The composition's evaluation domain of a column: the first 2^(n+1) positions of its LDE
  // (domain.ts "Evaluation domains"); with blowup 2 the whole LDE.
  const onEvalDomain = (tree: CommittedTree, index: number, logSize: number): Column =>
    tree.ldes[index]!.subarray(0, 2 ** (logSize + 1));
  const composition = compositionCoefficientsColumns(
    shape,
    shape.present.map(({ air, logSize }, ci) => ({
      air,
      logSize,
      ldeLog: logSize + b,
      // Each referenced column once per component (with a blowup above 1 it is evaluated).
      column: memoize((key: string) => {
        const i = Number(key.slice(2));
        if (key.startsWith('m:')) return onEvalDomain(mainTree, shape.mainOffset[ci]! + i, logSize);
        if (key.startsWith('i:'))
          return onEvalDomain(interactionTree, shape.interactionOffset[ci]! + i, logSize);
        const id = key.slice(2);
        if (id === IS_FIRST)
          return kernels
            .evaluateUnchecked(
              coefficientsOfRows(isFirstColumn(logSize), logSize, kernels),
              logSize + b,
            )
            .subarray(0, 2 ** (logSize + 1));
        return onEvalDomain(preTree, shape.preprocessedIds.indexOf(id), logSize);
      }),
      params: (name: string) =>
        name === CLAIMED_OVER_N
          ? qm31Mul(claimedSums[ci]!, [inverseRowCount(logSize), 0, 0, 0])
          : param(name),
    })),
    coefficients,
    { reference: options.reference === true, kernels, pool },
  );
  const M = shape.maxLogSize;
  const half = 2 ** M;
  const compositionTree = new CommittedTree(
    hash,
    Array(8).fill(M),
    [...composition.map((c) => c.slice(0, half)), ...composition.map((c) => c.slice(half))],
    b,
    kernels,
    pool,
  );
  channel.mixRoot(compositionTree.root);

  // Out-of-domain sampling.
  enter('oods');
  let oods: SecureCirclePoint | null = null;
  while (oods === null) {
    try {
      oods = securePointFromParameter(channel.drawQM31());
    } catch {
      oods = null; // 1 + t^2 = 0: draw again (negligible odds)
    }
  }
  const trees = [preTree, mainTree, interactionTree, compositionTree];
  // Samples that share a column size and a point share the basis weights: one batch each. The
  // coefficients come back from the extensions one column size at a time (tree.ts
  // `coefficients`), each column's once, so only one size's are alive at once.
  interface SampleBatch {
    readonly point: SecureCirclePoint;
    readonly logSize: number;
    readonly columns: { tree: number; column: number }[];
    readonly at: number[];
  }
  const batches = new Map<string, SampleBatch>();
  const sampledValues: QM31[] = [];
  const sampleInfo: {
    tree: number;
    column: number;
    logSize: number;
    point: SecureCirclePoint;
    key: string;
  }[] = [];
  shape.trees.forEach((columns, t) => {
    columns.forEach((col, i) => {
      for (const offset of col.offsets) {
        const key = `${col.logSize}:${offset}`;
        const point = samplePoint(oods!, col.logSize, offset);
        let batch = batches.get(key);
        if (!batch) {
          batch = { point, logSize: col.logSize, columns: [], at: [] };
          batches.set(key, batch);
        }
        batch.columns.push({ tree: t, column: i });
        batch.at.push(sampleInfo.length);
        sampleInfo.push({ tree: t, column: i, logSize: col.logSize, point, key });
      }
    });
  });
  for (const logSize of new Set([...batches.values()].map((b) => b.logSize))) {
    const inSize = [...batches.values()].filter((b) => b.logSize === logSize);
    const coeffs = new Map<string, Column>();
    trees.forEach((tree, t) => {
      const indices = [
        ...new Set(
          inSize.flatMap((b) => b.columns.filter((c) => c.tree === t).map((c) => c.column)),
        ),
      ];
      if (indices.length === 0) return;
      tree.coefficients(indices, kernels, pool).forEach((c, k) => {
        coeffs.set(`${t}:${indices[k]}`, c);
      });
    });
    for (const batch of inSize) {
      const columns = batch.columns.map(({ tree, column }) => coeffs.get(`${tree}:${column}`)!);
      const values = sampleColumns(columns, batch.point, logSize, kernels, pool);
      batch.at.forEach((j, k) => {
        sampledValues[j] = values[k]!;
      });
    }
  }
  batches.clear();
  channel.mixQM31s(sampledValues);

  // DEEP quotients, one per column size.
  enter('deep');
  const alphaQ = channel.drawQM31();
  const bySize = new Map<
    number,
    Map<string, DeepColumn & { samples: DeepColumn['samples'][number][] }>
  >();
  let power: QM31 = [1, 0, 0, 0];
  sampleInfo.forEach((s, j) => {
    const cols = bySize.get(s.logSize) ?? new Map();
    bySize.set(s.logSize, cols);
    const colKey = `${s.tree}:${s.column}`;
    let dc = cols.get(colKey);
    if (!dc) {
      dc = { lde: trees[s.tree]!.ldes[s.column]!, samples: [] };
      cols.set(colKey, dc);
    }
    dc.samples.push({
      point: s.point,
      pointKey: s.key,
      value: sampledValues[j]!,
      coefficient: power,
    });
    power = qm31Mul(power, alphaQ);
  });
  const quotients = [...bySize.entries()].map(([logSize, cols]) => ({
    logSize: logSize + b,
    values: deepQuotient(logSize + b, [...cols.values()], kernels, pool),
  }));

  enter('fri');
  const fri = friCommit(hash, channel, quotients, config, pool, kernels);

  enter('proof-of-work');
  const powNonce = channel.grind(config.powBits);
  channel.mixNonce(powNonce);

  enter('decommit');
  const topLog = M + b;
  const queries = channel.drawQueries(config.nQueries, topLog);
  const openings = trees.map((tree) => {
    const height = tree.merkle.height;
    return tree.merkle.open(queries.map((q) => q >> (topLog - height)));
  });
  const friOpenings = fri.open(queries);
  enter(null);

  return {
    config,
    systemDigest: system.digest,
    componentSizes: sizes,
    claimedSums,
    roots: trees.map((t) => t.root),
    sampledValues,
    friRoots: fri.roots,
    lastLayer: fri.lastLayer,
    powNonce,
    openings,
    friOpenings,
  };
}

function validateTrace(
  name: string,
  layout: readonly string[],
  trace: ComponentTrace,
  logSize: number,
): void {
  if (trace.columns.length !== layout.length) {
    throw new KernelError(
      `trace of ${name} has ${trace.columns.length} columns, its layout has ${layout.length}`,
    );
  }
  trace.columns.forEach((c, i) => {
    if (!(c instanceof Uint32Array) || c.length !== 2 ** logSize) {
      throw new KernelError(
        `trace of ${name}: column ${layout[i]} must be a Uint32Array of 2^${logSize} rows`,
      );
    }
    try {
      assertCanonical(c, `${name}.${layout[i]}`);
    } catch (e) {
      throw new ConstraintError((e as Error).message);
    }
  });
}

function preprocessedColumn(
  system: System,
  id: string,
  logSize: number,
  statement: Statement,
): Column {
  const col = system.preprocessed.get(id)!.generate(statement, logSize);
  if (!(col instanceof Uint32Array) || col.length !== 2 ** logSize) {
    throw new KernelError(
      `preprocessed column ${id} must generate a Uint32Array of 2^${logSize} rows`,
    );
  }
  assertCanonical(col, `preprocessed ${id}`);
  return col;
}

/** f with its results kept by argument. */
function memoize<T>(f: (key: string) => T): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    let v = seen.get(key);
    if (v === undefined) {
      v = f(key);
      seen.set(key, v);
    }
    return v;
  };
}
