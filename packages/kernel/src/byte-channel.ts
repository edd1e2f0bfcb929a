import { P, type QM31 } from '@nexus/field';
import type { Channel } from './channel.js';
import { type HashBackend, powWord, trailingZeros } from './hash.js';

/** Nonces handed to a backend's `grind` per call (its own loop is the fast path). */
const GRIND_BATCH = 1 << 24;

/**
 * The channel of a byte hash: a 32-byte digest, starting at zeros, replaced by
 * hash(digest || length || message) on every mix; draws hash (digest || counter). The default
 * for backends that do not define a channel of their own (Blake2s, BLAKE3).
 *
 * Draws: words are uniform u32s (the hash as a PRF), so a query position is a word masked to
 * logSize bits (uniform: 2^logSize divides 2^32) and a base-field element rejects words >= 2p
 * and reduces (uniform: 2p = 2^32 - 2, so the two preimages of each value are equally likely).
 * A QM31 is four base draws.
 */
export class ByteChannel implements Channel {
  private digest: Uint8Array = new Uint8Array(32);
  private counter = 0;
  private buffer: number[] = [];
  private readonly hash: HashBackend;

  constructor(hash: HashBackend) {
    this.hash = hash;
  }

  /** The current digest (a copy): the proof-of-work seed. */
  get state(): Uint8Array {
    return this.digest.slice();
  }

  /** Mixes bytes, length-prefixed so that message boundaries are unambiguous. */
  mixBytes(bytes: Uint8Array): void {
    const msg = new Uint8Array(32 + 4 + bytes.length);
    msg.set(this.digest);
    new DataView(msg.buffer).setUint32(32, bytes.length, true);
    msg.set(bytes, 36);
    this.digest = this.hash.hash(msg, 'channel');
    this.counter = 0;
    this.buffer = [];
  }

  /** Mixes u32 words as little-endian bytes. */
  mixU32s(words: ArrayLike<number>): void {
    const bytes = new Uint8Array(4 * words.length);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < words.length; i++) view.setUint32(4 * i, words[i]! >>> 0, true);
    this.mixBytes(bytes);
  }

  /** A root is 8 words: mixed as words, exactly as before channels were per backend. */
  mixRoot(root: Uint32Array): void {
    this.mixU32s(root);
  }

  /** Mixes QM31s as their four coordinates, each a little-endian word (as mixU32s would). */
  mixQM31s(values: readonly QM31[]): void {
    // Straight into the message's bytes: a proof's sampled values are thousands of words, and
    // a growing array of them was a visible cold cost of every verification.
    const bytes = new Uint8Array(16 * values.length);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      view.setUint32(16 * i, v[0] >>> 0, true);
      view.setUint32(16 * i + 4, v[1] >>> 0, true);
      view.setUint32(16 * i + 8, v[2] >>> 0, true);
      view.setUint32(16 * i + 12, v[3] >>> 0, true);
    }
    this.mixBytes(bytes);
  }

  /** Mixes a 64-bit nonce (a safe integer). */
  mixNonce(nonce: number): void {
    this.mixU32s([nonce >>> 0, Math.floor(nonce / 2 ** 32)]);
  }

  /** The next uniformly random u32 word. */
  drawWord(): number {
    if (this.buffer.length === 0) {
      const msg = new Uint8Array(36);
      msg.set(this.digest);
      new DataView(msg.buffer).setUint32(32, this.counter++, true);
      const block = this.hash.hash(msg, 'channel');
      const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
      for (let i = 7; i >= 0; i--) this.buffer.push(view.getUint32(4 * i, true));
    }
    return this.buffer.pop()!;
  }

  /** A uniform M31 element: words >= 2p are rejected, then reduced. */
  drawBase(): number {
    for (;;) {
      const w = this.drawWord();
      if (w < 2 * P) return w % P;
    }
  }

  drawQM31(): QM31 {
    return [this.drawBase(), this.drawBase(), this.drawBase(), this.drawBase()];
  }

  drawQueries(count: number, logSize: number): number[] {
    const set = new Set<number>();
    const mask = logSize >= 32 ? 0xffffffff : 2 ** logSize - 1;
    for (let i = 0; i < count; i++) set.add((this.drawWord() & mask) >>> 0);
    return [...set].sort((a, b) => a - b);
  }

  /**
   * The proof of work of a byte hash: hash(digest || nonce as 8 LE bytes) under the 'pow' tag
   * must have `bits` trailing zero bits in its first LE word. A backend's `grind` searches
   * batches in its own tight loop; without one, powWord is tried nonce by nonce.
   */
  grind(bits: number): number {
    if (bits === 0) return 0;
    const seed = this.digest;
    if (this.hash.grind) {
      for (let start = 0; start < 2 ** 40; start += GRIND_BATCH) {
        const n = this.hash.grind(seed, bits, start, GRIND_BATCH);
        if (n !== null) return n;
      }
    }
    for (let n = 0; ; n++) if (trailingZeros(powWord(this.hash, seed, n)) >= bits) return n;
  }

  checkPow(nonce: number, bits: number): boolean {
    return trailingZeros(powWord(this.hash, this.digest, nonce)) >= bits;
  }
}
