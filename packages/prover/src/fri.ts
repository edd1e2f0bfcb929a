import {
  add as addm,
  allocQM31Column,
  type Column,
  domainTwiddles,
  lineInterpolateInPlace,
  mul as mulm,
  type QM31,
  type QM31Column,
  qm31MulInto as qmul,
  sub as subm,
} from '@nexus/field';
import {
  type Channel,
  friSteps,
  type HashBackend,
  type PcsConfig,
  type TreeOpening,
} from '@nexus/kernel';
import { MerkleTree } from './merkle.js';
import type { ProverPool } from './pool.js';

/**
 * Circle FRI, prover side.
 *
 * Layer 0 commits every DEEP quotient (one circle evaluation per column size) in one
 * mixed-degree tree, each as conjugate pairs: leaf j of a size holds its values at storage
 * positions 2j and 2j+1, the pair a fold combines. After drawing α_0, the largest quotient is
 * folded circle -> line. Each further layer commits the current line evaluation as cosets of
 * 2^s consecutive positions (s = the step of kernel's friSteps), draws α, and folds s times
 * with α, α^2, α^4, ...; then, where a smaller quotient's circle fold has the current size, it
 * adds a^2 times that fold (made with the last fold's challenge a). The last layer is sent as
 * the coefficients of a line polynomial of degree < 2^logLastLayerDegreeBound.
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

/** Splits a QM31 evaluation into 8 columns of pairs: even positions' coordinates, then odd. */
function pairColumns(values: QM31Column): Column[] {
  const half = values[0].length / 2;
  const cols: Column[] = [];
  for (const parity of [0, 1]) {
    for (let c = 0; c < 4; c++) {
      const src = values[c]!;
      const dst = new Uint32Array(half);
      for (let j = 0; j < half; j++) dst[j] = src[2 * j + parity]!;
      cols.push(dst);
    }
  }
  return cols;
}

/** out = f0 + α·f1 over pairs, f1 scaled by the pair's inverse twiddle. */
function foldPairs(values: QM31Column, inverseTwiddles: Column, alpha: QM31): QM31Column {
  const half = values[0].length / 2;
  const out = allocQM31Column(half);
  const f1 = [0, 0, 0, 0];
  const [v0, v1, v2, v3] = values;
  for (let j = 0; j < half; j++) {
    const t = inverseTwiddles[j]!;
    const a = 2 * j;
    const b = a + 1;
    const d0 = mulm(subm(v0[a]!, v0[b]!), t);
    const d1 = mulm(subm(v1[a]!, v1[b]!), t);
    const d2 = mulm(subm(v2[a]!, v2[b]!), t);
    const d3 = mulm(subm(v3[a]!, v3[b]!), t);
    qmul(alpha[0], alpha[1], alpha[2], alpha[3], d0, d1, d2, d3, f1, 0);
    out[0][j] = addm(addm(v0[a]!, v0[b]!), f1[0]!);
    out[1][j] = addm(addm(v1[a]!, v1[b]!), f1[1]!);
    out[2][j] = addm(addm(v2[a]!, v2[b]!), f1[2]!);
    out[3][j] = addm(addm(v3[a]!, v3[b]!), f1[3]!);
  }
  return out;
}

/** Circle evaluation of log size D -> line evaluation of log size D - 1. */
export function foldCircle(values: QM31Column, logSize: number, alpha: QM31): QM31Column {
  return foldPairs(values, domainTwiddles(logSize).circleInverse, alpha);
}

/** Line evaluation of log size L -> log size L - 1. */
export function foldLine(values: QM31Column, logSize: number, alpha: QM31): QM31Column {
  return foldPairs(values, domainTwiddles(logSize + 1).lineInverse, alpha);
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

/** current += a^2 · circleFold(q, a), in place. */
function join(current: QM31Column, q: FriQuotient, a: QM31): void {
  const folded = foldCircle(q.values, q.logSize, a);
  const a2 = square(a);
  const t = [0, 0, 0, 0];
  for (let j = 0; j < folded[0].length; j++) {
    qmul(
      a2[0],
      a2[1],
      a2[2],
      a2[3],
      folded[0][j]!,
      folded[1][j]!,
      folded[2][j]!,
      folded[3][j]!,
      t,
      0,
    );
    for (let c = 0; c < 4; c++) current[c]![j] = addm(current[c]![j]!, t[c]!);
  }
}

export function friCommit(
  hash: HashBackend,
  channel: Channel,
  quotients: readonly FriQuotient[],
  config: PcsConfig,
  pool: ProverPool | null = null,
): FriCommitment {
  const sorted = [...quotients].sort((a, b) => b.logSize - a.logSize);
  const steps = friSteps(
    sorted.map((q) => q.logSize),
    config,
  );
  const trees: MerkleTree[] = [];
  const roots: Uint32Array[] = [];
  const first = new MerkleTree(
    hash,
    sorted.flatMap((q) =>
      pairColumns(q.values).map((values) => ({ values, logSize: q.logSize - 1 })),
    ),
    pool,
  );
  trees.push(first);
  roots.push(first.root);
  channel.mixRoot(first.root);
  const alpha0 = channel.drawQM31();
  let current = foldCircle(sorted[0]!.values, sorted[0]!.logSize, alpha0);
  let level = sorted[0]!.logSize - 1;
  let next = 1;
  const levels: number[] = [];
  for (const s of steps) {
    levels.push(level);
    const tree = new MerkleTree(
      hash,
      cosetColumns(current, s).map((values) => ({ values, logSize: level - s })),
      pool,
    );
    trees.push(tree);
    roots.push(tree.root);
    channel.mixRoot(tree.root);
    let a = channel.drawQM31();
    let last = a;
    for (let t = 0; t < s; t++) {
      current = foldLine(current, level, a);
      level -= 1;
      last = a;
      a = square(a);
    }
    while (next < sorted.length && sorted[next]!.logSize - 1 === level)
      join(current, sorted[next++]!, last);
  }
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
      // Layer 0: for each quotient size, the pair partners of the positions the verifier
      // computes itself are sent; positions it computes are left out.
      const openings: TreeOpening[] = [];
      const top = sorted[0]!.logSize;
      const computed0 = new Map<number, Set<number>>(); // layer -> computed positions
      for (const q of sorted) {
        computed0.set(q.logSize - 1, new Set(queries.map((p) => p >> (top - q.logSize))));
      }
      openings.push(
        first.open(
          queries.map((q) => q >> 1),
          (layer, node, column) => !computed0.get(layer)!.has(2 * node + (column >= 4 ? 1 : 0)),
        ),
      );
      steps.forEach((s, i) => {
        const positions = new Set(queries.map((p) => p >> (top - levels[i]!)));
        const leaves = [...positions].map((p) => p >> s);
        openings.push(
          trees[i + 1]!.open(
            leaves,
            (_, node, column) => !positions.has(node * 2 ** s + (column >> 2)),
          ),
        );
      });
      return openings;
    },
  };
}
