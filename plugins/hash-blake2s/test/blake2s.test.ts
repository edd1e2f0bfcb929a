import { powWord, trailingZeros } from '@nexus/kernel';
import { blake2s as noble } from '@noble/hashes/blake2.js';
import { describe, expect, it } from 'vitest';
import { createBlake2sBackend, PERSONALIZATION } from '../src/index.js';

const backend = createBlake2sBackend();
const enc = (s: string) => new TextEncoder().encode(s);

function wordsToBytes(words: ArrayLike<number>): Uint8Array {
  const b = new Uint8Array(4 * words.length);
  const v = new DataView(b.buffer);
  for (let i = 0; i < words.length; i++) v.setUint32(4 * i, words[i]! >>> 0, true);
  return b;
}

function reference(words: ArrayLike<number>, tag: string): Uint32Array {
  const d = noble(wordsToBytes(words), { dkLen: 32, personalization: enc(tag) });
  return new Uint32Array(d.buffer, d.byteOffset, 8).slice();
}

describe('Blake2s backend', () => {
  it('plain Blake2s-256 matches the RFC 7693 test vector "abc"', () => {
    // With no personalization, the fast compression must give the standard digest.
    const d = noble(enc('abc'));
    expect(Buffer.from(d).toString('hex')).toBe(
      '508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982',
    );
  });

  it('leaves match noble for every word count 0..40', () => {
    for (let n = 0; n <= 40; n++) {
      const values = Array.from({ length: n }, (_, i) => (i * 2654435761) % 2147483647);
      expect(backend.merkleNode(null, values)).toEqual(reference(values, PERSONALIZATION.leaf));
    }
  });

  it('inner nodes match noble, with and without column values', () => {
    const left = Uint32Array.from({ length: 8 }, (_, i) => i * 77 + 1);
    const right = Uint32Array.from({ length: 8 }, (_, i) => i * 91 + 5);
    for (const n of [0, 1, 15, 16, 17, 33]) {
      const values = Array.from({ length: n }, (_, i) => i + 100);
      expect(backend.merkleNode([left, right], values)).toEqual(
        reference([...left, ...right, ...values], PERSONALIZATION.node),
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
      expect(nodes.subarray(8 * j, 8 * j + 8)).toEqual(
        backend.merkleNode(
          [children.subarray(16 * j, 16 * j + 8), children.subarray(16 * j + 8, 16 * j + 16)],
          columns.slice(0, 3).map((c) => c[j]!),
        ),
      );
    }
  });

  it('the wasm and TypeScript Merkle layers give the same digests (leaves and nodes)', () => {
    const ts = createBlake2sBackend({ kernels: 'typescript' });
    for (const count of [4, 8, 64, 1024]) {
      for (const nCols of [0, 1, 15, 16, 17, 40]) {
        const columns = Array.from({ length: nCols }, (_, c) =>
          Uint32Array.from({ length: count }, (_, j) => (c * 2654435761 + j * 40503) % 2147483647),
        );
        const children = Uint32Array.from({ length: 16 * count }, (_, i) => (i * 31337) >>> 0);
        if (nCols > 0) {
          expect(backend.merkleLayer(count, null, columns)).toEqual(
            ts.merkleLayer(count, null, columns),
          );
        }
        expect(backend.merkleLayer(count, children, columns)).toEqual(
          ts.merkleLayer(count, children, columns),
        );
      }
    }
  });

  it('byte hashing matches noble for every length 0..200, whole blocks and every tag', () => {
    const data = Uint8Array.from({ length: 4102 }, (_, i) => (i * 151 + 7) & 0xff);
    const lengths = [...Array.from({ length: 201 }, (_, i) => i), 256, 1024, 4096, 4099];
    // The default backend hashes bytes on the wasm kernel, the 'typescript' one in JavaScript.
    for (const b of [backend, createBlake2sBackend({ kernels: 'typescript' })]) {
      for (const tag of ['channel', 'system', 'pow', 'program'] as const) {
        const personalization = enc(PERSONALIZATION[tag]);
        for (const n of lengths) {
          // A view at an odd offset: the hash reads bytes, never the buffer's alignment.
          const bytes = data.subarray(3, 3 + n);
          expect(b.hash(bytes, tag), `${tag} ${n}`).toEqual(
            noble(bytes, { dkLen: 32, personalization }),
          );
        }
      }
    }
  });

  it('domain separation: the same bytes hash differently as leaf, node, channel', () => {
    const words = Array.from({ length: 16 }, (_, i) => i);
    const asLeaf = backend.merkleNode(null, words);
    const asNode = backend.merkleNode(
      [Uint32Array.from(words.slice(0, 8)), Uint32Array.from(words.slice(8))],
      [],
    );
    expect(asLeaf).not.toEqual(asNode);
    const bytes = wordsToBytes(words);
    expect(backend.hash(bytes, 'channel')).not.toEqual(backend.hash(bytes, 'system'));
  });

  it('grinding finds a nonce the generic hash confirms, on the wasm kernel and in JavaScript', () => {
    const seed = backend.hash(enc('seed'), 'channel');
    const nonce = backend.grind!(seed, 10, 0, 1 << 20);
    expect(nonce).not.toBeNull();
    expect(trailingZeros(powWord(backend, seed, nonce!))).toBeGreaterThanOrEqual(10);
    // and no smaller nonce works
    for (let n = 0; n < nonce!; n++)
      expect(trailingZeros(powWord(backend, seed, n))).toBeLessThan(10);
    const ts = createBlake2sBackend({ kernels: 'typescript' });
    expect(ts.grind!(seed, 10, 0, 1 << 20)).toBe(nonce);
    // a window past the nonce starts its own search; one too short finds nothing
    expect(backend.grind!(seed, 10, nonce! + 1, 1 << 20)).toBe(
      ts.grind!(seed, 10, nonce! + 1, 1 << 20),
    );
    expect(backend.grind!(seed, 10, 0, nonce!)).toBeNull();
  });
});
