import { P, type QM31 } from '@nexus/field';
import type { HashBackend } from './hash.js';

/**
 * The Fiat-Shamir channel: a 32-byte digest, starting at zeros, replaced by
 * hash(digest || message) on every mix; draws hash (digest || counter). Prover and verifier
 * run the same sequence of mixes and draws, so every challenge depends on everything committed
 * before it.
 */
export class Channel {
  private digest: Uint8Array = new Uint8Array(32);
  private counter = 0;
  private buffer: number[] = [];
  private readonly hash: HashBackend;

  constructor(hash: HashBackend) {
    this.hash = hash;
  }

  /** The current digest (a copy). */
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

  /** Mixes u32 words (M31 values, Merkle roots as words). */
  mixU32s(words: ArrayLike<number>): void {
    const bytes = new Uint8Array(4 * words.length);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < words.length; i++) view.setUint32(4 * i, words[i]! >>> 0, true);
    this.mixBytes(bytes);
  }

  mixQM31s(values: readonly QM31[]): void {
    const words: number[] = [];
    for (const v of values) words.push(v[0], v[1], v[2], v[3]);
    this.mixU32s(words);
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

  /** `count` positions in [0, 2^logSize), sorted and deduplicated. */
  drawQueries(count: number, logSize: number): number[] {
    const set = new Set<number>();
    const mask = logSize >= 32 ? 0xffffffff : 2 ** logSize - 1;
    for (let i = 0; i < count; i++) set.add((this.drawWord() & mask) >>> 0);
    return [...set].sort((a, b) => a - b);
  }
}
