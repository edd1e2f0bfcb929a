import {
  add,
  batchInverse,
  bitReverseIndex,
  bytesEqual,
  canonicCoset,
  circleDomain,
  cosetVanishingSecure,
  domainIndexAt,
  lineEvalAtPointM31,
  mul,
  neg,
  pointAt,
  type QM31,
  type QM31Column,
  qm31Add,
  qm31ColumnLinearCombination,
  qm31Eq,
  qm31Inv,
  qm31IsZero,
  qm31Mul,
  qm31MulM31,
  qm31Pow,
  qm31Sub,
  qm31ToString,
  type SecureCirclePoint,
  secureDoubleX,
  securePointFromParameter,
} from '@nexus/field';
import {
  boundarySum,
  type Channel,
  CLAIMED_OVER_N,
  type ComponentAir,
  checkBusBounds,
  checkComponentSizes,
  checkSegmentSizes,
  createChannel,
  decodeProof,
  decodeSegmentedProof,
  drawLogupChallenges,
  type ExprPlan,
  encodeProof,
  encodeSegmentedProof,
  evaluatePlan,
  exprPlan,
  foldCirclePair,
  foldLinePair,
  friSchedule,
  IS_FIRST,
  inverseRowCount,
  isFirstAt,
  joinChallenges,
  KernelError,
  lineCoefficients,
  MAIN_TREE,
  mixHeader,
  type PcsConfig,
  ProofFormatError,
  type ProofShape,
  proofShape,
  qm31MulCM31,
  SECURITY,
  type SegmentCommitment,
  type SegmentedProof,
  type StarkProof,
  type Statement,
  type System,
  samplePoint,
  securityBits,
  segmentedChannel,
  VerificationError,
  validateConfig,
  vanishingLine,
  vanishingLineAt,
} from '@nexus/kernel';
import { wasmKernels } from '@nexus/kernels-wasm';
import { readOpening, verifyMerkle } from './merkle.js';
import { expectedPreprocessedRoot } from './preprocessed.js';

export interface VerifyOptions {
  /** Reject proofs whose configuration gives fewer conjectured bits (default 96). */
  readonly minSecurityBits?: number;
  /**
   * The PCS configurations this verifier accepts (default: the presets, SECURITY). The blowup
   * multiplies the verifier's own work on the preprocessed columns, so a proof does not get to
   * choose it: a custom configuration is accepted only where the caller lists it.
   */
  readonly configs?: readonly PcsConfig[];
}

export const DEFAULT_MIN_SECURITY_BITS = 96;

/**
 * out = c + Σ alphas_i·columns_i, row by row: the DEEP quotients' column sums. The WebAssembly
 * kernel where the runtime has it (compiled before it runs, so the first verification in a
 * process, which JavaScript would run interpreted, gets its full speed), else @nexus/field's.
 */
const combine = wasmKernels?.qm31ColumnLinearCombination ?? qm31ColumnLinearCombination;

/**
 * Verifies a STARK proof for a statement against a system. Returns normally only if every
 * check passes; otherwise throws a VerificationError whose `check` names what failed
 * ('config', 'security-level', 'system', 'shape', 'statement', 'logup-sum', 'oods',
 * 'merkle', 'fri-fold', 'fri-last-layer', 'proof-of-work'), or a ProofFormatError for bytes
 * (or a proof object) that do not decode.
 */
export function verify(
  system: System,
  proofOrBytes: StarkProof | Uint8Array,
  statement: Statement,
  options: VerifyOptions = {},
): void {
  // A proof object is checked exactly as its bytes would be: the decoder is the one place that
  // checks counts, lengths and canonical values (an extra claimed sum in an object, unchecked,
  // was a free term in the LogUp balance).
  const proof = decodeProof(
    proofOrBytes instanceof Uint8Array ? proofOrBytes : bytesOf(proofOrBytes),
  );
  const config = checkProofConfig(system, proof, options);
  // Every component's size follows its rule: fixed tables and the tables the statement implies
  // have exactly their size, free components stay within theirs. A rule that cannot read the
  // statement means the statement does not fit this system.
  try {
    checkComponentSizes(system.components, proof.componentSizes, statement);
  } catch (e) {
    throw new VerificationError(
      e instanceof KernelError ? 'shape' : 'statement',
      (e as Error).message,
    );
  }
  const boundary = statementBoundary(system, statement);
  let shape: ProofShape;
  try {
    shape = proofShape(system, proof.componentSizes, config);
    checkBusBounds(shape, boundary);
  } catch (e) {
    throw new VerificationError('shape', (e as Error).message);
  }
  checkSegmentShape(proof, shape);
  const channel = createChannel(system.hash);
  mixHeader(channel, system, config, statement, proof.componentSizes);
  checkPreprocessedRoot(system, statement, shape, proof);
  channel.mixRoot(proof.roots[0]!);
  channel.mixRoot(proof.roots[1]!);
  const challenges = drawLogupChallenges(channel, system.relations);
  verifyAfterChallenges(system, proof, shape, channel, challenges, boundary);
}

