import type { HashBackend, HashTag } from '@nexus/kernel';
import { wasmKernels } from '@nexus/kernels-wasm';
import { compress } from './compress.js';

/**
 * Blake2s-256 for the zkVM, on a compression function unrolled over locals: generic byte
 * hashing (the channel, the system digest), and the Merkle and proof-of-work hot paths, which
 * read column values straight from their Uint32Arrays as message words, with no byte
 * conversion (the words are little-endian, exactly the bytes Blake2s would read). Tests check
 * every path against @noble/hashes.
 *
 * Domain separation uses Blake2s' personalization parameter (8 bytes), so leaves, inner nodes,
 * the channel, the system digest and proof of work never hash into each other's domains.
 */
export const PERSONALIZATION: Readonly<Record<HashTag | 'leaf' | 'node', string>> = {
  channel: 'NXchanl1',
  system: 'NXsystm1',
  pow: 'NXpow001',
  program: 'NXprog01',
  leaf: 'NXleaf01',
  node: 'NXnode01',
};

const IV = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

function personalBytes(tag: string): Uint8Array {
  return new TextEncoder().encode(tag);
}

/** The initial chaining value for a 32-byte digest, no key, no salt, with a personalization. */
function initialState(tag: string): Int32Array {
  const p = personalBytes(tag);
  const view = new DataView(p.buffer);
  const h = new Int32Array(IV);
  h[0]! ^= 0x01010020; // digest length 32, fanout 1, depth 1
  h[6]! ^= view.getUint32(0, true);
  h[7]! ^= view.getUint32(4, true);
  return h;
}

const LEAF_IV = initialState(PERSONALIZATION.leaf);
const NODE_IV = initialState(PERSONALIZATION.node);
const LEAF_IV_U32 = new Uint32Array(LEAF_IV.buffer);
const NODE_IV_U32 = new Uint32Array(NODE_IV.buffer);
const POW_IV = initialState(PERSONALIZATION.pow);
const POW_IV_U32 = new Uint32Array(POW_IV.buffer);

/**
 * Blake2s-256 of bytes from the chaining value `iv` (which carries the personalization), on
 * the unrolled compression: the same digest as noble's (tested), 3-4x faster here; the
 * system digest (~0.3 MB of constraint IR), the program commitment and every channel mix go
 * through it.
 */
function hashBytes(data: Uint8Array, iv: Int32Array): Uint8Array {
  const h = new Int32Array(iv);
  const block = new Int32Array(16);
  const n = data.length;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // Every block but the last is full; the last holds 1..64 bytes (none for an empty message).
  let off = 0;
  while (n - off > 64) {
    for (let k = 0; k < 16; k++) block[k] = view.getInt32(off + 4 * k, true);
    off += 64;
    compress(h, block, off % 2 ** 32, Math.floor(off / 2 ** 32), false);
  }
  block.fill(0);
  for (let i = off; i < n; i++) block[(i - off) >> 2]! |= data[i]! << (8 * ((i - off) & 3));
  compress(h, block, n % 2 ** 32, Math.floor(n / 2 ** 32), true);
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let k = 0; k < 8; k++) outView.setInt32(4 * k, h[k]!, true);
  return out;
}

/**
 * Hashes the message words [children (16 words, optional)] ++ [column values at row j] for
 * rows j in [0, count) into out (8 words per row).
 */
function hashRows(
  count: number,
  children: Uint32Array | null,
  columns: readonly Uint32Array[],
  out: Uint32Array,
): void {
  const h = new Int32Array(8);
  const block = new Int32Array(16);
  const init = children ? NODE_IV : LEAF_IV;
  const nCols = columns.length;
  const totalBytes = 4 * ((children ? 16 : 0) + nCols);
  for (let j = 0; j < count; j++) {
    h.set(init);
    let filled = 0;
    let done = 0; // bytes compressed so far
    if (children !== null) {
      for (let k = 0; k < 16; k++) block[k] = children[16 * j + k]!;
      if (nCols === 0) {
        compress(h, block, 64, 0, true);
        out.set(h as unknown as ArrayLike<number>, 8 * j);
        continue;
      }
      done += 64;
      compress(h, block, done, 0, false);
    }
    for (let c = 0; c < nCols; c++) {
      block[filled++] = columns[c]![j]!;
      if (filled === 16 && c + 1 < nCols) {
        done += 64;
        compress(h, block, done, 0, false);
        filled = 0;
      }
    }
    for (let k = filled; k < 16; k++) block[k] = 0;
    compress(h, block, totalBytes, 0, true);
    for (let k = 0; k < 8; k++) out[8 * j + k] = h[k]!;
  }
}

