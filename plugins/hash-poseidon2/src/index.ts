import type { Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { createPoseidon2Backend } from './poseidon2.js';

export { MAX_POW_BITS, MAX_QUERY_LOG_SIZE, Poseidon2Channel } from './channel.js';
export * from './constants.js';
export { BYTES_DOMAIN, DOMAIN } from './domains.js';
export { merkleLayer, merkleNode, merkleNodes } from './merkle.js';
export { permute, permuteWords } from './permutation.js';
export { permute16 } from './permute16.js';
export { createPoseidon2Backend, POSEIDON2_ID } from './poseidon2.js';
export { compressInto, DIGEST, hashElements, RATE, Sponge } from './sponge.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

/**
 * The Poseidon2-over-M31 hash backend plugin: field-native Merkle trees and Fiat-Shamir
 * channel, the choice for proofs that will be verified inside a STARK (recursion, aggregation).
 *
 * @example createZkvm({ hash: 'poseidon2' }) // or assembleSystem([poseidon2(), ...components])
 */
export function poseidon2(): Plugin {
  return {
    name: NAME,
    version: VERSION,
    apply(host) {
      host.hooks.hashBackend.tap(NAME, (registry) => registry.set(createPoseidon2Backend()));
    },
  };
}