/**
 * Verifies a proof of an execution cut into segments (`proveSegments`) against the whole
 * run's statement: every segment's config, sizes (the 'once' components only in the last
 * segment), lengths and preprocessed root, the bus bounds over all segments, the LogUp
 * challenges from a transcript holding every segment's commitments, the balance of all
 * segments' claimed sums with the statement, then each segment's STARK on its own transcript.
 *
 * @throws VerificationError naming the check (and the segment), or ProofFormatError
 */
export function verifySegments(
  system: System,
  proofOrBytes: SegmentedProof | Uint8Array,
  statement: Statement,
  options: VerifyOptions = {},
): void {
  const { segments } = decodeSegmentedProof(
    proofOrBytes instanceof Uint8Array ? proofOrBytes : encodeSegmentedProof(proofOrBytes),
  );
  const config = checkProofConfig(system, segments[0]!, options);
  segments.forEach((proof, k) => {
    if (!sameConfig(proof.config, config)) {
      throw new VerificationError(
        'config',
        `segment ${k} uses config ${proof.config.name}, segment 0 ${config.name}: one proof has one config`,
      );
    }
    if (!bytesEqual(proof.systemDigest, system.digest))
      throw new VerificationError('system', `segment ${k} was made by another system`);
  });
  try {
    checkSegmentSizes(
      system.components,
      segments.map((p) => p.componentSizes),
      statement,
    );
  } catch (e) {
    throw new VerificationError(
      e instanceof KernelError ? 'shape' : 'statement',
      (e as Error).message,
    );
  }
  const boundary = statementBoundary(system, statement);
  let shapes: ProofShape[];
  try {
    shapes = segments.map((p) => proofShape(system, p.componentSizes, config));
    // Over all segments together: exec's maxUses (2^28) keeps clk and every timestamp below p
    // only if no segment gets its own allowance (SOUNDNESS.md 10).
    checkBusBounds(shapes, boundary);
  } catch (e) {
    throw new VerificationError('shape', (e as Error).message);
  }
  segments.forEach((proof, k) => {
    checkSegmentShape(proof, shapes[k]!);
    checkPreprocessedRoot(system, statement, shapes[k]!, proof);
  });
  const headers = segments.map((p) => ({
    sizes: p.componentSizes,
    preprocessedRoot: p.roots[0]!,
    mainRoot: p.roots[1]!,
  }));
  const challenges = drawLogupChallenges(
    segmentedChannel(system, config, statement, headers, -1),
    system.relations,
  );
  // One LogUp sum over every segment and the statement.
  const param = challengeParam(challenges);
  let total = boundarySum(boundary, param);
  for (const p of segments) for (const s of p.claimedSums) total = qm31Add(total, s);
  if (!qm31IsZero(total)) {
    throw new VerificationError(
      'logup-sum',
      `the buses do not balance across the ${segments.length} segments for this statement (total ${qm31ToString(total)}): a segment is missing, repeated or from another run, or a public value differs from what was proven`,
    );
  }
  segments.forEach((proof, k) => {
    const channel = segmentedChannel(system, config, statement, headers, k);
    try {
      verifyAfterChallenges(system, proof, shapes[k]!, channel, challenges, null);
    } catch (e) {
      if (e instanceof VerificationError)
        throw new VerificationError(
          e.check,
          `segment ${k}: ${e.message.replace(`${e.check}: `, '')}`,
          {
            segment: k,
          },
        );
      throw e;
    }
  });
}

/**
 * Verifies ONE segment's proof of a segmented proof before the others exist: what a
 * coordinator checks of a worker's phase-2 result before it uses it. The proof must carry
 * exactly segment `index`'s commitment (its sizes and both roots, which the common transcript
 * absorbed), commit to the preprocessed columns the statement implies, and pass the STARK
 * checks on the segment's own transcript with the challenges drawn from every commitment.
 * What holds only over all segments (size scopes, global bus bounds, the LogUp balance) is
 * left to `verifySegments` (or the prover's `finishSegments`).
 *
 * @throws VerificationError naming the check and the segment, or ProofFormatError
 */
