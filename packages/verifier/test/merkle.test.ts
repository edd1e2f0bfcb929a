import { blake2s } from '@nexus/hash-blake2s';
import { assembleSystem, VerificationError } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { readOpening, verifyMerkle } from '../src/merkle.js';

// A mixed-degree tree of height 3 built by hand from merkleNode: two columns at the leaves
// (layer 3) and one column of 4 values at layer 2.
const hash = assembleSystem([blake2s()].concat([])).hash;

describe('mixed-degree Merkle verification', () => {
  const big = [
    Uint32Array.from({ length: 8 }, (_, i) => i + 1),
    Uint32Array.from({ length: 8 }, (_, i) => 100 + i),
  ];
  const small = Uint32Array.from({ length: 4 }, (_, i) => 1000 + i);
  const leaves = Array.from({ length: 8 }, (_, j) =>
    hash.merkleNode(null, [big[0]![j]!, big[1]![j]!]),
  );
  const l2 = Array.from({ length: 4 }, (_, j) =>
    hash.merkleNode([leaves[2 * j]!, leaves[2 * j + 1]!], [small[j]!]),
  );
  const l1 = [0, 1].map((j) => hash.merkleNode([l2[2 * j]!, l2[2 * j + 1]!], []));
  const root = hash.merkleNode([l1[0]!, l1[1]!], []);
  const layerColumns = [0, 0, 1, 2];

  // Opening at leaf 5: values of layer 3 node 5, layer 2 node 2; siblings leaf 4, l2 node 3, l1 node 0.
  const values = Uint32Array.of(big[0]![5]!, big[1]![5]!, small[2]!);
  const witness = Uint32Array.from([...leaves[4]!, ...l2[3]!, ...l1[0]!]);

  it('accepts a correct opening', () => {
    const v = readOpening('t', values, 3, layerColumns, [5]);
    verifyMerkle(hash, 't', root, 3, layerColumns, [5], (h, j) => v.get(h)!.get(j)!, witness);
  });

  it('rejects a wrong value, a wrong sibling, and a short or long opening', () => {
    const run = (vals: Uint32Array, wit: Uint32Array) => {
      const v = readOpening('t', vals, 3, layerColumns, [5]);
      verifyMerkle(hash, 't', root, 3, layerColumns, [5], (h, j) => v.get(h)!.get(j)!, wit);
    };
    expect(() => run(Uint32Array.of(big[0]![5]!, big[1]![5]! + 1, small[2]!), witness)).toThrow(
      /do not hash to the committed root/,
    );
    const badWitness = witness.slice();
    badWitness[9]! ^= 1;
    expect(() => run(values, badWitness)).toThrow(VerificationError);
    expect(() => run(values, witness.slice(0, 16))).toThrow(/too few sibling digests/);
    expect(() => run(values, Uint32Array.from([...witness, ...leaves[0]!]))).toThrow(
      /unused sibling/,
    );
    expect(() => run(values.slice(0, 2), witness)).toThrow(/too few values/);
    expect(() => run(Uint32Array.from([...values, 1]), witness)).toThrow(/values too many/);
  });
});
