/**
 * Keccak-f[1600] (FIPS 202 section 3) as the precompile computes it, on u32 pairs: the state is
 * 25 lanes A[x, y] (lane index x + 5y), each a little-endian u64 held as two u32 words, low
 * word first, so the 50 words are exactly the 200 bytes of memory the syscall permutes. No
 * BigInt: every step is a 32-bit operation, fast enough for trace generation.
 */

/** Rounds of Keccak-f[1600]. */
export const ROUNDS = 24;

/**
 * The 24 round constants RC[i] (FIPS 202 Algorithm 5), as [low word, high word] pairs. Only
 * bits 2^j - 1 (j = 0..6) of a round constant can be 1: see RC_BIT_POSITIONS.
 */
export const RC: readonly (readonly [number, number])[] = [
  [0x00000001, 0x00000000],
  [0x00008082, 0x00000000],
  [0x0000808a, 0x80000000],
  [0x80008000, 0x80000000],
  [0x0000808b, 0x00000000],
  [0x80000001, 0x00000000],
  [0x80008081, 0x80000000],
  [0x00008009, 0x80000000],
  [0x0000008a, 0x00000000],
  [0x00000088, 0x00000000],
  [0x80008009, 0x00000000],
  [0x8000000a, 0x00000000],
  [0x8000808b, 0x00000000],
  [0x0000008b, 0x80000000],
  [0x00008089, 0x80000000],
  [0x00008003, 0x80000000],
  [0x00008002, 0x80000000],
  [0x00000080, 0x80000000],
  [0x0000800a, 0x00000000],
  [0x8000000a, 0x80000000],
  [0x80008081, 0x80000000],
  [0x00008080, 0x80000000],
  [0x80000001, 0x00000000],
  [0x80008008, 0x80000000],
];

/** The bit positions a round constant may set: 2^j - 1 for j = 0..6. */
export const RC_BIT_POSITIONS: readonly number[] = [0, 1, 3, 7, 15, 31, 63];

/** Bit z (0..63) of round constant i. */
export function rcBit(i: number, z: number): number {
  const [lo, hi] = RC[i]!;
  return z < 32 ? (lo >>> z) & 1 : (hi >>> (z - 32)) & 1;
}

/**
 * The ρ rotation offsets r[x + 5y] (FIPS 202 Table 2): lane A[x, y] is rotated left by this
 * many bits.
 */
export const ROTATION: readonly number[] = [
  0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
];

/**
 * π as a lane map: the lane x + 5y of the state after ρ moves to lane y + 5·((2x + 3y) mod 5)
 * (FIPS 202: A'[x, y] = A[(x + 3y) mod 5, x], i.e. B[y, 2x + 3y] = A[x, y]).
 */
export const PI_TARGET: readonly number[] = Array.from({ length: 25 }, (_, i) => {
  const x = i % 5;
  const y = (i - x) / 5;
  return y + 5 * ((2 * x + 3 * y) % 5);
});

/** A lane (lo, hi) rotated left by n (0..63), written to out[o], out[o + 1] (low, high). */
function rotl64(lo: number, hi: number, n: number, out: Uint32Array, o: number): void {
  if (n === 0) {
    out[o] = lo;
    out[o + 1] = hi;
    return;
  }
  if (n >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    n -= 32;
    if (n === 0) {
      out[o] = lo;
      out[o + 1] = hi;
      return;
    }
  }
  out[o] = (lo << n) | (hi >>> (32 - n));
  out[o + 1] = (hi << n) | (lo >>> (32 - n));
}

/**
 * One round of Keccak-f[1600] in place on 50 words (θ, ρ, π, χ, ι with round constant
 * `round`). `scratch` is 60 words of workspace (C, then the state after ρ and π), so the loop
 * allocates nothing.
 */
export function keccakRound(s: Uint32Array, round: number, scratch = new Uint32Array(60)): void {
  // θ: C[x] = xor of column x; D[x] = C[x - 1] xor rotl(C[x + 1], 1); A[x, y] ^= D[x].
  const c = scratch; // words 0..9
  for (let x = 0; x < 5; x++) {
    c[2 * x] = s[2 * x]! ^ s[2 * x + 10]! ^ s[2 * x + 20]! ^ s[2 * x + 30]! ^ s[2 * x + 40]!;
    c[2 * x + 1] =
      s[2 * x + 1]! ^ s[2 * x + 11]! ^ s[2 * x + 21]! ^ s[2 * x + 31]! ^ s[2 * x + 41]!;
  }
  for (let x = 0; x < 5; x++) {
    const p = 2 * ((x + 4) % 5);
    const n = 2 * ((x + 1) % 5);
    const nlo = c[n]!;
    const nhi = c[n + 1]!;
    const dlo = c[p]! ^ ((nlo << 1) | (nhi >>> 31));
    const dhi = c[p + 1]! ^ ((nhi << 1) | (nlo >>> 31));
    for (let y = 0; y < 5; y++) {
      s[2 * (x + 5 * y)] = s[2 * (x + 5 * y)]! ^ dlo;
      s[2 * (x + 5 * y) + 1] = s[2 * (x + 5 * y) + 1]! ^ dhi;
    }
  }
  // ρ and π into b (scratch words 10..59).
  const b = scratch.subarray(10, 60);
  for (let i = 0; i < 25; i++) rotl64(s[2 * i]!, s[2 * i + 1]!, ROTATION[i]!, b, 2 * PI_TARGET[i]!);
  // χ: A[x, y] = B[x, y] xor (not B[x + 1, y] and B[x + 2, y]).
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      const i = 2 * (x + 5 * y);
      const i1 = 2 * (((x + 1) % 5) + 5 * y);
      const i2 = 2 * (((x + 2) % 5) + 5 * y);
      s[i] = b[i]! ^ (~b[i1]! & b[i2]!);
      s[i + 1] = b[i + 1]! ^ (~b[i1 + 1]! & b[i2 + 1]!);
    }
  }
  // ι
  s[0] = s[0]! ^ RC[round]![0];
  s[1] = s[1]! ^ RC[round]![1];
}

