import { blake2s } from '@noble/hashes/blake2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wasmKernels } from '../src/index.js';

const k = wasmKernels!;
const IV = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** Blake2s-256's initial chaining value with an 8-byte personalization (as hash-blake2s). */
function personalIv(tag: string): Uint32Array {
  const p = new TextEncoder().encode(tag);
  const view = new DataView(p.buffer);
  const h = Uint32Array.from(IV);
  h[0]! ^= 0x01010020;
  h[6]! ^= view.getUint32(0, true);
  h[7]! ^= view.getUint32(4, true);
  return h;
}

/** noble's digest of node j's message (children then column values, little-endian words). */
function expected(
  j: number,
  children: Uint32Array | null,
  columns: readonly Uint32Array[],
  tag: string,
): number[] {
  const words = [
    ...(children ? children.subarray(16 * j, 16 * j + 16) : []),
    ...columns.map((c) => c[j]!),
  ];
  const bytes = new Uint8Array(Uint32Array.from(words).buffer);
  const d = blake2s(bytes, { dkLen: 32, personalization: new TextEncoder().encode(tag) });
  return Array.from(new Uint32Array(d.buffer, d.byteOffset, 8));
}

describe('wasm Blake2s Merkle layer', () => {
  it('equals noble for leaves and inner nodes, 0..40 columns (1-4 blocks, partial and full), any count', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4, 5, 8, 12, 64),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (count, nCols, inner, seed) => {
          let s = seed | 1;
          const next = () => {
            s ^= s << 13;
            s ^= s >>> 17;
            s ^= s << 5;
            return s >>> 0;
          };
          const columns = Array.from({ length: nCols }, () =>
            Uint32Array.from({ length: count }, next),
          );
          const children = inner ? Uint32Array.from({ length: 16 * count }, next) : null;
          if (!inner && nCols === 0) return; // a leaf hashes at least one value
          const tag = inner ? 'NXnode01' : 'NXleaf01';
          const out = k.blake2sMerkleLayer(count, children, columns, personalIv(tag));
          for (let j = 0; j < count; j++) {
            expect(Array.from(out.subarray(8 * j, 8 * j + 8))).toEqual(
              expected(j, children, columns, tag),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('streams layers wider than one chunk of rows (2^14 nodes of 80 columns)', () => {
    const count = 2 ** 14;
    const columns = Array.from({ length: 80 }, (_, c) =>
      Uint32Array.from({ length: count }, (_, j) => (j * 2654435761 + c) >>> 0),
    );
    const children = Uint32Array.from({ length: 16 * count }, (_, i) => (i * 40503) >>> 0);
    const iv = personalIv('NXnode01');
    const out = k.blake2sMerkleLayer(count, children, columns, iv);
    for (const j of [0, 1, 4095, 4096, 9000, count - 1]) {
      expect(Array.from(out.subarray(8 * j, 8 * j + 8))).toEqual(
        expected(j, children, columns, 'NXnode01'),
      );
    }
  });

  it('a count that is not a multiple of 4 after a wider layer: the stale lanes stay unread', () => {
    const iv = personalIv('NXleaf01');
    const wide = [Uint32Array.from({ length: 64 }, (_, j) => j * 7 + 1)];
    k.blake2sMerkleLayer(64, null, wide, iv);
    for (const count of [1, 2, 3]) {
      const columns = [Uint32Array.from({ length: count }, (_, j) => 1000 + j)];
      const out = k.blake2sMerkleLayer(count, null, columns, iv);
      expect(out.length).toBe(8 * count);
      for (let j = 0; j < count; j++) {
        expect(Array.from(out.subarray(8 * j, 8 * j + 8))).toEqual(
          expected(j, null, columns, 'NXleaf01'),
        );
      }
    }
  });

  it('rejects a count that is not a non-negative integer', () => {
    for (const count of [-4, 2.5, Number.NaN]) {
      expect(() =>
        k.blake2sMerkleLayer(count, null, [new Uint32Array(4)], personalIv('x')),
      ).toThrow(RangeError);
    }
  });
});

describe('wasm Blake2s of bytes', () => {
  const digest = (data: Uint8Array, tag: string) => {
    const d = blake2s(data, { dkLen: 32, personalization: new TextEncoder().encode(tag) });
    return new Uint32Array(d.buffer, d.byteOffset, 8);
  };

  it('equals noble at every length around the block edges, after longer messages too', () => {
    // Longest first: scratch then holds an earlier message's bytes past a shorter one's end,
    // which the padding must clear.
    for (const len of [1000, 200, 129, 128, 127, 65, 64, 63, 4, 1, 0]) {
      const data = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len) & 0xff);
      expect(k.blake2sBytes(data, personalIv('NXsystm1'))).toEqual(digest(data, 'NXsystm1'));
    }
  });

  it('equals noble on random messages, personalizations and byte offsets', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.nat({ max: 7 }),
        fc.constantFrom('NXchanl1', 'NXprog01', 'NXsystm1'),
        (bytes, skip, tag) => {
          const data = bytes.subarray(Math.min(skip, bytes.length)); // a view at an offset
          expect(k.blake2sBytes(data, personalIv(tag))).toEqual(digest(data, tag));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('wasm Blake2s proof of work', () => {
  const POW = personalIv('NXpow001');
  /** The first nonce in [start, start + limit) that noble finds, one by one. */
  const search = (seed: Uint32Array, bits: number, start: number, limit: number) => {
    const message = new Uint8Array(40);
    message.set(new Uint8Array(seed.buffer, seed.byteOffset, 32));
    const view = new DataView(message.buffer);
    const personalization = new TextEncoder().encode('NXpow001');
    for (let n = start; n < start + limit; n++) {
      view.setUint32(32, n % 2 ** 32, true);
      view.setUint32(36, Math.floor(n / 2 ** 32), true);
      const d = blake2s(message, { dkLen: 32, personalization });
      const first = new DataView(d.buffer, d.byteOffset).getUint32(0, true);
      if ((first & (2 ** bits - 1)) === 0) return n;
    }
    return null;
  };

  it('finds the first nonce a one-by-one search finds, in any window and across 2^32', () => {
    fc.assert(
      fc.property(
        fc.uint32Array({ minLength: 8, maxLength: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(0, 1, 5, 2 ** 32 - 3, 2 ** 40 + 1),
        fc.integer({ min: 1, max: 700 }),
        (seed, bits, start, limit) => {
          expect(k.blake2sGrind(seed, bits, start, limit, POW)).toBe(
            search(seed, bits, start, limit),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
