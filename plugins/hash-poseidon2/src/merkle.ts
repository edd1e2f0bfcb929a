import { P } from '@nexus/field';
import { DOMAIN } from './domains.js';
import { compressInto, DIGEST, Sponge } from './sponge.js';

const sponge = new Sponge();

/**
 * One Merkle layer over M31 columns, natively: a leaf is the sponge digest of its row's column
 * values as field elements (no byte encoding: 8 values per permutation); an inner node is the
 * Jive compression of its children (one permutation), or, where columns of that size live, the
 * sponge digest of children || values in its own domain. 8 elements per node into `out`.
 */
export function merkleLayer(
  count: number,
  children: Uint32Array | null,
  columns: readonly Uint32Array[],
): Uint32Array {
  const out = new Uint32Array(DIGEST * count);
  const nCols = columns.length;
  if (children === null) {
    for (let j = 0; j < count; j++) {
      sponge.reset(DOMAIN.leaf, nCols);
      for (let c = 0; c < nCols; c++) sponge.push(columns[c]![j]!);
      sponge.finish(out, DIGEST * j);
    }
  } else if (nCols === 0) {
    for (let j = 0; j < count; j++) compressInto(children, 16 * j, out, DIGEST * j);
  } else {
    for (let j = 0; j < count; j++) {
      sponge.reset(DOMAIN.nodeWithValues, 16 + nCols);
      for (let k = 0; k < 16; k++) sponge.push(children[16 * j + k]!);
      for (let c = 0; c < nCols; c++) sponge.push(columns[c]![j]!);
      sponge.finish(out, DIGEST * j);
    }
  }
  return out;
}

function checkCanonical(words: ArrayLike<number>, what: string): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!(w >= 0 && w < P)) {
      throw new Error(
        `${what} word ${i} is ${w >>> 0}, not a canonical M31 element: no Poseidon2 node has it`,
      );
    }
  }
}

/**
 * Many nodes, for the verifier: merkleLayer with its inputs checked as merkleNode checks them
 * (a column value or a child digest word >= p is refused, not reduced).
 */
export function merkleNodes(
  count: number,
  children: Uint32Array | null,
  columns: readonly Uint32Array[],
): Uint32Array {
  for (const column of columns) checkCanonical(column, 'a column value');
  if (children !== null) checkCanonical(children, 'a child digest');
  return merkleLayer(count, children, columns);
}

/**
 * One node, for the verifier: the same function as merkleLayer on one row, with its inputs
 * checked. A digest from a proof with a word >= p is refused (an exception the verifier turns
 * into a 'merkle' rejection) rather than reduced, so no two encodings of one opening verify.
 */
export function merkleNode(
  children: readonly [Uint32Array, Uint32Array] | null,
  values: ArrayLike<number>,
): Uint32Array {
  const cols = Array.from(values, (v) => Uint32Array.of(v));
  checkCanonical(values, 'a column value');
  if (children === null) return merkleLayer(1, null, cols);
  if (children[0].length !== DIGEST || children[1].length !== DIGEST)
    throw new Error(`a Poseidon2 digest has ${DIGEST} elements`);
  const kids = new Uint32Array(16);
  kids.set(children[0], 0);
  kids.set(children[1], 8);
  checkCanonical(kids, 'a child digest');
  return merkleLayer(1, kids, cols);
}
