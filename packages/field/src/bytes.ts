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
  const x = (a.byteOffset & 3) === 0 ? a : a.slice();
  const y = (b.byteOffset & 3) === 0 ? b : b.slice();
  const words = x.length >>> 2;
  const wx = new Int32Array(x.buffer, x.byteOffset, words);
  const wy = new Int32Array(y.buffer, y.byteOffset, words);
  for (let k = 0; k < words; k++) if (wx[k] !== wy[k]) return false;
  for (let i = 4 * words; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
