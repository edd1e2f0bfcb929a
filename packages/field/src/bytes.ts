/**
 * Whether two byte arrays hold the same bytes. Cold code pays per loop iteration, so it
 * compares four bytes at a time: over Int32 views of the arrays, after copying an array that
 * does not start on a 4-byte boundary (a native copy, far cheaper than the byte loop it
 * saves; a program's encoding puts a segment's bytes at any offset).
 *
 * @example
 * bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3)) // true
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  const x = aligned(a);
  const y = aligned(b);
  const words = x.length >>> 2;
  const wx = new Int32Array(x.buffer, x.byteOffset, words);
  const wy = new Int32Array(y.buffer, y.byteOffset, words);
  for (let k = 0; k < words; k++) if (wx[k] !== wy[k]) return false;
  for (let i = 4 * words; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * The bytes at a 4-byte boundary: themselves, or a copy. Not `slice()`: a Node Buffer's slice
 * is a view at the same offset (files read with readFileSync are Buffers, small ones at any
 * offset of Node's pool).
 */
const aligned = (v: Uint8Array): Uint8Array => ((v.byteOffset & 3) === 0 ? v : new Uint8Array(v));
