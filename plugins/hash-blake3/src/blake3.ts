import type { HashBackend, HashTag } from '@nexus/kernel';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { CHUNK_END, CHUNK_START, compress, ROOT } from './compress.js';
import { contextKey, DERIVE_KEY_MATERIAL, WordHasher } from './hasher.js';

/**
 * Domain separation: BLAKE3's own derive-key mode (spec section 2.6 / `derive_key`), one
 * context string per use. Every use hashes under a different 256-bit key derived from its
 * context, with the DERIVE_KEY_MATERIAL flag, so leaves, inner nodes, the channel, the system
 * digest, program commitments and proof of work never hash into each other's domains (nor
 * into plain BLAKE3 or keyed BLAKE3, which use other flags). The strings follow the
 * specification's advice: application, a fixed date, purpose; they are part of the protocol
 * and never change (a change is a new backend id).
 */
export const CONTEXTS: Readonly<Record<HashTag | 'leaf' | 'node', string>> = {
  channel: 'Nexus zkVM 2026-01-01 hash-blake3 Fiat-Shamir channel',
  system: 'Nexus zkVM 2026-01-01 hash-blake3 system digest',
  pow: 'Nexus zkVM 2026-01-01 hash-blake3 proof of work',
  program: 'Nexus zkVM 2026-01-01 hash-blake3 program commitment',
  leaf: 'Nexus zkVM 2026-01-01 hash-blake3 Merkle leaf',
  node: 'Nexus zkVM 2026-01-01 hash-blake3 Merkle inner node',
};

/** The backend's id, bound into the system digest. */
export const BLAKE3_ID = 'blake3-256';

/**
 * Hashes the message words [children (16 words, optional)] ++ [column values at row j] for
 * rows j in [0, count) into out (8 words per row), in derive-key mode under `key`.
 */
function hashRows(
  hasher: WordHasher,
  key: Uint32Array,
  count: number,
  children: Uint32Array | null,
  columns: readonly Uint32Array[],
  out: Uint32Array,
): void {
  const nCols = columns.length;
  for (let j = 0; j < count; j++) {
    hasher.reset(key, DERIVE_KEY_MATERIAL);
    if (children !== null) for (let k = 0; k < 16; k++) hasher.push(children[16 * j + k]!);
    for (let c = 0; c < nCols; c++) hasher.push(columns[c]![j]!);
    hasher.finish(out, 8 * j);
  }
}

/**
 * BLAKE3 for the zkVM. Generic byte hashing (the channel, the system digest, program
 * commitments) goes through `@noble/hashes`; Merkle layers and proof of work use this
 * package's word-oriented BLAKE3 (compress.ts, hasher.ts), which reads column values straight
 * from their Uint32Arrays. Tests check it against noble and the BLAKE3 team's vectors.
 *
 * The channel is the kernel's byte channel over `hash(.., 'channel')` (no `channel()` here).
 *
 * @example assembleSystem([blake3Plugin(), ...components]) // via the plugin in index.ts
 */
export function createBlake3Backend(): HashBackend {
  const keys = Object.fromEntries(
    Object.entries(CONTEXTS).map(([tag, context]) => [tag, contextKey(context)]),
  ) as Record<keyof typeof CONTEXTS, Uint32Array>;
  const contextBytes = Object.fromEntries(
    Object.entries(CONTEXTS).map(([tag, context]) => [tag, new TextEncoder().encode(context)]),
  ) as Record<keyof typeof CONTEXTS, Uint8Array>;
  const hasher = new WordHasher();
  const powKey = Int32Array.from(keys.pow);
  return {
    id: BLAKE3_ID,
    hash(data: Uint8Array, tag: HashTag): Uint8Array {
      const context = contextBytes[tag];
      if (context === undefined) throw new Error(`unknown hash tag ${tag}`);
      return nobleBlake3(data, { context });
    },
    merkleNode(children, values) {
      const cols = Array.from(values as ArrayLike<number>, (v) => Uint32Array.of(v));
      const kids = children === null ? null : new Uint32Array(16);
      if (children !== null) {
        kids!.set(children[0], 0);
        kids!.set(children[1], 8);
      }
      const out = new Uint32Array(8);
      hashRows(hasher, kids === null ? keys.leaf : keys.node, 1, kids, cols, out);
      return out;
    },
    // Every word is a valid BLAKE3 message word: a proof's opening needs no check.
    merkleNodes(count, children, columns) {
      return this.merkleLayer(count, children, columns);
    },
    merkleLayer(count, children, columns) {
      const out = new Uint32Array(8 * count);
      hashRows(hasher, children === null ? keys.leaf : keys.node, count, children, columns, out);
      return out;
    },
    grind(seed, bits, start, limit) {
      if (seed.length !== 32) throw new Error('grind: the seed must be a 32-byte digest');
      // seed || nonce (8 LE bytes) is 40 bytes: one block, one compression per nonce.
      const view = new DataView(seed.buffer, seed.byteOffset, 32);
      const block = new Int32Array(16);
      for (let k = 0; k < 8; k++) block[k] = view.getUint32(4 * k, true);
      const cv = new Int32Array(8);
      const mask = bits >= 32 ? -1 : (1 << bits) - 1;
      const flags = DERIVE_KEY_MATERIAL | CHUNK_START | CHUNK_END | ROOT;
      for (let n = start; n < start + limit; n++) {
        block[8] = n | 0;
        block[9] = Math.floor(n / 2 ** 32);
        cv.set(powKey);
        compress(cv, block, 0, 40, flags);
        if ((cv[0]! & mask) === 0) return n;
      }
      return null;
    },
  };
}
