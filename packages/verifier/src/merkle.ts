import { type HashBackend, queriedNodes, VerificationError } from '@nexus/kernel';

/**
 * Recomputes a mixed-degree Merkle root from an opening (layout in @nexus/kernel merkle.ts)
 * and throws a VerificationError('merkle') unless it equals the committed root.
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
  let known = new Map<number, Uint32Array>(); // digests of layer h + 1, queried and witnessed
  let current = new Map<number, Uint32Array>();
  for (let h = height; h >= 0; h--) {
    current = new Map<number, Uint32Array>();
    for (const j of nodes[h]!) {
      const values = (layerColumns[h] ?? 0) > 0 ? nodeValues(h, j) : [];
      const children: [Uint32Array, Uint32Array] | null =
        h < height ? [known.get(2 * j)!, known.get(2 * j + 1)!] : null;
      let digest: Uint32Array;
      try {
        digest = hash.merkleNode(children, values);
      } catch (e) {
        // A backend may refuse a digest that none of its nodes can be (a Poseidon2 word >= p):
        // such an opening is the prover's fault, so a rejection, not a crash.
        throw new VerificationError('merkle', `${name}: ${(e as Error).message}`);
      }
      current.set(j, digest);
    }
    if (h === 0) break;
    known = new Map(current);
    for (const j of nodes[h]!) {
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
