import type { HashTag } from '@nexus/kernel';

/**
 * Domain tags: each use of the permutation starts from a state whose capacity holds its tag
 * (sponge.ts), so leaves, inner nodes, each kind of channel message, draws, proof of work and
 * byte hashing never hash into each other's domains. Part of the protocol: never renumber.
 */
export const DOMAIN = {
  leaf: 1,
  /** An inner node that also holds column values (a lifted column's layer). */
  nodeWithValues: 2,
  mixBytes: 3,
  mixWords: 4,
  mixRoot: 5,
  mixQM31: 6,
  mixNonce: 7,
  draw: 8,
  pow: 9,
} as const;

/** Byte hashing (`HashBackend.hash`), one domain per tag. */
export const BYTES_DOMAIN: Readonly<Record<HashTag, number>> = {
  channel: 16,
  system: 17,
  pow: 18,
  program: 19,
};
