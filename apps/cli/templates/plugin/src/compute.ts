/**
 * What the precompile computes, as plain functions: the VM runs `compute` on every call (both
 * passes); trace generation and the tests use the same functions.
 *
 * This skeleton's call adds two words: a0 = pointer to the result word (written), a1 = pointer
 * to the two input words x and y (read); the result is x + y mod 2^32. Replace it with yours:
 * here, in air.ts (the constraints), trace.ts (the rows) and guest/precompile.h.
 */

/**
 * The syscall number (a7). Third-party precompiles take numbers from 0x1800 to 0x1fff
 * (0x1000..0x17ff are the zkVM's own); a build refuses two plugins claiming one number. When
 * you change it, change NEXUS_PRECOMPILE_NUMBER in guest/precompile.h and rebuild the guest.
 */
export const NUMBER = 0x1800;

/** Words the call reads (x and y). */
export const INPUT_WORDS = 2;

/** The call, on the words of its regions in region order: x, y (read), then the result. */
export function compute(words: Uint32Array): void {
  words[2] = (words[0]! + words[1]!) >>> 0;
}
