import {
  CHUNK_END,
  CHUNK_START,
  compress,
  DERIVE_KEY_CONTEXT,
  DERIVE_KEY_MATERIAL,
  IV,
  PARENT,
  ROOT,
} from './compress.js';

/** Chunk CVs kept pending in the tree (2^54 chunks: far beyond any message here). */
const MAX_DEPTH = 54;

/**
 * BLAKE3 over a stream of u32 words (little-endian), for one key and mode at a time, with the
 * specification's chunk tree for messages longer than a chunk. The Merkle hot loop feeds column
 * values into it word by word straight from their Uint32Arrays: no message array, no bytes.
 * One instance is reused for every row (reset per message), so a layer allocates nothing per
 * node.
 */
export class WordHasher {
  private readonly key = new Int32Array(8);
  private flags = 0;
  private readonly cv = new Int32Array(8);
  private readonly block = new Int32Array(16);
  private readonly parentBlock = new Int32Array(16);
  private readonly stack = new Int32Array(8 * MAX_DEPTH);
  private stackLength = 0;
  private filled = 0;
  private blocksInChunk = 0;
  private chunk = 0;

  /** Starts a message under `key` (8 words) with mode flags (0 for plain hashing). */
  reset(key: ArrayLike<number>, flags: number): void {
    for (let i = 0; i < 8; i++) this.key[i] = key[i]! | 0;
    this.flags = flags;
    this.cv.set(this.key);
    this.stackLength = 0;
    this.filled = 0;
    this.blocksInChunk = 0;
    this.chunk = 0;
  }

  /**
   * Appends one word. A full block is compressed only once more input follows it, because the
   * last block of the message is compressed with other flags; a chunk ends after 16 blocks
   * (1024 bytes).
   */
  push(word: number): void {
    if (this.filled === 16) this.flushBlock();
    this.block[this.filled++] = word;
  }

  private flushBlock(): void {
    const first = this.blocksInChunk === 0 ? CHUNK_START : 0;
    if (this.blocksInChunk === 15) {
      compress(this.cv, this.block, this.chunk, 64, this.flags | first | CHUNK_END);
      this.addChunkCv();
      this.chunk++;
      this.cv.set(this.key);
      this.blocksInChunk = 0;
    } else {
      compress(this.cv, this.block, this.chunk, 64, this.flags | first);
      this.blocksInChunk++;
    }
    this.filled = 0;
  }

  /** Pushes a finished (non-final) chunk's CV, merging complete subtrees (spec section 5.1.2). */
  private addChunkCv(): void {
    let total = this.chunk + 1;
    while ((total & 1) === 0) {
      this.stackLength--;
      this.parent(this.stackLength, 0);
      total >>>= 1;
    }
    if (this.stackLength === MAX_DEPTH) throw new Error('BLAKE3: message too long');
    this.stack.set(this.cv, 8 * this.stackLength++);
  }

  /** cv <- the parent node of stack[i] (left) and cv (right). */
  private parent(i: number, extraFlags: number): void {
    this.parentBlock.set(this.stack.subarray(8 * i, 8 * i + 8), 0);
    this.parentBlock.set(this.cv, 8);
    this.cv.set(this.key);
    compress(this.cv, this.parentBlock, 0, 64, this.flags | PARENT | extraFlags);
  }

  /**
   * Finishes the message and writes the 32-byte digest as 8 words at out[offset..]. The last
   * word counts `lastWordBytes` bytes (1..4; for byte strings whose length is not a multiple
   * of 4, zero-padded by the caller).
   */
  finish(out: Uint32Array | Int32Array, offset: number, lastWordBytes = 4): void {
    const n = this.filled;
    for (let k = n; k < 16; k++) this.block[k] = 0;
    const blockLen = n === 0 ? 0 : 4 * (n - 1) + lastWordBytes;
    const flags =
      this.flags |
      (this.blocksInChunk === 0 ? CHUNK_START : 0) |
      CHUNK_END |
      (this.stackLength === 0 ? ROOT : 0);
    compress(this.cv, this.block, this.chunk, blockLen, flags);
    for (let i = this.stackLength - 1; i >= 0; i--) this.parent(i, i === 0 ? ROOT : 0);
    for (let k = 0; k < 8; k++) out[offset + k] = this.cv[k]!;
  }
}

const shared = new WordHasher();

/** BLAKE3 of a byte string under a key and mode, as 8 LE words (the reference path's shape). */
export function hashBytesToWords(
  key: ArrayLike<number>,
  flags: number,
  bytes: Uint8Array,
): Uint32Array {
  shared.reset(key, flags);
  const full = bytes.length >>> 2;
  for (let i = 0; i < full; i++) {
    shared.push(
      bytes[4 * i]! |
        (bytes[4 * i + 1]! << 8) |
        (bytes[4 * i + 2]! << 16) |
        (bytes[4 * i + 3]! << 24),
    );
  }
  const rest = bytes.length & 3;
  if (rest > 0) {
    let w = 0;
    for (let k = 0; k < rest; k++) w |= bytes[4 * full + k]! << (8 * k);
    shared.push(w);
  }
  const out = new Uint32Array(8);
  shared.finish(out, 0, rest === 0 ? 4 : rest);
  return out;
}

/**
 * The key that derive-key mode uses for a context string (spec section 2.6): the context hashed
 * with the DERIVE_KEY_CONTEXT flag. Material is then hashed under it with DERIVE_KEY_MATERIAL.
 */
export function contextKey(context: string): Uint32Array {
  return hashBytesToWords(IV, DERIVE_KEY_CONTEXT, new TextEncoder().encode(context));
}

export { DERIVE_KEY_MATERIAL };