export function verifySegment(
  system: System,
  proofOrBytes: StarkProof | Uint8Array,
  statement: Statement,
  commitments: readonly SegmentCommitment[],
  index: number,
  options: VerifyOptions = {},
): void {
  const proof = decodeProof(
    proofOrBytes instanceof Uint8Array ? proofOrBytes : bytesOf(proofOrBytes),
  );
  const mine = commitments[index];
  if (mine === undefined)
    throw new VerificationError('shape', `there is no segment ${index} of ${commitments.length}`);
  const config = checkProofConfig(system, proof, options);
  const sameSizes =
    mine.sizes.length === proof.componentSizes.length &&
    mine.sizes.every((s, i) => s === proof.componentSizes[i]);
  if (
    !sameSizes ||
    !wordsEqual(mine.preprocessedRoot, proof.roots[0]!) ||
    !wordsEqual(mine.mainRoot, proof.roots[1]!)
  ) {
    throw new VerificationError(
      'shape',
      `segment ${index}: the proof is not for the segment's committed sizes and roots`,
      { segment: index },
    );
  }
  const boundary = statementBoundary(system, statement);
  let shape: ProofShape;
  try {
    shape = proofShape(system, proof.componentSizes, config);
    checkBusBounds(shape, boundary);
  } catch (e) {
    throw new VerificationError('shape', `segment ${index}: ${(e as Error).message}`);
  }
  checkSegmentShape(proof, shape);
  checkPreprocessedRoot(system, statement, shape, proof);
  const challenges = drawLogupChallenges(
    segmentedChannel(system, config, statement, commitments, -1),
    system.relations,
  );
  try {
    verifyAfterChallenges(
      system,
      proof,
      shape,
      segmentedChannel(system, config, statement, commitments, index),
      challenges,
      null,
    );
  } catch (e) {
    if (e instanceof VerificationError)
      throw new VerificationError(
        e.check,
        `segment ${index}: ${e.message.replace(`${e.check}: `, '')}`,
        { segment: index },
      );
    throw e;
  }
}

/** Config validity, acceptance, security level and system digest: the cheapest checks. */
function checkProofConfig(system: System, proof: StarkProof, options: VerifyOptions): PcsConfig {
  const minBits = options.minSecurityBits ?? DEFAULT_MIN_SECURITY_BITS;
  const config = proof.config;
  // Cheap checks first, each bounded by the proof's length or the statement: nothing below
  // the preprocessed root costs more than a few milliseconds, whatever the proof claims.
  try {
    validateConfig(config);
  } catch (e) {
    throw new VerificationError('shape', (e as Error).message);
  }
  const accepted = options.configs ?? Object.values(SECURITY);
  if (!accepted.some((c) => sameConfig(c, config))) {
    throw new VerificationError(
      'config',
      `the proof uses a configuration this verifier does not accept (log blowup ${config.logBlowup}, ${config.nQueries} queries, ${config.powBits} proof-of-work bits); accepted: ${accepted.map((c) => c.name).join(', ')}`,
    );
  }
  const bits = securityBits(config);
  if (bits < minBits) {
    throw new VerificationError(
      'security-level',
      `the proof gives ${bits} conjectured bits of security (config ${config.name}), below the ${minBits} required`,
      { bits, minBits },
    );
  }
  if (!bytesEqual(proof.systemDigest, system.digest)) {
    throw new VerificationError(
      'system',
      `the proof was made by a system with a different plugin set or hash backend (system digests differ; this verifier hashes with ${system.hash.id}); verify with the same plugins and hash backend that proved`,
    );
  }
  return config;
}

function statementBoundary(system: System, statement: Statement) {
  let boundary: ReturnType<System['boundary']>;
  try {
    boundary = system.boundary(statement);
  } catch (e) {
    throw new VerificationError(
      'statement',
      `the statement does not fit this system: ${(e as Error).message}`,
    );
  }
  return boundary;
}

/** Lengths against the shape, and no free LogUp term from a component without bus entries. */
function checkSegmentShape(proof: StarkProof, shape: ProofShape): void {
  checkLengths(proof, shape);
  // A component without bus entries has no LogUp constraint tying a sum to its trace: its sum
  // is 0 by definition, and anything else would be a free term in the balance below.
  shape.present.forEach(({ air }, ci) => {
    if (air.interactionColumns === 0 && !qm31IsZero(proof.claimedSums[ci]!)) {
      throw new VerificationError(
        'logup-sum',
        `component ${air.name} has no bus entries, yet the proof claims a nonzero LogUp sum for it`,
      );
    }
  });
}

/** The verifier builds the preprocessed columns itself: the proof must commit to those. */
function checkPreprocessedRoot(
  system: System,
  statement: Statement,
  shape: ProofShape,
  proof: StarkProof,
): void {
  const preRoot = expectedPreprocessedRoot(system, statement, shape);
  if (!wordsEqual(preRoot, proof.roots[0]!)) {
    throw new VerificationError(
      'statement',
      'the proof commits to other preprocessed columns (program or tables) than this statement implies',
    );
  }
}

function challengeParam(challenges: ReturnType<typeof drawLogupChallenges>) {
  return (name: string): QM31 => {
    const v = challenges.params.get(name);
    if (!v) throw new KernelError(`the statement uses a relation no component has (${name})`);
    return v;
  };
}

/**
 * Everything after the LogUp challenges, on the proof's transcript: claimed sums, composition,
 * out-of-domain samples, FRI, proof of work, openings. `boundary` null: the LogUp balance is
 * checked over all segments by the caller.
 */
