/**
 * What the precompile computes, as plain functions: the VM runs `popcount256Words` on every
 * call (both passes), trace generation and the tests use the same functions.
 */

/** The syscall number (a7). Third-party precompiles take numbers from 0x1800 (riscv.md 6). */
export const POPCOUNT256 = 0x1800;

/** Words read per call: 8 words, 256 bits. */
export const INPUT_WORDS = 8;

/** The number of set bits of a u32. */
export function popcount32(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/**
 * The VM side of one call, on the words of its regions in region order (extensions.ts in
 * @nexus/vm): words 0..7 are the input (read), word 8 the result (written): the number of set
 * bits of the input, 0..256.
 */
export function popcount256Words(words: Uint32Array): void {
  let n = 0;
  for (let k = 0; k < INPUT_WORDS; k++) n += popcount32(words[k]!);
  words[INPUT_WORDS] = n;
}
