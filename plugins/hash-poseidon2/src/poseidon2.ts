import type { HashBackend, HashTag } from '@nexus/kernel';
import { Poseidon2Channel } from './channel.js';
import { BYTES_DOMAIN } from './domains.js';
import { merkleLayer, merkleNode, merkleNodes } from './merkle.js';
import { hashElements } from './sponge.js';

/** The backend's id, bound into the system digest. */
export const POSEIDON2_ID = 'poseidon2-m31-w16';

/**
 * Bytes as elements: the byte length, then 3 bytes per element (24 bits, below p), so the
 * encoding is injective and a verifier circuit unpacks it with a range check per element.
 */
function bytesToElements(data: Uint8Array): Uint32Array {
  const n = data.length;
  const out = new Uint32Array(1 + Math.ceil(n / 3));
  out[0] = n;
  for (let i = 0, e = 1; i < n; i += 3, e++)
    out[e] = data[i]! | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16);
  return out;
}

/**
 * Poseidon2 over M31 (width 16, x^5, Plonky3's constants) as the zkVM's hash: Merkle trees that
 * hash column values as field elements, a field-element Fiat-Shamir channel with its own proof
 * of work, and byte hashing (system digest, program commitments) through the same sponge.
 *
 * @example assembleSystem([poseidon2(), ...components]) // the plugin in index.ts
 */
export function createPoseidon2Backend(): HashBackend {
  return {
    id: POSEIDON2_ID,
    hash(data: Uint8Array, tag: HashTag): Uint8Array {
      const domain = BYTES_DOMAIN[tag];
      if (domain === undefined) throw new Error(`unknown hash tag ${tag}`);
      if (data.length >= 2 ** 31 - 1) throw new Error('Poseidon2: input of 2^31 bytes or more');
      const digest = hashElements(domain, bytesToElements(data));
      // 8 elements as 8 little-endian u32 words: the kernel's 32-byte digest.
      const out = new Uint8Array(32);
      const view = new DataView(out.buffer);
      for (let k = 0; k < 8; k++) view.setUint32(4 * k, digest[k]!, true);
      return out;
    },
    merkleNode,
    merkleNodes,
    merkleLayer,
    channel: () => new Poseidon2Channel(),
  };
}