function verifyAfterChallenges(
  system: System,
  proof: StarkProof,
  shape: ProofShape,
  channel: Channel,
  challenges: ReturnType<typeof drawLogupChallenges>,
  boundary: ReturnType<System['boundary']> | null,
): void {
  const config = proof.config;
  const hash = system.hash;
  const b = config.logBlowup;
  const M = shape.maxLogSize;
  const top = M + b;

  channel.mixQM31s(proof.claimedSums);
  channel.mixRoot(proof.roots[2]!);
  const alphaC = channel.drawQM31();
  channel.mixRoot(proof.roots[3]!);
  let oods: SecureCirclePoint | null = null;
  while (oods === null) {
    try {
      oods = securePointFromParameter(channel.drawQM31());
    } catch {
      oods = null;
    }
  }
  channel.mixQM31s(proof.sampledValues);
  const alphaQ = channel.drawQM31();
  channel.mixRoot(proof.friRoots[0]!);
  const friAlphas: QM31[] = [channel.drawQM31()];
  for (let i = 1; i < proof.friRoots.length; i++) {
    channel.mixRoot(proof.friRoots[i]!);
    friAlphas.push(channel.drawQM31());
  }
  channel.mixQM31s(proof.lastLayer);
  // The proof of work is checked after the statement-level checks below (LogUp sum, OODS), so
  // a proof checked against a wrong claim is always named by what is wrong with the claim,
  // not by whether the changed transcript happens to spoil a low-bit grind first.
  // A backend's channel may serve fewer proof-of-work bits or query bits than configs allow
  // (Poseidon2's draws 30-bit values): a config it cannot serve is the config's fault.
  let powOk: boolean;
  let queries: ReturnType<typeof channel.drawQueries>;
  try {
    powOk = channel.checkPow(proof.powNonce, config.powBits);
    channel.mixNonce(proof.powNonce);
    queries = channel.drawQueries(config.nQueries, top);
  } catch (e) {
    if (e instanceof ProofFormatError || e instanceof VerificationError) throw e;
    throw new VerificationError(
      'config',
      `the ${system.hash.id} channel cannot serve config ${config.name} (${(e as Error).message})`,
    );
  }

  const param = challengeParam(challenges);

  // LogUp: the claimed sums and the statement's boundary terms cancel (over all segments, for
  // a segment: checked by verifySegments).
  let logupTotal: QM31 = [0, 0, 0, 0];
  if (boundary !== null) logupTotal = boundarySum(boundary, param);
  for (const s of proof.claimedSums) logupTotal = qm31Add(logupTotal, s);
  if (boundary !== null && !qm31IsZero(logupTotal)) {
    throw new VerificationError(
      'logup-sum',
      `the buses do not balance for this statement (total ${qm31ToString(logupTotal)}): a public input, output or boundary value differs from what was proven`,
    );
  }

  // Sampled values, indexed by tree / column / offset: keyed by column·256 + offset + 128
  // (offsets lie in [-64, 64], air.ts), a number rather than a string built per lookup, for
  // the thousands of lookups of the OODS check.
  const sampleKey = (i: number, o: number) => i * 256 + o + 128;
  const sampleIndex: Map<number, number>[] = [new Map(), new Map(), new Map(), new Map()];
  const sampleList: { tree: number; column: number; logSize: number; offset: number }[] = [];
  shape.trees.forEach((cols, t) => {
    cols.forEach((c, i) => {
      for (const o of c.offsets) {
        sampleIndex[t]!.set(sampleKey(i, o), sampleList.length);
        sampleList.push({ tree: t, column: i, logSize: c.logSize, offset: o });
      }
    });
  });
  const sampled = (t: number, i: number, o: number) =>
    proof.sampledValues[sampleIndex[t]!.get(sampleKey(i, o))!]!;

  checkOods(shape, oods, alphaC, param, proof, sampled);
  if (!powOk) {
    throw new VerificationError(
      'proof-of-work',
      `the nonce does not give ${config.powBits} zero bits`,
    );
  }

  // Merkle openings of the four trees.
  const opened = shape.trees.map((cols, t) => {
    const height = cols.length === 0 ? 0 : Math.max(...cols.map((c) => c.logSize + b));
    const layerColumns = new Array(height + 1).fill(0);
    const columnSlot: { layer: number; index: number }[] = [];
    for (const c of cols)
      columnSlot.push({ layer: c.logSize + b, index: layerColumns[c.logSize + b]++ });
    const positions = queries.map((q) => q >> (top - height));
    const name = ['preprocessed', 'main', 'interaction', 'composition'][t]!;
    const values = readOpening(
      `${name} tree`,
      proof.openings[t]!.values,
      height,
      layerColumns,
      positions,
    );
    verifyMerkle(
      hash,
      `${name} tree`,
      proof.roots[t]!,
      height,
      layerColumns,
      positions,
      (h, j) => values.get(h)!.get(j)!,
      proof.openings[t]!.witness,
    );
    return { values, columnSlot };
  });

  // DEEP quotients at the queried positions, per column size.
  const sizes = [...new Set(sampleList.map((s) => s.logSize))].sort((x, y) => y - x);
  const lines = new Map<
    string,
    { line: ReturnType<typeof vanishingLine>; point: SecureCirclePoint }
  >();
  const coeffs: QM31[] = [];
  let power: QM31 = [1, 0, 0, 0];
  for (let j = 0; j < sampleList.length; j++) {
    coeffs.push(power);
    power = qm31Mul(power, alphaQ);
  }
  // Per sample j, the quotient term is α_j·(c_j·f_j(P) - a_j·P.y - b_j) (quotient.ts). Grouped
  // by sample point, Σ_j α_j·c_j·f_j(P) is the only part that varies with the column values:
  // precompute α_j·c_j per sample and Σ α_j·a_j, Σ α_j·b_j per group, so a query costs four
  // multiplications per sample.
  interface Group {
    readonly key: string;
    readonly logSize: number;
    readonly line: ReturnType<typeof vanishingLine>;
    a: QM31;
    b: QM31;
    readonly samples: { tree: number; column: number; cc: QM31 }[];
  }
  const groups = new Map<string, Group>();
  sampleList.forEach((s, j) => {
    const key = `${s.logSize}:${s.offset}`;
    let g = groups.get(key);
    if (!g) {
      const point = samplePoint(oods, s.logSize, s.offset);
      g = {
        key,
        logSize: s.logSize,
        line: vanishingLine(point),
        a: [0, 0, 0, 0],
        b: [0, 0, 0, 0],
        samples: [],
      };
      groups.set(key, g);
      lines.set(key, { line: g.line, point });
    }
    const lc = lineCoefficients(lines.get(key)!.point, proof.sampledValues[j]!);
    g.a = qm31Add(g.a, qm31Mul(coeffs[j]!, lc.a));
    g.b = qm31Add(g.b, qm31Mul(coeffs[j]!, lc.b));
    g.samples.push({ tree: s.tree, column: s.column, cc: qm31Mul(coeffs[j]!, lc.c) });
  });
  /**
   * Q_k at storage positions `positions` of its domain (log k + b). Per sample point, the sum
   * Σ cc_j·f_j over that point's columns is one QM31 combination of base columns (one value per
   * position): `combine`, the WebAssembly kernel where the runtime has it. Positions are padded
   * to a multiple of 4 (the kernel's lanes) with zeros, whose sums are dropped.
   */
  const quotientsAt = (k: number, positions: readonly number[]): QM31[] => {
    const D = k + b;
    const n = positions.length;
    const padded = (n + 3) & ~3;
    // The opened row of each tree at this layer, per position (null: the tree has no column of
    // this size).
    const rows = opened.map(({ values }) => {
      const layer = values.get(D);
      return layer === undefined ? null : positions.map((p) => layer.get(p)!);
    });
    const points = positions.map((p) => domainPoint(D, p));
    const out: QM31[] = positions.map(() => [0, 0, 0, 0]);
    const sums: QM31Column = [
      new Uint32Array(padded),
      new Uint32Array(padded),
      new Uint32Array(padded),
      new Uint32Array(padded),
    ];
    for (const g of groups.values()) {
      if (g.logSize !== k) continue;
      const columns = g.samples.map(({ tree, column }) => {
        const index = opened[tree]!.columnSlot[column]!.index;
        const r = rows[tree]!;
        const values = new Uint32Array(padded);
        for (let i = 0; i < n; i++) values[i] = r[i]![index]!;
        return values;
      });
      combine(
        columns,
        g.samples.map((x) => x.cc),
        [0, 0, 0, 0],
        sums,
      );
      // 1/V(P) = conj(V)/|V|^2 for V in CM31, the norms inverted in one batch.
      const vs = points.map((pt) => vanishingLineAt(g.line, pt.x, pt.y));
      const norms = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const v = vs[i]!;
        if (v[0] === 0 && v[1] === 0)
          throw new VerificationError('fri-fold', 'a query hit a sample point');
        norms[i] = add(mul(v[0], v[0]), mul(v[1], v[1]));
      }
      const normInverse = batchInverse(norms);
      for (let i = 0; i < n; i++) {
        const pt = points[i]!;
        const v = vs[i]!;
        const t = normInverse[i]!;
        const sum: QM31 = [sums[0][i]!, sums[1][i]!, sums[2][i]!, sums[3][i]!];
        const num = qm31Sub(qm31Sub(sum, qm31MulM31(g.a, pt.y)), g.b);
        out[i] = qm31Add(out[i]!, qm31MulCM31(num, [mul(v[0], t), neg(mul(v[1], t))]));
      }
    }
    return out;
  };

  verifyFri(proof, hash, sizes, b, config, queries, friAlphas, quotientsAt);
}

