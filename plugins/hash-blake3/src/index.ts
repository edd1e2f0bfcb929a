import type { Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { createBlake3Backend } from './blake3.js';

export { BLAKE3_ID, CONTEXTS, createBlake3Backend } from './blake3.js';
export { compress } from './compress.js';
export { contextKey, hashBytesToWords, WordHasher } from './hasher.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

/**
 * The BLAKE3 hash backend plugin: BLAKE3 (derive-key mode, one context per use) for Merkle
 * trees, the Fiat-Shamir channel and proof of work. Use it in place of the default Blake2s.
 *
 * @example createZkvm({ hash: 'blake3' }) // or assembleSystem([blake3(), ...components])
 */
export function blake3(): Plugin {
  return {
    name: NAME,
    version: VERSION,
    apply(host) {
      host.hooks.hashBackend.tap(NAME, (registry) => registry.set(createBlake3Backend()));
    },
  };
}
