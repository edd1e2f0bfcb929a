import type { Channel } from './channel.js';

/**
 * The interface a hash-backend plugin implements (one per system, registered on the
 * `hashBackend` hook). Digests are 32 bytes; Merkle digests are handled as 8 u32 words so they
 * sit in typed arrays next to the columns they commit (a byte hash's 8 little-endian words, or
 * an algebraic hash's 8 field elements). The kernel, prover and verifier use only this
 * interface and the channel it defines: none of them names a hash.
 */
export type HashTag = 'channel' | 'system' | 'pow' | 'program';

/**
 * What a hash backend's id may hold: it travels in proof files and tools print it before any
 * check, so, like a config name, nothing a terminal would interpret. Lower-case letters, digits,
 * '.', '_' and '-', at most 64 characters.
 */
export const HASH_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface HashBackend {
  /** Identifies the hash function (HASH_ID); part of the system digest. */
  readonly id: string;
  /** A 32-byte digest of `data`, domain-separated by `tag`. */
  hash(data: Uint8Array, tag: HashTag): Uint8Array;
  /**
   * One Merkle node as 8 words. A leaf (no children) hashes the values; an inner node hashes
   * its two children's digests, then the values of the columns that live at its layer. Leaves
   * and inner nodes are domain-separated.
   */
  merkleNode(
    children: readonly [Uint32Array, Uint32Array] | null,
    values: ArrayLike<number>,
  ): Uint32Array;
  /**
   * All nodes of one layer at once (the prover's hot loop): `count` nodes, children given as
   * 16 words per node (left then right) or null for leaves, `columns` each of length `count`.
   * Returns 8 words per node.
   */
  merkleLayer(
    count: number,
    children: Uint32Array | null,
    columns: readonly Uint32Array[],
  ): Uint32Array;
  /**
   * The verifier's batch of `merkleNode` calls, laid out as `merkleLayer`'s (node j hashes
   * children[16j, 16j + 16), or none for leaves, then `columns[c][j]` for every column), so a
   * proof's opened nodes of one layer are hashed in one call, on the backend's fast layer
   * kernel. Its inputs come from a proof: it throws wherever `merkleNode` would (a value or a
   * digest no node can hold). Optional: without it the verifier calls `merkleNode` per node.
   */
  merkleNodes?(
    count: number,
    children: Uint32Array | null,
    columns: readonly Uint32Array[],
  ): Uint32Array;
  /**
   * Proof of work: the smallest nonce >= start whose hash(seed || nonce as 8 LE bytes) has at
   * least `bits` trailing zero bits, searching at most `limit` nonces (null if none).
   */
  grind?(seed: Uint8Array, bits: number, start: number, limit: number): number | null;
  /**
   * A fresh Fiat-Shamir channel (transcript, challenges, queries, proof of work) for one proof.
   * Optional: without it the kernel's byte channel runs over `hash(.., 'channel')` with proof of
   * work by `grind` / `powWord` (createChannel). An algebraic hash defines one that absorbs
   * field elements natively.
   */
  channel?(): Channel;
}

/** The leading u32 of hash(seed || nonce): its trailing zeros are the proof of work. */
export function powWord(hash: HashBackend, seed: Uint8Array, nonce: number): number {
  const msg = new Uint8Array(seed.length + 8);
  msg.set(seed);
  const view = new DataView(msg.buffer);
  view.setUint32(seed.length, nonce >>> 0, true);
  view.setUint32(seed.length + 4, Math.floor(nonce / 2 ** 32), true);
  const d = hash.hash(msg, 'pow');
  return (d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24)) >>> 0;
}

/** Trailing zero bits of a u32 (32 for 0). */
export function trailingZeros(w: number): number {
  if (w === 0) return 32;
  return 31 - Math.clz32(w & -w);
}