export interface Blake2sOptions {
  /**
   * Where Merkle layers, byte messages and proof of work are hashed: 'wasm' (default where the
   * runtime has WebAssembly SIMD: @nexus/kernels-wasm, four nodes or nonces per step) or
   * 'typescript' (the unrolled compression here). Both give the same digests (tested against
   * each other and against noble).
   */
  readonly kernels?: 'wasm' | 'typescript';
}

export function createBlake2sBackend(options: Blake2sOptions = {}): HashBackend {
  const wasm = options.kernels === 'typescript' ? null : wasmKernels;
  const ivs = new Map<string, Int32Array>();
  return {
    id: 'blake2s-256',
    hash(data: Uint8Array, tag: HashTag): Uint8Array {
      const p = PERSONALIZATION[tag];
      if (p === undefined) throw new Error(`unknown hash tag ${tag}`);
      let iv = ivs.get(p);
      if (iv === undefined) {
        iv = initialState(p);
        ivs.set(p, iv);
      }
      if (wasm === null) return hashBytes(data, iv);
      // On the kernel from the first call (the JavaScript compression runs interpreted until
      // V8 optimises it: the system digest's ~0.3 MB took 25-60 ms of every process).
      const words = wasm.blake2sBytes(data, new Uint32Array(iv.buffer, iv.byteOffset, 8));
      const out = new Uint8Array(32);
      const view = new DataView(out.buffer);
      for (let k = 0; k < 8; k++) view.setUint32(4 * k, words[k]!, true);
      return out;
    },
    merkleNode(children, values) {
      const cols = Array.from(values as ArrayLike<number>, (v) => Uint32Array.of(v));
      const kids = children === null ? null : new Uint32Array(16);
      if (children !== null) {
        kids!.set(children[0], 0);
        kids!.set(children[1], 8);
      }
      const out = new Uint32Array(8);
      hashRows(1, kids, cols, out);
      return out;
    },
    // Every word is a valid Blake2s message word: a proof's opening needs no check.
    merkleNodes(count, children, columns) {
      return this.merkleLayer(count, children, columns);
    },
    merkleLayer(count, children, columns) {
      // Four nodes a step, the top layers of a tree (1 or 2 nodes) included.
      if (wasm !== null && count > 0 && (children !== null || columns.length > 0)) {
        return wasm.blake2sMerkleLayer(
          count,
          children,
          columns,
          children ? NODE_IV_U32 : LEAF_IV_U32,
        );
      }
      const out = new Uint32Array(8 * count);
      hashRows(count, children, columns, out);
      return out;
    },
    grind(seed, bits, start, limit) {
      if (seed.length !== 32) throw new Error('grind: the seed must be a 32-byte digest');
      const view = new DataView(seed.buffer, seed.byteOffset, 32);
      if (wasm !== null) {
        // Four nonces per step, the first hit in order: the nonce of the loop below.
        const words = new Uint32Array(8);
        for (let k = 0; k < 8; k++) words[k] = view.getUint32(4 * k, true);
        return wasm.blake2sGrind(words, bits, start, limit, POW_IV_U32);
      }
      const block = new Int32Array(16);
      for (let k = 0; k < 8; k++) block[k] = view.getUint32(4 * k, true);
      const h = new Int32Array(8);
      const mask = bits >= 32 ? -1 : (1 << bits) - 1;
      for (let n = start; n < start + limit; n++) {
        block[8] = n | 0;
        block[9] = Math.floor(n / 2 ** 32);
        h.set(POW_IV);
        compress(h, block, 40, 0, true);
        if ((h[0]! & mask) === 0) return n;
      }
      return null;
    },
  };
}
