import { P, type QM31 } from '@nexus/field';
import { type Channel, trailingZeros } from '@nexus/kernel';
import { DOMAIN } from './domains.js';
import { permute16 } from './permute16.js';
import { DIGEST, hashElements } from './sponge.js';

/** Largest log size drawQueries serves: 2^30 positions (M31's circle domains stop at 2^31). */
export const MAX_QUERY_LOG_SIZE = 30;
/** Proof-of-work bits it can check: the work word is an M31 element (31 bits). */
export const MAX_POW_BITS = 30;

/**
 * The Fiat-Shamir channel of the Poseidon2 backend, over field elements end to end: the state is
 * a digest of 8 M31 elements; every mix replaces it by the sponge digest of state || message in
 * the message kind's domain; draws permute [state, counter, 0..., draw domain] and read 8
 * elements; proof of work permutes [state, nonce, 0..., pow domain]. A verifier written as an
 * M31 circuit (recursion) replays it with permutations only, no byte hashing.
 *
 * Draws (each output element is uniform in [0, p) if the permutation behaves as a random one):
 * - a QM31 challenge is 4 output elements: uniform over QM31, ~124 bits, no rejection needed;
 * - a query position in [0, 2^k) (k <= 30) rejects elements >= 2^31 - 2^k, the largest multiple
 *   of 2^k not above p, then keeps the low k bits: exactly uniform; an element is rejected with
 *   probability (2^k - 1)/p < 2^(k-31);
 * - proof of work asks the low `bits` bits of the first output element to be zero: probability
 *   ceil(p / 2^bits)/p, i.e. 2^-bits within a factor 1 + 2^(bits-31).
 *
 * Encodings into elements (each kind in its own domain, with the sponge binding the length):
 * bytes 3 per element after the byte length; u32 words as two 16-bit halves; roots and QM31
 * coordinates as themselves; a nonce n as n mod 2^30 and floor(n / 2^30).
 */
export class Poseidon2Channel implements Channel {
  private digest: Uint32Array = new Uint32Array(DIGEST);
  private counter = 0;
  private readonly buffer: number[] = [];
  private readonly state = new Float64Array(16);

  /** The current state (a copy): 8 M31 elements. */
  get stateDigest(): Uint32Array {
    return this.digest.slice();
  }

  private mix(domain: number, message: ArrayLike<number>): void {
    const input = new Uint32Array(DIGEST + message.length);
    input.set(this.digest);
    for (let i = 0; i < message.length; i++) input[DIGEST + i] = message[i]!;
    this.digest = hashElements(domain, input);
    this.counter = 0;
    this.buffer.length = 0;
  }

