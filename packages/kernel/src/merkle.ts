/**
 * The layout conventions of the project's Merkle trees, shared by the prover (which opens) and
 * the verifier (which checks).
 *
 * A tree of height H has layers 0 (the root) .. H (the leaves); layer h has 2^h nodes. A column
 * of log size h lives at layer h: leaves hash the values of the columns of log size H, and an
 * inner node at layer h hashes its two children's digests followed by the values of the columns
 * of log size h. So columns of different sizes share one tree without being repeated, and a
 * query at leaf position q reads a column of log size h at index q >> (H - h): the same position
 * map as FRI folding, which is why the two fit together.
 *
 * An opening lists, for the queried nodes of every layer from H down to 0 (ascending positions),
 * the values of that layer's columns; and, from layer H down to 1, the digest of every sibling
 * of a queried node that is not itself queried.
 */
export function queriedNodes(queries: readonly number[], height: number): number[][] {
  const layers: number[][] = new Array(height + 1);
  let current = [...new Set(queries)].sort((a, b) => a - b);
  for (let h = height; h >= 0; h--) {
    layers[h] = current;
    const parents: number[] = [];
    for (const q of current) {
      const p = q >> 1;
      if (parents.length === 0 || parents[parents.length - 1] !== p) parents.push(p);
    }
    current = parents;
  }
  return layers;
}
