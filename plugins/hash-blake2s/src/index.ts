import type { Plugin } from '@nexus/kernel';
import { createBlake2sBackend } from './blake2s.js';

export { createBlake2sBackend, PERSONALIZATION } from './blake2s.js';
export { compress } from './compress.js';

export const NAME = '@nexus/hash-blake2s';
export const VERSION = '0.1.0';

/**
 * The default hash backend plugin: Blake2s-256 for Merkle trees, the Fiat-Shamir channel and
 * proof of work.
 *
 * @example assembleSystem([blake2s(), ...components])
 */
export function blake2s(): Plugin {
  return {
    name: NAME,
    version: VERSION,
    apply(host) {
      host.hooks.hashBackend.tap(NAME, (registry) => registry.set(createBlake2sBackend()));
    },
  };
}
