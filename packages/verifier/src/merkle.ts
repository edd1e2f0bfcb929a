import { type HashBackend, queriedNodes, VerificationError } from '@nexus/kernel';

/**
 * Recomputes a mixed-degree Merkle root from an opening (layout in @nexus/kernel merkle.ts)
 * and throws a VerificationError('merkle') unless it equals the committed root.
 *
 * The queried nodes of a layer are hashed in one batch (`hashNodes`): with the backend's
 * `merkleNodes` where it has one, its fast layer kernel (Blake2s: WebAssembly, four nodes a
 * step) serves the verifier too. Batches are padded with zero nodes to a multiple of 4, whose
 * digests are dropped.
 *
 * @param layerColumns number of columns living at each layer (index = layer)
 * @param nodeValues the values of a queried node's columns (it throws on a short opening)
 */
export function verifyMerkle(
  hash: HashBackend,
  name: string,
  root: Uint32Array,
  height: number,
  layerColumns: readonly number[],
  queries: readonly number[],
  nodeValues: (layer: number, node: number) => ArrayLike<number>,
  witness: Uint32Array,
): void {
  const nodes = queriedNodes(queries, height);
  let w = 0;
  // Digests of layer h + 1 (queried and witnessed), by node index.
  let known = new Map<number, Uint32Array>();
  let current = new Map<number, Uint32Array>();
  for (let h = height; h >= 0; h--) {
    const layer = nodes[h]!;
    const count = (layer.length + 3) & ~3;
    const nCols = layerColumns[h] ?? 0;
    const columns: Uint32Array[] = Array.from({ length: nCols }, () => new Uint32Array(count));
    for (let i = 0; i < layer.length; i++) {
      if (nCols === 0) break;
      const values = nodeValues(h, layer[i]!);
      if (values.length !== nCols)
        throw new VerificationError('merkle', `${name}: a node has the wrong number of values`);
      for (let c = 0; c < nCols; c++) columns[c]![i] = values[c]!;
    }
    let children: Uint32Array | null = null;
    if (h < height) {
      children = new Uint32Array(16 * count);
      for (let i = 0; i < layer.length; i++) {
        const j = layer[i]!;
        children.set(known.get(2 * j)!, 16 * i);
        children.set(known.get(2 * j + 1)!, 16 * i + 8);
      }
    }
    let digests: Uint32Array;
    try {
      digests = hashNodes(hash, count, children, columns);
    } catch (e) {
      // A backend may refuse a digest that none of its nodes can be (a Poseidon2 word >= p):
      // such an opening is the prover's fault, so a rejection, not a crash.
      throw new VerificationError('merkle', `${name}: ${(e as Error).message}`);
    }
    current = new Map<number, Uint32Array>();
    for (let i = 0; i < layer.length; i++)
      current.set(layer[i]!, digests.subarray(8 * i, 8 * i + 8));
    if (h === 0) break;
    known = new Map(current);
    for (const j of layer) {
      const sib = j ^ 1;
      if (!current.has(sib)) {
        if (w + 8 > witness.length) {
          throw new VerificationError('merkle', `${name}: the opening has too few sibling digests`);
        }
        known.set(sib, witness.subarray(w, w + 8));
        w += 8;
      }
    }
  }
  if (w !== witness.length) {
    throw new VerificationError(
      'merkle',
      `${name}: the opening has ${(witness.length - w) / 8} unused sibling digests`,
    );
  }
  const computed = current.get(0)!;
  for (let k = 0; k < 8; k++) {
    if (computed[k] !== root[k]) {
      throw new VerificationError(
        'merkle',
        `${name}: the opened values do not hash to the committed root`,
      );
    }
  }
}

/**
 * Reads a standard opening's values (every column of every queried node, layer by layer from
 * the top) into per-node arrays, checking that the count is exact.
 */
export function readOpening(
  name: string,
  values: Uint32Array,
  height: number,
  layerColumns: readonly number[],
  queries: readonly number[],
): Map<number, Map<number, Uint32Array>> {
  const nodes = queriedNodes(queries, height);
  const out = new Map<number, Map<number, Uint32Array>>();
  let o = 0;
  for (let h = height; h >= 0; h--) {
    const k = layerColumns[h] ?? 0;
    if (k === 0) continue;
    const layer = new Map<number, Uint32Array>();
    for (const j of nodes[h]!) {
      if (o + k > values.length)
        throw new VerificationError('merkle', `${name}: the opening has too few values`);
      layer.set(j, values.subarray(o, o + k));
      o += k;
    }
    out.set(h, layer);
  }
  if (o !== values.length) {
    throw new VerificationError(
      'merkle',
      `${name}: the opening has ${values.length - o} values too many`,
    );
  }
  return out;
}

/** `count` nodes in merkleLayer's layout: the backend's batch, or merkleNode node by node. */
function hashNodes(
  hash: HashBackend,
  count: number,
  children: Uint32Array | null,
  columns: readonly Uint32Array[],
): Uint32Array {
  if (hash.merkleNodes !== undefined) return hash.merkleNodes(count, children, columns);
  const out = new Uint32Array(8 * count);
  const values = new Uint32Array(columns.length);
  for (let j = 0; j < count; j++) {
    for (let c = 0; c < columns.length; c++) values[c] = columns[c]![j]!;
    const kids: [Uint32Array, Uint32Array] | null =
      children === null
        ? null
        : [children.subarray(16 * j, 16 * j + 8), children.subarray(16 * j + 8, 16 * j + 16)];
    out.set(hash.merkleNode(kids, values), 8 * j);
  }
  return out;
}
