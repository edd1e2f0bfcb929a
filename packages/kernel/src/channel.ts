import type { QM31 } from '@nexus/field';
import { ByteChannel } from './byte-channel.js';
import type { HashBackend } from './hash.js';

/**
 * The Fiat-Shamir channel: what prover and verifier mix in and draw out, in the same order, so
 * that every challenge depends on everything committed before it. Each hash backend defines its
 * own (`HashBackend.channel`): a byte hash keeps a byte digest (ByteChannel, the default), an
 * algebraic hash keeps field elements, so a verifier written as a circuit over M31 replays it
 * cheaply. The prover and verifier only see this interface; they never name a hash.
 *
 * Soundness: every draw must be (under the backend's pseudo-randomness assumption) uniform and
 * independent given the transcript so far: QM31 challenges uniform over QM31, query positions
 * uniform over [0, 2^logSize). A backend documents how it gets there (rejection sampling, etc.).
 */
export interface Channel {
  /** Mixes a byte string (its length is bound, so message boundaries are unambiguous). */
  mixBytes(bytes: Uint8Array): void;
  /** Mixes u32 words (sizes, config numbers): any u32 value, bound with the count. */
  mixU32s(words: ArrayLike<number>): void;
  /** Mixes a Merkle root of this backend's trees (8 words, as `merkleLayer` made it). */
  mixRoot(root: Uint32Array): void;
  /** Mixes QM31 values (canonical coordinates). */
  mixQM31s(values: readonly QM31[]): void;
  /** Mixes a proof-of-work nonce (a safe integer below 2^53). */
  mixNonce(nonce: number): void;
  /** A uniformly random QM31 element. */
  drawQM31(): QM31;
  /** `count` uniform positions in [0, 2^logSize), sorted and deduplicated. */
  drawQueries(count: number, logSize: number): number[];
  /**
   * Proof of work against the current state: the smallest nonce >= 0 that `checkPow` accepts
   * for `bits` (0 bits: 0). The state is unchanged; the caller mixes the nonce.
   */
  grind(bits: number): number;
  /** Whether `nonce` carries `bits` bits of work against the current state (state unchanged). */
  checkPow(nonce: number, bits: number): boolean;
}

/**
 * The channel of a hash backend: its own when it defines one, else the byte channel over its
 * `hash` (the transcript every byte hash used before backends could define channels).
 *
 * @example const channel = createChannel(system.hash); mixHeader(channel, ...);
 */
export function createChannel(hash: HashBackend): Channel {
  return hash.channel ? hash.channel() : new ByteChannel(hash);
}
