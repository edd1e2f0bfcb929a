import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../src/bytes.js';

/** The plain definition: same length, same byte at every index. */
const plain = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** `bytes` at byte offset `offset` of a larger buffer. */
function at(bytes: Uint8Array, offset: number): Uint8Array {
  const v = new Uint8Array(bytes.length + offset + 3).subarray(offset, offset + bytes.length);
  v.set(bytes);
  return v;
}

describe('bytesEqual', () => {
  it('agrees with a byte-by-byte compare at every offset, length and changed byte', () => {
    for (const length of [0, 1, 3, 4, 5, 8, 13, 64]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
      for (let oa = 0; oa < 4; oa++) {
        for (let ob = 0; ob < 4; ob++) {
          const a = at(bytes, oa);
          expect(bytesEqual(a, at(bytes, ob)), `${length} ${oa} ${ob}`).toBe(true);
          for (let i = 0; i < length; i++) {
            const other = bytes.slice();
            other[i]! ^= 1 << (i & 7);
            const b = at(other, ob);
            expect(bytesEqual(a, b), `${length} ${oa} ${ob} byte ${i}`).toBe(plain(a, b));
            expect(bytesEqual(a, b)).toBe(false);
          }
        }
      }
      expect(bytesEqual(bytes, bytes.subarray(0, Math.max(0, length - 1)))).toBe(length === 0);
    }
  });

  it('compares Node Buffers at any offset (a Buffer slice is a view, not a copy)', () => {
    const bytes = Uint8Array.from({ length: 29 }, (_, i) => (i * 53 + 7) & 0xff);
    for (let oa = 0; oa < 4; oa++) {
      for (let ob = 0; ob < 4; ob++) {
        const a = Buffer.from(at(bytes, oa).buffer, oa, bytes.length);
        const b = Buffer.from(at(bytes, ob).buffer, ob, bytes.length);
        expect(bytesEqual(a, b), `${oa} ${ob}`).toBe(true);
        b[28]! ^= 1;
        expect(bytesEqual(a, b), `${oa} ${ob}`).toBe(false);
      }
    }
  });
});
