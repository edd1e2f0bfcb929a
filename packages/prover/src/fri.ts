import {
  type Column,
  domainTwiddles,
  lineInterpolateInPlace,
  type QM31,
  type QM31Column,
  qm31MulInto as qmul,
} from '@nexus/field';
import {
  type Channel,
  friSchedule,
  type HashBackend,
  joinChallenges,
  type PcsConfig,
  type TreeOpening,
} from '@nexus/kernel';
import { type ProverKernels, typescriptKernels } from './kernels.js';
import { MerkleTree } from './merkle.js';
import type { ProverPool } from './pool.js';

/**
 * Circle FRI, prover side.
 *
 * Layer 0 commits every DEEP quotient (one circle evaluation per column size) in one
 * mixed-degree tree, each in leaves of 2^(rest+1) consecutive storage positions (rest: kernel's
 * friSchedule): the largest in leaves of 2^folds[0] values, the coset layer 0's step folds
 * (circle fold, then folds[0] - 1 line folds, with α_0, α_0^2, ...); a smaller one as the
 * 2^rest conjugate pairs whose circle folds its join needs. Each further layer commits the
 * current line evaluation as cosets of 2^s consecutive positions (s = its step), draws a, and
 * folds s times with a, a^2, a^4, .... Where a smaller quotient's circle fold has the current
 * size (after t of a step's folds, `rest` = s - t left), it adds (a^(2^s))^(rest+1) times that
 * fold made with the t-th fold's challenge a^(2^(t-1)) (`joinChallenges`). The last layer is
 * sent as the coefficients of a line polynomial of degree < 2^logLastLayerDegreeBound.
 */
export interface FriQuotient {
  /** log size of the circle evaluation (column log size + logBlowup). */
  readonly logSize: number;
  readonly values: QM31Column;
}

export interface FriCommitment {
  readonly roots: Uint32Array[];
  readonly lastLayer: QM31[];
  /** Opens every layer at the given top-layer query positions. */
  open(queries: readonly number[]): TreeOpening[];
}

/** Circle evaluation of log size D -> line evaluation of log size D - 1. */
export function foldCircle(
  values: QM31Column,
  logSize: number,
  alpha: QM31,
  kernels: ProverKernels = typescriptKernels,
): QM31Column {
  return kernels.qm31ColumnFoldPairs(values, domainTwiddles(logSize).circleInverse, alpha);
}

/** Line evaluation of log size L -> log size L - 1. */
export function foldLine(
  values: QM31Column,
  logSize: number,
  alpha: QM31,
  kernels: ProverKernels = typescriptKernels,
): QM31Column {
  return kernels.qm31ColumnFoldPairs(values, domainTwiddles(logSize + 1).lineInverse, alpha);
}

/** Columns of an evaluation's cosets of 2^s consecutive positions: column u·4 + c holds coordinate c of position j·2^s + u. */
function cosetColumns(values: QM31Column, s: number): Column[] {
  const size = 2 ** s;
  const count = values[0].length / size;
  const cols: Column[] = [];
  for (let u = 0; u < size; u++) {
    for (let c = 0; c < 4; c++) {
      const src = values[c]!;
      const dst = new Uint32Array(count);
      for (let j = 0; j < count; j++) dst[j] = src[j * size + u]!;
      cols.push(dst);
    }
  }
  return cols;
}

function square(a: QM31): QM31 {
  const out = [0, 0, 0, 0];
  qmul(a[0], a[1], a[2], a[3], a[0], a[1], a[2], a[3], out, 0);
  return out as unknown as QM31;
}

/** current += weight · circleFold(q, challenge), in place. */
function join(
  current: QM31Column,
  q: FriQuotient,
  challenge: QM31,
  weight: QM31,
  kernels: ProverKernels,
): void {
  kernels.qm31ColumnScaleAdd(current, foldCircle(q.values, q.logSize, challenge, kernels), weight);
}

