import { mul, mulPow2, P } from '@nexus/field';
import {
  HALF_FULL_ROUNDS,
  INTERNAL_SHIFTS,
  PARTIAL_ROUNDS,
  RC_EXTERNAL_FINAL,
  RC_EXTERNAL_INITIAL,
  RC_INTERNAL,
  WIDTH,
} from './constants.js';

const TWO_POW_31 = 2147483648;
const TWO_POW_MINUS_31 = 1 / TWO_POW_31;

/**
 * v mod p for an integer 0 <= v < 2^52 held exactly in a double: 2^31 = 1 (mod p), so
 * v = hi·2^31 + lo reduces to lo + hi (< 2^31 + 2^21 < 2p), then one conditional subtraction.
 * The linear layers add up to 2^37 before reducing, which doubles hold exactly: no BigInt.
 */
function reduce(v: number): number {
  const hi = Math.floor(v * TWO_POW_MINUS_31);
  const r = v - hi * TWO_POW_31 + hi;
  return r >= P ? r - P : r;
}

/** x^5 (the S-box: 5 is the least exponent coprime to p - 1, so it is a permutation). */
function sbox(x: number): number {
  const x2 = mul(x, x);
  return mul(mul(x2, x2), x);
}

/**
 * The external linear layer of Poseidon2 (paper appendix B; Plonky3 `mds_light_permutation`
 * with `MDSMat4`): M4 = [[2,3,1,1],[1,2,3,1],[1,1,2,3],[3,1,1,2]] on each block of 4, then each
 * element adds the sum of its position across the 4 blocks (the circulant circ(2·M4, M4, M4, M4)).
 * Entries stay below 2^37 before the final reduction.
 */
function externalLayer(s: Float64Array): void {
  for (let c = 0; c < WIDTH; c += 4) {
    const x0 = s[c]!;
    const x1 = s[c + 1]!;
    const x2 = s[c + 2]!;
    const x3 = s[c + 3]!;
    const t01 = x0 + x1;
    const t23 = x2 + x3;
    const t0123 = t01 + t23;
    const t01123 = t0123 + x1;
    const t01233 = t0123 + x3;
    s[c] = t01123 + t01; // 2x0 + 3x1 + x2 + x3
    s[c + 1] = t01123 + 2 * x2; // x0 + 2x1 + 3x2 + x3
    s[c + 2] = t01233 + t23; // x0 + x1 + 2x2 + 3x3
    s[c + 3] = t01233 + 2 * x0; // 3x0 + x1 + x2 + 2x3
  }
  const s0 = s[0]! + s[4]! + s[8]! + s[12]!;
  const s1 = s[1]! + s[5]! + s[9]! + s[13]!;
  const s2 = s[2]! + s[6]! + s[10]! + s[14]!;
  const s3 = s[3]! + s[7]! + s[11]! + s[15]!;
  for (let c = 0; c < WIDTH; c += 4) {
    s[c] = reduce(s[c]! + s0);
    s[c + 1] = reduce(s[c + 1]! + s1);
    s[c + 2] = reduce(s[c + 2]! + s2);
    s[c + 3] = reduce(s[c + 3]! + s3);
  }
}

/** The internal linear layer 1 + diag(V): state[i] <- sum + V_i·state[i] (V_0 = -2). */
function internalLayer(s: Float64Array): void {
  let part = 0;
  for (let i = 1; i < WIDTH; i++) part += s[i]!;
  const x0 = s[0]!;
  const full = part + x0;
  s[0] = reduce(part + P - x0); // sum - 2·x0 = part - x0
  for (let i = 1; i < WIDTH; i++) s[i] = reduce(full + mulPow2(s[i]!, INTERNAL_SHIFTS[i - 1]!));
}

function fullRounds(s: Float64Array, constants: Uint32Array): void {
  for (let r = 0; r < HALF_FULL_ROUNDS; r++) {
    for (let i = 0; i < WIDTH; i++) s[i] = sbox(reduce(s[i]! + constants[WIDTH * r + i]!));
    externalLayer(s);
  }
}

/**
 * The Poseidon2 permutation of 16 canonical M31 elements, in place (Plonky3's
 * `Poseidon2Mersenne31<16>` with its default constants): the external layer, 4 full rounds,
 * 14 partial rounds, 4 full rounds. `s` is a Float64Array so the linear layers can add
 * unreduced values exactly.
 */
export function permute(s: Float64Array): void {
  externalLayer(s);
  fullRounds(s, RC_EXTERNAL_INITIAL);
  for (let r = 0; r < PARTIAL_ROUNDS; r++) {
    s[0] = sbox(reduce(s[0]! + RC_INTERNAL[r]!));
    internalLayer(s);
  }
  fullRounds(s, RC_EXTERNAL_FINAL);
}

/** The permutation on a copy of 16 canonical M31 values (for tests and one-off use). */
export function permuteWords(input: ArrayLike<number>): Uint32Array {
  if (input.length !== WIDTH) throw new Error(`Poseidon2: the state has ${WIDTH} elements`);
  const s = new Float64Array(WIDTH);
  for (let i = 0; i < WIDTH; i++) {
    const v = input[i]!;
    if (!(v >= 0 && v < P && Number.isInteger(v)))
      throw new Error(`Poseidon2: state element ${i} is not a canonical M31 value (${v})`);
    s[i] = v;
  }
  permute(s);
  return Uint32Array.from(s);
}
