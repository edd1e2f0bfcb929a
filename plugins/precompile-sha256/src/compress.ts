/**
 * SHA-256 (FIPS 180-4) as the precompile computes it: the compression function on native u32
 * words, and the per-round values the trace is made of. Message words W_t are the block's
 * bytes read big-endian; the state H0..H7 is eight native words.
 */

/** The 64 round constants K_t (FIPS 180-4 section 4.2.2). */
export const K: readonly number[] = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/** The initial hash value H(0) of SHA-256. */
export const IV: readonly number[] = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
export const bigSigma0 = (x: number) => (rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22)) >>> 0;
export const bigSigma1 = (x: number) => (rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25)) >>> 0;
export const smallSigma0 = (x: number) => (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) >>> 0;
export const smallSigma1 = (x: number) => (rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10)) >>> 0;
export const ch = (e: number, f: number, g: number) => ((e & f) ^ (~e & g)) >>> 0;
export const maj = (a: number, b: number, c: number) => ((a & b) ^ (a & c) ^ (b & c)) >>> 0;

/** A memory word (little-endian load of four message bytes) as a message word (big-endian). */
export const bswap = (v: number) =>
  (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

/** What the rounds component's rows hold for one compression. */
export interface CompressionTrace {
  /** a_t for t = -3..64 (index t + 3): a_0..a_-3 are H0..H3, a_t the new a of round t - 1. */
  readonly a: Uint32Array;
  /** e_t likewise (e_0..e_-3 are H4..H7). */
  readonly e: Uint32Array;
  /** The message schedule W_0..W_63. */
  readonly w: Uint32Array;
  /** The new state H + (a, b, ..., h). */
  readonly out: Uint32Array;
}

/** Runs one compression and keeps every round's new a and e and the schedule. */
export function compressTrace(
  state: ArrayLike<number>,
  block: ArrayLike<number>,
): CompressionTrace {
  const a = new Uint32Array(68);
  const e = new Uint32Array(68);
  const w = new Uint32Array(64);
  for (let i = 0; i < 4; i++) {
    a[3 - i] = state[i]!;
    e[3 - i] = state[4 + i]!;
  }
  for (let t = 0; t < 16; t++) w[t] = block[t]!;
  for (let t = 16; t < 64; t++)
    w[t] = (smallSigma1(w[t - 2]!) + w[t - 7]! + smallSigma0(w[t - 15]!) + w[t - 16]!) >>> 0;
  for (let t = 0; t < 64; t++) {
    // Row t + 4 holds round t's new a and e; its working variables are the four rows before.
    const i = t + 3;
    const t1 = e[i - 3]! + bigSigma1(e[i]!) + ch(e[i]!, e[i - 1]!, e[i - 2]!) + K[t]! + w[t]!;
    e[i + 1] = (a[i - 3]! + t1) >>> 0;
    a[i + 1] = (t1 + bigSigma0(a[i]!) + maj(a[i]!, a[i - 1]!, a[i - 2]!)) >>> 0;
  }
  const out = new Uint32Array(8);
  for (let i = 0; i < 4; i++) {
    out[i] = (state[i]! + a[67 - i]!) >>> 0;
    out[4 + i] = (state[4 + i]! + e[67 - i]!) >>> 0;
  }
  return { a, e, w, out };
}

/**
 * The precompile's semantics (0x1001 sha256_compress): `words` holds the 16 block words as
 * memory words (little-endian loads of the message bytes) then the 8 state words; the state is
 * replaced by its compression with the block.
 */
export function sha256CompressWords(words: Uint32Array): void {
  const block = new Uint32Array(16);
  for (let t = 0; t < 16; t++) block[t] = bswap(words[t]!);
  const { out } = compressTrace(words.subarray(16, 24), block);
  words.set(out, 16);
}
