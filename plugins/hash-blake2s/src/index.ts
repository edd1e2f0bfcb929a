import type { Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { type Blake2sOptions, createBlake2sBackend } from './blake2s.js';

export { type Blake2sOptions, createBlake2sBackend, PERSONALIZATION } from './blake2s.js';
export { compress } from './compress.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

/**
 * The default hash backend plugin: Blake2s-256 for Merkle trees, the Fiat-Shamir channel and
 * proof of work.
 *
 * @example assembleSystem([blake2s(), ...components])
 */
export function blake2s(options: Blake2sOptions = {}): Plugin {
  return {
    name: NAME,
    version: VERSION,
    apply(host) {
      host.hooks.hashBackend.tap(NAME, (registry) => registry.set(createBlake2sBackend(options)));
    },
  };
}