export function friCommit(
  hash: HashBackend,
  channel: Channel,
  quotients: readonly FriQuotient[],
  config: PcsConfig,
  pool: ProverPool | null = null,
  kernels: ProverKernels = typescriptKernels,
): FriCommitment {
  const sorted = [...quotients].sort((a, b) => b.logSize - a.logSize);
  const { folds, joins } = friSchedule(
    sorted.map((q) => q.logSize),
    config,
  );
  // Folds of its layer's step left after each quotient joins (the largest: layer 0's step after
  // its circle fold): it is committed in leaves of 2^(rest+1) consecutive positions.
  const rests = [folds[0]! - 1, ...joins.map((j) => j.rest)];
  const trees: MerkleTree[] = [];
  const roots: Uint32Array[] = [];
  const first = new MerkleTree(
    hash,
    sorted.flatMap((q, i) =>
      cosetColumns(q.values, rests[i]! + 1).map((values) => ({
        values,
        logSize: q.logSize - 1 - rests[i]!,
      })),
    ),
    pool,
  );
  trees.push(first);
  roots.push(first.root);
  channel.mixRoot(first.root);
  // `level`: the log size of `current` (layer 0's step starts from the largest quotient's
  // circle evaluation, so its first fold is the circle fold).
  let current = sorted[0]!.values;
  let level = sorted[0]!.logSize;
  const levels: number[] = [];
  folds.forEach((s, layer) => {
    levels.push(level);
    if (layer > 0) {
      const tree = new MerkleTree(
        hash,
        cosetColumns(current, s).map((values) => ({ values, logSize: level - s })),
        pool,
      );
      trees.push(tree);
      roots.push(tree.root);
      channel.mixRoot(tree.root);
    }
    const alpha = channel.drawQM31();
    let a = alpha;
    for (let t = 1; t <= s; t++) {
      current =
        layer === 0 && t === 1
          ? foldCircle(current, level, a, kernels)
          : foldLine(current, level, a, kernels);
      level -= 1;
      a = square(a);
      joins.forEach((j, i) => {
        if (j.layer !== layer || j.after !== t) return;
        const { challenge, weight } = joinChallenges(alpha, s, t);
        join(current, sorted[i + 1]!, challenge, weight, kernels);
      });
    }
  });
  // Last layer: interpolate each coordinate; honest provers have zeros above the bound.
  const coeffs = current.map((c) => lineInterpolateInPlace(Uint32Array.from(c)));
  const lastLayer: QM31[] = [];
  for (let i = 0; i < 2 ** config.logLastLayerDegreeBound; i++) {
    lastLayer.push([coeffs[0]![i]!, coeffs[1]![i]!, coeffs[2]![i]!, coeffs[3]![i]!]);
  }
  channel.mixQM31s(lastLayer);

  return {
    roots,
    lastLayer,
    open(queries) {
      // Layer 0: each quotient's leaf on the query path, less the positions the verifier
      // computes itself from the trace openings (the queries' own positions).
      const openings: TreeOpening[] = [];
      const top = sorted[0]!.logSize;
      const computed = sorted.map((q) => new Set(queries.map((p) => p >> (top - q.logSize))));
      // Per tree layer, its quotients in commitment order (largest first), as in byLayer.
      const byLayer = new Map<number, number[]>();
      sorted.forEach((q, i) => {
        const h = q.logSize - 1 - rests[i]!;
        byLayer.set(h, [...(byLayer.get(h) ?? []), i]);
      });
      openings.push(
        first.open(
          queries.map((q) => q >> folds[0]!),
          (layer, node, column) => {
            let c = column;
            for (const i of byLayer.get(layer)!) {
              const width = 4 * 2 ** (rests[i]! + 1);
              if (c < width) return !computed[i]!.has(node * 2 ** (rests[i]! + 1) + (c >> 2));
              c -= width;
            }
            throw new Error(`FRI layer 0 has no column ${column} at layer ${layer}`);
          },
        ),
      );
      folds.forEach((s, i) => {
        if (i === 0) return; // layer 0: opened above
        const positions = new Set(queries.map((p) => p >> (top - levels[i]!)));
        const leaves = [...positions].map((p) => p >> s);
        openings.push(
          trees[i]!.open(
            leaves,
            (_, node, column) => !positions.has(node * 2 ** s + (column >> 2)),
          ),
        );
      });
      return openings;
    },
  };
}