/**
 * Keccak-f[1600] in place on the 50 words of a state (lane i = words 2i, 2i + 1): the
 * precompile's semantics (syscall 0x1002 keccakf).
 */
export function keccakf(state: Uint32Array): void {
  const scratch = new Uint32Array(60);
  for (let r = 0; r < ROUNDS; r++) keccakRound(state, r, scratch);
}

/**
 * The 25 states of one permutation: states[0] the input, states[r + 1] the state after round
 * r, so states[24] is Keccak-f of the input. What the rounds component's rows hold.
 */
export function keccakfStates(input: ArrayLike<number>): Uint32Array[] {
  const out: Uint32Array[] = [Uint32Array.from(input)];
  const scratch = new Uint32Array(60);
  for (let r = 0; r < ROUNDS; r++) {
    const s = out[r]!.slice();
    keccakRound(s, r, scratch);
    out.push(s);
  }
  return out;
}

/** What the rounds component's row of a state A holds, as words (lane i: words 2i, 2i + 1). */
export interface RoundWitness {
  /** θ's column parities C[x] (10 words). */
  readonly c: Uint32Array;
  /** C[x] xor D[x] (10 words). */
  readonly cp: Uint32Array;
  /** θ(A) (50 words). */
  readonly ap: Uint32Array;
  /** χ(π(ρ(θ(A)))), before ι (50 words). */
  readonly chi: Uint32Array;
}

/** The round's intermediate values for a state A (see RoundWitness). */
export function roundWitness(a: ArrayLike<number>): RoundWitness {
  const c = new Uint32Array(10);
  const cp = new Uint32Array(10);
  const ap = Uint32Array.from(a);
  for (let x = 0; x < 5; x++) {
    for (let h = 0; h < 2; h++) {
      c[2 * x + h] =
        ap[2 * x + h]! ^
        ap[2 * x + h + 10]! ^
        ap[2 * x + h + 20]! ^
        ap[2 * x + h + 30]! ^
        ap[2 * x + h + 40]!;
    }
  }
  for (let x = 0; x < 5; x++) {
    const p = 2 * ((x + 4) % 5);
    const n = 2 * ((x + 1) % 5);
    const dlo = c[p]! ^ ((c[n]! << 1) | (c[n + 1]! >>> 31));
    const dhi = c[p + 1]! ^ ((c[n + 1]! << 1) | (c[n]! >>> 31));
    cp[2 * x] = c[2 * x]! ^ dlo;
    cp[2 * x + 1] = c[2 * x + 1]! ^ dhi;
    for (let y = 0; y < 5; y++) {
      ap[2 * (x + 5 * y)] = ap[2 * (x + 5 * y)]! ^ dlo;
      ap[2 * (x + 5 * y) + 1] = ap[2 * (x + 5 * y) + 1]! ^ dhi;
    }
  }
  const b = new Uint32Array(50);
  for (let i = 0; i < 25; i++)
    rotl64(ap[2 * i]!, ap[2 * i + 1]!, ROTATION[i]!, b, 2 * PI_TARGET[i]!);
  const chi = new Uint32Array(50);
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      const i = 2 * (x + 5 * y);
      const i1 = 2 * (((x + 1) % 5) + 5 * y);
      const i2 = 2 * (((x + 2) % 5) + 5 * y);
      chi[i] = b[i]! ^ (~b[i1]! & b[i2]!);
      chi[i + 1] = b[i + 1]! ^ (~b[i1 + 1]! & b[i2 + 1]!);
    }
  }
  return { c, cp, ap, chi };
}

/**
 * Keccak-256 as Ethereum uses it (the original Keccak padding 0x01 ... 0x80, not SHA3-256's
 * 0x06): rate 136 bytes, 32-byte digest.
 */
export function keccak256(data: Uint8Array): Uint8Array {
  const RATE = 136;
  const state = new Uint32Array(50);
  const bytes = new Uint8Array(state.buffer);
  const little = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
  if (!little) throw new Error('keccak256: the reference assumes a little-endian host');
  const padded = new Uint8Array(Math.floor(data.length / RATE + 1) * RATE);
  padded.set(data);
  padded[data.length]! ^= 0x01;
  padded[padded.length - 1]! ^= 0x80;
  for (let off = 0; off < padded.length; off += RATE) {
    for (let i = 0; i < RATE; i++) bytes[i]! ^= padded[off + i]!;
    keccakf(state);
  }
  return bytes.slice(0, 32);
}