/** Each component's constraints (then its LogUp constraints) as one evaluation plan. */
const plans = new WeakMap<ComponentAir, ExprPlan>();

function planOf(air: ComponentAir): ExprPlan {
  let plan = plans.get(air);
  if (plan === undefined) {
    plan = exprPlan([...air.constraints, ...air.logupConstraints].map((c) => c.expr));
    plans.set(air, plan);
  }
  return plan;
}

function checkOods(
  shape: ProofShape,
  oods: SecureCirclePoint,
  alphaC: QM31,
  param: (name: string) => QM31,
  proof: StarkProof,
  sampled: (t: number, i: number, o: number) => QM31,
): void {
  // Σ_k α^(K-1-k) C_k(ζ) / Z(ζ), components in order, constraints then LogUp constraints.
  let acc: QM31 = [0, 0, 0, 0];
  shape.present.forEach(({ air, logSize }, ci) => {
    const values = evaluatePlan(
      planOf(air),
      (e) => {
        if (e.kind === 'pre') {
          if (e.name === IS_FIRST) return isFirstAt(logSize, samplePoint(oods, logSize, e.offset));
          return sampled(0, shape.preprocessedIds.indexOf(e.name), e.offset);
        }
        const tree = e.a === MAIN_TREE ? 1 : 2;
        const base = tree === 1 ? shape.mainOffset[ci]! : shape.interactionOffset[ci]!;
        return sampled(tree, base + e.b, e.offset);
      },
      (name) =>
        name === CLAIMED_OVER_N
          ? qm31MulM31(proof.claimedSums[ci]!, inverseRowCount(logSize))
          : param(name),
    );
    let sum: QM31 = [0, 0, 0, 0];
    for (const v of values) sum = qm31Add(qm31Mul(sum, alphaC), v);
    // Components are chained Horner-style: acc·α^count + this component's sum. α^count by
    // squaring: a product per constraint was a few thousand cold multiplications per proof.
    const shift = qm31Pow(alphaC, values.length);
    const z = cosetVanishingSecure(canonicCoset(logSize), oods);
    acc = qm31Add(qm31Mul(acc, shift), qm31Mul(sum, qm31Inv(z)));
  });
  // The committed composition: Σ_c e_c·(lo_c(ζ) + π^(M-1)(ζ.x)·hi_c(ζ)).
  let pix = oods.x;
  for (let i = 1; i < shape.maxLogSize; i++) pix = secureDoubleX(pix);
  const basis: QM31[] = [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
  let committed: QM31 = [0, 0, 0, 0];
  for (let c = 0; c < 4; c++) {
    const v = qm31Add(sampled(3, c, 0), qm31Mul(pix, sampled(3, 4 + c, 0)));
    committed = qm31Add(committed, qm31Mul(basis[c]!, v));
  }
  if (!qm31Eq(acc, committed)) {
    throw new VerificationError(
      'oods',
      'the constraints evaluated at the out-of-domain point do not match the committed composition polynomial',
    );
  }
}

/**
 * FRI: layer 0, the inner layers with their joins, the last layer (prover side and schedule:
 * prover fri.ts, kernel fri.ts).
 *
 * What each value is bound by, and which fold check it enters:
 * - A quotient's values at the queries' own positions are computed here from the trace
 *   openings (`quotientsAt`; those are bound by the trace trees and the OODS check).
 * - Every other value of a quotient's layer-0 leaf on a query path (the conjugate partners; for
 *   a quotient joining inside a step, the rest of its 2^(rest+1)-value sub-coset) is read from
 *   the opening, and the whole leaf, computed values included, must hash to layer 0's root,
 *   committed before any FRI challenge. The largest quotient's pairs enter the circle fold with
 *   α_0; a smaller one's sub-coset gives its circle folds at the 2^rest positions its step has
 *   reached when it joins, each added with its weight to the value folded there.
 * - An inner layer's coset values not computed by the fold before (the query's own position)
 *   are read from its opening and must hash to that layer's root, committed before its
 *   challenge; the coset, folded s times with the joins added, must equal the value the next
 *   layer computes from it at the folded position (its own leaf hashes to the next root), and
 *   the final value must equal the last-layer polynomial. So a changed value anywhere breaks a
 *   Merkle check, or, when consistent with a dishonest commitment, is caught by FRI's proximity
 *   soundness (the join weights keep each step a random linear combination: kernel fri.ts).
 */
function verifyFri(
  proof: StarkProof,
  hash: System['hash'],
  sizes: readonly number[],
  b: number,
  config: PcsConfig,
  queries: readonly number[],
  alphas: readonly QM31[],
  quotientsAt: (k: number, positions: readonly number[]) => QM31[],
): void {
  const top = sizes[0]! + b;
  const logs = sizes.map((k) => k + b);
  const { folds, joins } = friSchedule(logs, config);
  // Folds of its layer's step left after each quotient joins (the largest: layer 0's step after
  // its circle fold); it lives at tree layer D - 1 - rest in leaves of 2^(rest+1) consecutive
  // positions.
  const rests = [folds[0]! - 1, ...joins.map((j) => j.rest)];
  const height0 = top - folds[0]!; // layer 0's tree: the largest quotient's leaves
  const leafSize = (i: number) => 2 ** (rests[i]! + 1);
  const layer0 = proof.friOpenings[0]!;
  let read = 0;
  const next4 = (name: string): QM31 => {
    if (read + 4 > layer0.values.length)
      throw new VerificationError('merkle', `${name}: the opening has too few values`);
    const v: QM31 = [
      layer0.values[read]!,
      layer0.values[read + 1]!,
      layer0.values[read + 2]!,
      layer0.values[read + 3]!,
    ];
    read += 4;
    return v;
  };
  // Per quotient (index into logs): position -> value, the computed ones first.
  const computed = logs.map((D) => new Set(queries.map((q) => q >> (top - D))));
  const q0 = logs.map((D, i) => {
    const positions = [...computed[i]!];
    const values = quotientsAt(D - b, positions);
    return new Map(positions.map((p, k) => [p, values[k]!]));
  });
  // Tree layers, largest first, each with its quotients in commitment order (largest first).
  const byLayer = new Map<number, number[]>();
  logs.forEach((D, i) => {
    const h = D - 1 - rests[i]!;
    byLayer.set(h, [...(byLayer.get(h) ?? []), i]);
  });
  const layerColumns = new Array(height0 + 1).fill(0);
  for (const [h, members] of byLayer) {
    layerColumns[h] = members.reduce((n, i) => n + 4 * leafSize(i), 0);
  }
  // The other values arrive layer by layer (largest first), node by node, then quotient by
  // quotient, position by position, as MerkleTree.open writes them.
  for (const h of [...byLayer.keys()].sort((x, y) => y - x)) {
    const nodes = [...new Set(queries.map((q) => q >> (top - h)))].sort((x, y) => x - y);
    for (const j of nodes) {
      for (const i of byLayer.get(h)!) {
        for (let v = 0; v < leafSize(i); v++) {
          const pos = j * leafSize(i) + v;
          if (!computed[i]!.has(pos)) q0[i]!.set(pos, next4('FRI layer 0'));
        }
      }
    }
  }
  if (read !== layer0.values.length)
    throw new VerificationError('merkle', 'FRI layer 0: the opening has values too many');
  verifyMerkle(
    hash,
    'FRI layer 0',
    proof.friRoots[0]!,
    height0,
    layerColumns,
    queries.map((q) => q >> (top - height0)),
    (h, j) => {
      const out: number[] = [];
      for (const i of byLayer.get(h)!) {
        for (let v = 0; v < leafSize(i); v++) out.push(...q0[i]!.get(j * leafSize(i) + v)!);
      }
      return out;
    },
    layer0.witness,
  );

  // Circle folds of quotient i at positions p of its line domain (pairs 2p, 2p + 1 of its
  // circle domain), the y inverses in one batch (an M31 inversion is ~40 multiplications; a
  // batch costs 3 per element).
  const circleFolds = (i: number, positions: readonly number[], alpha: QM31): QM31[] => {
    const D = logs[i]!;
    const known = q0[i]!;
    const yInverse = batchInverse(Uint32Array.from(positions, (p) => domainPoint(D, 2 * p).y));
    return positions.map((p, k) =>
      foldCirclePair(known.get(2 * p)!, known.get(2 * p + 1)!, yInverse[k]!, alpha),
    );
  };
  // Layer 0's step folds the largest quotient from its leaves (circle fold first); each inner
  // layer's step folds its opened cosets. `level`: log size of the values the step starts from.
  let current = q0[0]!;
  let level = top;
  folds.forEach((s, i) => {
    const size = 2 ** s;
    const nodes = [...new Set([...current.keys()].map((p) => p >> s))].sort((x, y) => x - y);
    let full = current;
    if (i > 0) {
      const opening = proof.friOpenings[i]!;
      let r = 0;
      full = new Map(current);
      for (const j of nodes) {
        for (let u = 0; u < size; u++) {
          const pos = j * size + u;
          if (!full.has(pos)) {
            if (r + 4 > opening.values.length)
              throw new VerificationError('merkle', `FRI layer ${i}: too few values`);
            full.set(pos, [
              opening.values[r]!,
              opening.values[r + 1]!,
              opening.values[r + 2]!,
              opening.values[r + 3]!,
            ]);
            r += 4;
          }
        }
      }
      if (r !== opening.values.length)
        throw new VerificationError('merkle', `FRI layer ${i}: values too many`);
      const layerColumns = new Array(level - s + 1).fill(0);
      layerColumns[level - s] = 4 * size;
      const opened = full;
      verifyMerkle(
        hash,
        `FRI layer ${i}`,
        proof.friRoots[i]!,
        level - s,
        layerColumns,
        nodes,
        (_, j) => {
          const out: number[] = [];
          for (let u = 0; u < size; u++) out.push(...opened.get(j * size + u)!);
          return out;
        },
        opening.witness,
      );
    }
    // The quotients joining in this step, by the fold after which they join: their weighted
    // circle folds at the 2^rest positions of every opened coset's sub-coset (node j's leaf in
    // layer 0), made before folding.
    const joining = new Map<number, { weight: QM31; folds: Map<number, QM31> }[]>();
    joins.forEach((join, q) => {
      if (join.layer !== i) return;
      const { challenge, weight } = joinChallenges(alphas[i]!, s, join.after);
      const width = 2 ** join.rest;
      const positions = nodes.flatMap((j) =>
        Array.from({ length: width }, (_, u) => j * width + u),
      );
      const circle = circleFolds(q + 1, positions, challenge);
      const list = joining.get(join.after) ?? [];
      list.push({ weight, folds: new Map(positions.map((p, k) => [p, circle[k]!])) });
      joining.set(join.after, list);
    });
    // Fold each coset s times with α, α^2, α^4, ...: every twiddle of every fold first (y for
    // layer 0's circle fold, else x), in the order the folds read them, inverted in one batch.
    const twiddles: number[] = [];
    for (const j of nodes) {
      for (let t = 0; t < s; t++) {
        const base = j * (size >> t);
        for (let m = 0; m < size >> (t + 1); m++) {
          twiddles.push(
            i === 0 && t === 0
              ? domainPoint(level, base + 2 * m).y
              : lineDomainPointX(level - t, base + 2 * m),
          );
        }
      }
    }
    const inverses = batchInverse(Uint32Array.from(twiddles));
    let read = 0;
    const folded = new Map<number, QM31>();
    for (const j of nodes) {
      let values: QM31[] = [];
      for (let u = 0; u < size; u++) values.push(full.get(j * size + u)!);
      let a = alphas[i]!;
      for (let t = 1; t <= s; t++) {
        const pair = i === 0 && t === 1 ? foldCirclePair : foldLinePair;
        const next: QM31[] = [];
        for (let m = 0; m < values.length / 2; m++) {
          next.push(pair(values[2 * m]!, values[2 * m + 1]!, inverses[read++]!, a));
        }
        values = next;
        a = qm31Mul(a, a);
        // Values now at positions j·2^(s-t) + u of level (level - t).
        for (const { weight, folds: circle } of joining.get(t) ?? []) {
          values = values.map((v, u) =>
            qm31Add(v, qm31Mul(weight, circle.get(j * values.length + u)!)),
          );
        }
      }
      folded.set(j, values[0]!);
    }
    level -= s;
    current = folded;
  });
  if (level !== config.logLastLayerDegreeBound + b) {
    throw new VerificationError('shape', 'the FRI layers do not match the claimed sizes');
  }
  for (const [pos, v] of current) {
    const x = lineDomainPointX(level, pos);
    if (!qm31Eq(lineEvalAtPointM31(proof.lastLayer, x), v)) {
      throw new VerificationError(
        'fri-last-layer',
        'a folded value disagrees with the last-layer polynomial',
      );
    }
  }
}

/** The point at storage position p of the canonic circle domain of log size D. */
function domainPoint(D: number, p: number) {
  return pointAt(domainIndexAt(circleDomain(D), bitReverseIndex(p, D)));
}

/** x at storage position s of the line domain of log size L (x of circle domain L + 1). */
function lineDomainPointX(L: number, s: number): number {
  return pointAt(domainIndexAt(circleDomain(L + 1), bitReverseIndex(s, L))).x;
}

function checkLengths(proof: StarkProof, shape: ProofShape): void {
  const samples = shape.trees.reduce(
    (n, cols) => n + cols.reduce((m, c) => m + c.offsets.length, 0),
    0,
  );
  if (proof.sampledValues.length !== samples) {
    throw new VerificationError(
      'shape',
      `the proof has ${proof.sampledValues.length} sampled values, the system needs ${samples}`,
    );
  }
  const { logLastLayerDegreeBound: last, logBlowup } = shape.config;
  const sizes = [...new Set(shape.trees.flatMap((cols) => cols.map((c) => c.logSize)))].sort(
    (x, y) => y - x,
  );
  let layers: number;
  try {
    layers = friSchedule(
      sizes.map((k) => k + logBlowup),
      shape.config,
    ).folds.length;
  } catch (e) {
    // A component too small for the config's last layer: the statement's shape, not a crash.
    throw new VerificationError('shape', (e as Error).message);
  }
  if (proof.friRoots.length !== layers) {
    throw new VerificationError(
      'shape',
      `the proof has ${proof.friRoots.length} FRI layers, ${layers} expected`,
    );
  }
  if (proof.lastLayer.length !== 2 ** last) {
    throw new VerificationError(
      'shape',
      `the FRI last layer has ${proof.lastLayer.length} coefficients, ${2 ** last} expected`,
    );
  }
  if (shape.maxLogSize <= last) {
    throw new VerificationError('shape', 'the trace is smaller than the FRI last layer');
  }
}

function bytesOf(proof: StarkProof): Uint8Array {
  try {
    return encodeProof(proof);
  } catch (e) {
    throw new ProofFormatError(`the proof object does not encode: ${(e as Error).message}`);
  }
}

function sameConfig(a: PcsConfig, b: PcsConfig): boolean {
  return (
    a.name === b.name &&
    a.logBlowup === b.logBlowup &&
    a.nQueries === b.nQueries &&
    a.powBits === b.powBits &&
    a.logLastLayerDegreeBound === b.logLastLayerDegreeBound &&
    a.friFoldStep === b.friFoldStep
  );
}

function wordsEqual(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
