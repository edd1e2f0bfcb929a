import { readFileSync } from 'node:fs';
import { createChannel, powWord, trailingZeros } from '@nexus/kernel';
import { blake3 as noble } from '@noble/hashes/blake3.js';
import { describe, expect, it } from 'vitest';
import {
  BLAKE3_ID,
  CONTEXTS,
  contextKey,
  createBlake3Backend,
  hashBytesToWords,
} from '../src/index.js';

const vectors = JSON.parse(
  readFileSync(new URL('./vectors/blake3.json', import.meta.url), 'utf8'),
) as {
  context_string: string;
  cases: { input_len: number; hash: string; derive_key: string }[];
};

const backend = createBlake3Backend();
const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const input = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);
const IV = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

function wordsToBytes(words: ArrayLike<number>): Uint8Array {
  const b = new Uint8Array(4 * words.length);
  const v = new DataView(b.buffer);
  for (let i = 0; i < words.length; i++) v.setUint32(4 * i, words[i]! >>> 0, true);
  return b;
}

function asBytes(words: Uint32Array): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, 32);
}

/** noble's derive-key BLAKE3 of a word message, as 8 words. */
function reference(words: ArrayLike<number>, context: string): Uint32Array {
  const d = noble(wordsToBytes(words), { context: enc(context) });
  return new Uint32Array(d.buffer, d.byteOffset, 8).slice();
}

describe('BLAKE3 backend', () => {
  it('matches the BLAKE3 team vectors: plain hash and derive_key, across chunk boundaries', () => {
    for (const c of vectors.cases) {
      const data = input(c.input_len);
      // The package's word-oriented BLAKE3 (the Merkle path's code).
      expect(hex(asBytes(hashBytesToWords(IV, 0, data))), `hash ${c.input_len}`).toBe(c.hash);
      const key = contextKey(vectors.context_string);
      expect(hex(asBytes(hashBytesToWords(key, 64, data))), `derive ${c.input_len}`).toBe(
        c.derive_key,
      );
      // And the reference it is checked against elsewhere.
      expect(hex(noble(data))).toBe(c.hash);
      expect(hex(noble(data, { context: enc(vectors.context_string) }))).toBe(c.derive_key);
    }
  });

  it('hash() is noble derive-key BLAKE3 with the tag context', () => {
    const data = input(100);
    for (const tag of ['channel', 'system', 'pow', 'program'] as const) {
      expect(backend.hash(data, tag)).toEqual(noble(data, { context: enc(CONTEXTS[tag]) }));
    }
    expect(() => backend.hash(data, 'nope' as 'pow')).toThrow(/unknown hash tag nope/);
  });

  it('leaves match noble for word counts across block and chunk boundaries', () => {
    for (const n of [0, 1, 15, 16, 17, 40, 255, 256, 257, 512, 513, 700, 1024, 1025]) {
      const values = Array.from({ length: n }, (_, i) => (i * 2654435761) % 2147483647);
      expect(backend.merkleNode(null, values), `${n} values`).toEqual(
        reference(values, CONTEXTS.leaf),
      );
    }
  });

  it('inner nodes match noble, with and without column values', () => {
    const left = Uint32Array.from({ length: 8 }, (_, i) => (i * 0x9e3779b9) >>> 0);
    const right = Uint32Array.from({ length: 8 }, (_, i) => i * 91 + 5);
    for (const n of [0, 1, 15, 16, 17, 33, 240, 241]) {
      const values = Array.from({ length: n }, (_, i) => i + 100);
      expect(backend.merkleNode([left, right], values)).toEqual(
        reference([...left, ...right, ...values], CONTEXTS.node),
      );
    }
  });

  it('a layer at once equals node by node', () => {
    const count = 9;
    const columns = Array.from({ length: 20 }, (_, c) =>
      Uint32Array.from({ length: count }, (_, j) => c * 1000 + j),
    );
    const leaves = backend.merkleLayer(count, null, columns);
    const children = new Uint32Array(16 * count).map((_, i) => (i * 31337) >>> 0);
    const nodes = backend.merkleLayer(count, children, columns.slice(0, 3));
    for (let j = 0; j < count; j++) {
      expect(leaves.subarray(8 * j, 8 * j + 8)).toEqual(
        backend.merkleNode(
          null,
          columns.map((c) => c[j]!),
        ),
      );
      const kids: [Uint32Array, Uint32Array] = [
        children.subarray(16 * j, 16 * j + 8),
        children.subarray(16 * j + 8, 16 * j + 16),
      ];
      expect(nodes.subarray(8 * j, 8 * j + 8)).toEqual(
        backend.merkleNode(
          kids,
          columns.slice(0, 3).map((c) => c[j]!),
        ),
      );
    }
  });

  it('leaves and inner nodes are domain-separated', () => {
    const words = Array.from({ length: 16 }, (_, i) => i);
    const asNode = backend.merkleNode(
      [Uint32Array.from(words.slice(0, 8)), Uint32Array.from(words.slice(8))],
      [],
    );
    expect(asNode).not.toEqual(backend.merkleNode(null, words));
  });

  it('grind finds the first nonce the byte channel accepts, and agrees with powWord', () => {
    const seed = noble(enc('seed'));
    const nonce = backend.grind!(seed, 10, 0, 1 << 20);
    expect(nonce).not.toBeNull();
    expect(trailingZeros(powWord(backend, seed, nonce!))).toBeGreaterThanOrEqual(10);
    for (let n = 0; n < nonce!; n++)
      expect(trailingZeros(powWord(backend, seed, n))).toBeLessThan(10);
  });

  it('uses the byte channel: proof of work through it agrees with grind', () => {
    const channel = createChannel(backend);
    channel.mixU32s([1, 2, 3]);
    const n = channel.grind(8);
    expect(channel.checkPow(n, 8)).toBe(true);
    expect(backend.id).toBe(BLAKE3_ID);
  });
});