  mixBytes(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n >= P) throw new Error('Poseidon2 channel: a message of 2^31 bytes or more');
    const elements = new Uint32Array(1 + Math.ceil(n / 3));
    elements[0] = n;
    for (let i = 0, e = 1; i < n; i += 3, e++) {
      elements[e] = bytes[i]! | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16);
    }
    this.mix(DOMAIN.mixBytes, elements);
  }

  mixU32s(words: ArrayLike<number>): void {
    const elements = new Uint32Array(2 * words.length);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]! >>> 0;
      elements[2 * i] = w & 0xffff;
      elements[2 * i + 1] = w >>> 16;
    }
    this.mix(DOMAIN.mixWords, elements);
  }

  /**
   * A root is 8 field elements, absorbed as they are. A root read from a proof may hold a word
   * >= p; it is reduced here so the transcript never sees a non-element, and that is sound: the
   * verifier compares every root word for word with one it recomputes from the openings, which
   * is canonical, so a proof with a non-canonical root is rejected ('merkle') whatever it drew.
   */
  mixRoot(root: Uint32Array): void {
    if (root.length !== DIGEST) throw new Error(`a Poseidon2 root has ${DIGEST} elements`);
    const elements = new Uint32Array(DIGEST);
    for (let i = 0; i < DIGEST; i++) elements[i] = (root[i]! >>> 0) % P;
    this.mix(DOMAIN.mixRoot, elements);
  }

  /**
   * QM31 coordinates must be canonical: the proof decoder checks those it reads, and this
   * checks again, since the permutation's arithmetic assumes it and two encodings of one value
   * (0 and p) must never give two transcripts.
   */
  mixQM31s(values: readonly QM31[]): void {
    const elements = new Uint32Array(4 * values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      for (let j = 0; j < 4; j++) {
        if (v[j]! >>> 0 >= P) {
          throw new Error(
            `Poseidon2 channel: QM31 value ${i} has coordinate ${v[j]! >>> 0}, not a canonical M31 element`,
          );
        }
      }
      elements.set(v, 4 * i);
    }
    this.mix(DOMAIN.mixQM31, elements);
  }

  mixNonce(nonce: number): void {
    this.mix(DOMAIN.mixNonce, nonceElements(nonce));
  }

  /** The next uniform M31 element. */
  private drawElement(): number {
    if (this.buffer.length === 0) {
      const s = this.state;
      s.fill(0);
      for (let k = 0; k < DIGEST; k++) s[k] = this.digest[k]!;
      s[DIGEST] = this.counter++;
      s[15] = DOMAIN.draw;
      permute16(s);
      for (let k = DIGEST - 1; k >= 0; k--) this.buffer.push(s[k]!);
    }
    return this.buffer.pop()!;
  }

  drawQM31(): QM31 {
    return [this.drawElement(), this.drawElement(), this.drawElement(), this.drawElement()];
  }

  drawQueries(count: number, logSize: number): number[] {
    if (!Number.isInteger(logSize) || logSize < 0 || logSize > MAX_QUERY_LOG_SIZE) {
      throw new Error(
        `Poseidon2 channel: query positions are drawn for log sizes 0..${MAX_QUERY_LOG_SIZE}, not ${logSize}`,
      );
    }
    const size = 2 ** logSize;
    const limit = 2 ** 31 - size; // the largest multiple of 2^k not above p
    const set = new Set<number>();
    for (let i = 0; i < count; i++) {
      let x = this.drawElement();
      while (x >= limit) x = this.drawElement();
      set.add(x % size);
    }
    return [...set].sort((a, b) => a - b);
  }

  /** The work word of a nonce: the first element of π([state, nonce halves, 0..., pow]). */
  private workWord(nonce: number): number {
    const s = this.state;
    s.fill(0);
    for (let k = 0; k < DIGEST; k++) s[k] = this.digest[k]!;
    const [lo, hi] = nonceElements(nonce);
    s[DIGEST] = lo!;
    s[DIGEST + 1] = hi!;
    s[15] = DOMAIN.pow;
    permute16(s);
    return s[0]!;
  }

  grind(bits: number): number {
    checkPowBits(bits);
    if (bits === 0) return 0;
    for (let n = 0; ; n++) if (trailingZeros(this.workWord(n)) >= bits) return n;
  }

  checkPow(nonce: number, bits: number): boolean {
    checkPowBits(bits);
    return trailingZeros(this.workWord(nonce)) >= bits;
  }
}

function checkPowBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > MAX_POW_BITS) {
    throw new Error(
      `Poseidon2 channel: proof of work of 0..${MAX_POW_BITS} bits, not ${bits} (the work word is one M31 element)`,
    );
  }
}

/** A nonce below 2^53 as two elements: n mod 2^30 and floor(n / 2^30) (< 2^23). */
function nonceElements(nonce: number): Uint32Array {
  if (!Number.isSafeInteger(nonce) || nonce < 0)
    throw new Error(`Poseidon2 channel: a nonce is a safe non-negative integer, not ${nonce}`);
  return Uint32Array.of(nonce % 2 ** 30, Math.floor(nonce / 2 ** 30));
}
