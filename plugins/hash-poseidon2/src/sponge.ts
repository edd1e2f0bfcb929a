import { P } from '@nexus/field';
import { permute16 } from './permute16.js';

/** Elements absorbed per permutation: half the width; the other 8 (248 bits) are capacity. */
export const RATE = 8;
/** Digest length in M31 elements (8 × 31 = 248 bits: 124-bit collision resistance). */
export const DIGEST = 8;

/**
 * A Poseidon2 sponge over M31 (rate 8, capacity 8, overwrite mode), reused for every message so
 * a Merkle layer allocates nothing per node. The capacity starts as [domain, length, 0, ...]:
 * the domain separates uses, and the length makes zero-padding of the last block unambiguous
 * (messages of every length are distinct inputs), so no padding rule is needed. Absorbing
 * overwrites the rate part with the next 8 elements (Bertoni et al.'s overwrite duplex, as in
 * Plonky3's PaddingFreeSponge); the digest is the rate part after the last permutation.
 *
 * Inputs must be canonical M31 values (callers check at their boundary; the prover's columns are
 * canonical by construction).
 */
export class Sponge {
  private readonly state = new Float64Array(16);
  private filled = 0;

  /** Starts a message of `length` elements in `domain`. */
  reset(domain: number, length: number): void {
    const s = this.state;
    s.fill(0);
    s[8] = domain;
    s[9] = length;
    this.filled = 0;
  }

  /** Absorbs one canonical element. */
  push(v: number): void {
    if (this.filled === RATE) {
      permute16(this.state);
      this.filled = 0;
    }
    this.state[this.filled++] = v;
  }

  /** Finishes: zero-pads the last block, permutes, and writes 8 elements at out[offset..]. */
  finish(out: Uint32Array, offset: number): void {
    const s = this.state;
    // After a permutation the rate holds its output: clear what the last block leaves unused.
    for (let k = this.filled; k < RATE; k++) s[k] = 0;
    permute16(s);
    for (let k = 0; k < DIGEST; k++) out[offset + k] = s[k]!;
  }
}

const shared = new Sponge();

/** The sponge digest of canonical elements `values` in `domain` (8 elements). */
export function hashElements(domain: number, values: ArrayLike<number>): Uint32Array {
  shared.reset(domain, values.length);
  for (let i = 0; i < values.length; i++) shared.push(values[i]!);
  const out = new Uint32Array(DIGEST);
  shared.finish(out, 0);
  return out;
}

const scratch = new Float64Array(16);

/**
 * Two digests to one with a single permutation: Jive compression (Bouvier et al., "New Design
 * Techniques for Efficient Arithmetization-Oriented Hash Functions: Anemoi Permutations and Jive
 * Compression Mode", 2023), out = (π(x) + x)[0..8] + (π(x) + x)[8..16] for x = left || right.
 * The feed-forward is what makes it a compression function: a bare truncated permutation could
 * be inverted to a second preimage. Used for inner nodes without column values, the bulk of a
 * tree's inner nodes.
 */
export function compressInto(
  children: ArrayLike<number>,
  at: number,
  out: Uint32Array,
  offset: number,
): void {
  const s = scratch;
  for (let k = 0; k < 16; k++) s[k] = children[at + k]!;
  permute16(s);
  for (let k = 0; k < DIGEST; k++) {
    // Four canonical terms: below 2^33, exact; reduced by the mod of a double.
    out[offset + k] = (s[k]! + children[at + k]! + s[k + 8]! + children[at + k + 8]!) % P;
  }
}
