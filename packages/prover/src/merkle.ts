import { type HashBackend, queriedNodes, type TreeOpening } from '@nexus/kernel';
import { type ProverPool, poolFor, rowChunk } from './pool.js';
import { share, sharedU32 } from './shared.js';

/** A column to commit: its values (storage order) and log size (the layer it lives at). */
export interface MerkleColumn {
  readonly values: Uint32Array;
  readonly logSize: number;
}

/**
 * Layers kept below the top: the lowest layers hold 3/4 of a tree's digests (32 bytes a node,
 * as much as 8 base-field columns), so they are dropped once the layer above is hashed and the
 * few nodes an opening needs are hashed again from the columns (2 + 4 per query).
 */
const DROPPED_LAYERS = 2;

/**
 * A mixed-degree Merkle tree (layout in @nexus/kernel merkle.ts): columns of log size h are
 * hashed into the nodes of layer h, so each value is hashed once whatever its column's size.
 */
export class MerkleTree {
  readonly height: number;
  /**
   * Digests per layer, 8 words per node; layers[0] is the root. The lowest DROPPED_LAYERS
   * layers are null (see there); `nodes` gives any nodes.
   */
  readonly layers: (Uint32Array | null)[];
  /** Columns grouped by layer, in commitment order. */
  readonly byLayer: Uint32Array[][];
  readonly #hash: HashBackend;

  /**
   * With a pool whose workers know the hash backend, each layer's nodes are hashed in row
   * ranges over the threads (node j reads only its children and row j of the columns).
   */
  constructor(hash: HashBackend, columns: readonly MerkleColumn[], pool: ProverPool | null = null) {
    const height = Math.max(0, ...columns.map((c) => c.logSize));
    this.height = height;
    this.#hash = hash;
    this.byLayer = Array.from({ length: height + 1 }, () => []);
    for (const c of columns) {
      if (c.values.length !== 2 ** c.logSize)
        throw new Error('column length does not match its log size');
      this.byLayer[c.logSize]!.push(c.values);
    }
    this.layers = new Array(height + 1);
    let below: Uint32Array | null = null;
    for (let h = height; h >= 0; h--) {
      const parallel = pool?.hashes.has(hash.id) ? poolFor(pool, 2 ** h) : null;
      const layer: Uint32Array =
        parallel === null
          ? hash.merkleLayer(2 ** h, below, this.byLayer[h]!)
          : parallelLayer(parallel, hash, 2 ** h, below, this.byLayer[h]!);
      this.layers[h] = layer;
      below = layer;
      if (h + 1 <= height && h + 1 > height - DROPPED_LAYERS) this.layers[h + 1] = null;
    }
  }

  /**
   * Nodes `js` of layer h, 8 words each in that order, stored or hashed again. A dropped
   * layer's nodes are hashed again in one layer call (padded to a multiple of 4, which the
   * hash backend runs four nodes a step on its kernels) instead of one node at a time, which
   * ran the backend's cold one-node path (~20 ms of a fib proof's openings).
   */
  nodes(h: number, js: readonly number[]): Uint32Array {
    const out = new Uint32Array(8 * js.length);
    const layer = this.layers[h];
    if (layer) {
      js.forEach((j, k) => {
        out.set(layer.subarray(8 * j, 8 * j + 8), 8 * k);
      });
      return out;
    }
    if (js.length === 0) return out;
    const count = Math.ceil(js.length / 4) * 4;
    const at = (k: number) => js[Math.min(k, js.length - 1)]!;
    let children: Uint32Array | null = null;
    if (h < this.height) {
      const below: number[] = [];
      for (let k = 0; k < count; k++) below.push(2 * at(k), 2 * at(k) + 1);
      children = this.nodes(h + 1, below);
    }
    const rows = this.byLayer[h]!.map((c) => {
      const r = new Uint32Array(count);
      for (let k = 0; k < count; k++) r[k] = c[at(k)]!;
      return r;
    });
    out.set(this.#hash.merkleLayer(count, children, rows).subarray(0, 8 * js.length));
    return out;
  }

  /** The root: layer 0 is never dropped. */
  get root(): Uint32Array {
    return this.layers[0]!.slice(0, 8);
  }

  /**
   * Opens the tree at leaf positions `queries` (at layer `height`): the values of every
   * column at each queried node, and the sibling digests the verifier cannot recompute.
   * `include(h, node)` may drop values the verifier computes itself (FRI layers).
   */
  open(
    queries: readonly number[],
    include?: (layer: number, node: number, column: number) => boolean,
  ): TreeOpening {
    const nodes = queriedNodes(queries, this.height);
    // Straight into typed arrays sized for every value (a proof opens ~10^5): a JavaScript
    // array grown by push, then copied, was most of an opening's cost in a small proof.
    let bound = 0;
    for (let h = this.height; h >= 0; h--) bound += nodes[h]!.length * this.byLayer[h]!.length;
    const values = new Uint32Array(bound);
    let count = 0;
    for (let h = this.height; h >= 0; h--) {
      const cols = this.byLayer[h]!;
      if (cols.length === 0) continue;
      for (const j of nodes[h]!) {
        for (let ci = 0; ci < cols.length; ci++) {
          if (!include || include(h, j, ci)) values[count++] = cols[ci]![j]!;
        }
      }
    }
    let siblings = 0;
    const sets: Set<number>[] = [];
    for (let h = this.height; h >= 1; h--) {
      const set = new Set(nodes[h]);
      sets[h] = set;
      for (const j of nodes[h]!) if (!set.has(j ^ 1)) siblings++;
    }
    const witness = new Uint32Array(8 * siblings);
    let w = 0;
    for (let h = this.height; h >= 1; h--) {
      const set = sets[h]!;
      const needed: number[] = [];
      for (const j of nodes[h]!) if (!set.has(j ^ 1)) needed.push(j ^ 1);
      witness.set(this.nodes(h, needed), w);
      w += 8 * needed.length;
    }
    return { values: count === bound ? values : values.slice(0, count), witness };
  }
}

/** A Merkle layer's nodes [start, end) into job.out (the same on every thread). */
export function hashNodeRange(
  hash: HashBackend,
  job: {
    readonly children: Uint32Array | null;
    readonly columns: readonly Uint32Array[];
    readonly out: Uint32Array;
  },
  start: number,
  end: number,
): void {
  const children = job.children === null ? null : job.children.subarray(16 * start, 16 * end);
  const columns = job.columns.map((c) => c.subarray(start, end));
  job.out.set(hash.merkleLayer(end - start, children, columns), 8 * start);
}

function parallelLayer(
  pool: ProverPool,
  hash: HashBackend,
  count: number,
  children: Uint32Array | null,
  columns: readonly Uint32Array[],
): Uint32Array {
  const chunk = rowChunk(pool, count);
  const job = {
    kind: 'merkle' as const,
    count: Math.ceil(count / chunk),
    hash: hash.id,
    chunk,
    children: children === null ? null : share(children),
    columns: columns.map(share),
    out: sharedU32(8 * count),
  };
  pool.run(job, (i) => hashNodeRange(hash, job, i * chunk, Math.min(count, (i + 1) * chunk)));
  return job.out;
}
