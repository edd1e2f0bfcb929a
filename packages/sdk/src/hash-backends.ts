import { blake2s, createBlake2sBackend } from '@nexus/hash-blake2s';
import { blake3, createBlake3Backend } from '@nexus/hash-blake3';
import { createPoseidon2Backend, poseidon2 } from '@nexus/hash-poseidon2';
import { flattenPlugins, type Plugin, PluginHost, type PluginInput } from '@nexus/kernel';
import { ZkvmError } from './errors.js';

/**
 * The hash backends this distribution ships, by the short name users pick them with
 * (`createZkvm({ hash })`, `nexus prove --hash`, a config's `hash`). blake2s is the default:
 * the RV32IM preset lists it.
 */
export const HASH_BACKENDS = {
  blake2s: { plugin: blake2s, id: createBlake2sBackend().id },
  blake3: { plugin: blake3, id: createBlake3Backend().id },
  poseidon2: { plugin: poseidon2, id: createPoseidon2Backend().id },
} as const satisfies Record<string, { plugin: () => Plugin; id: string }>;

export type HashName = keyof typeof HASH_BACKENDS;

export const HASH_NAMES = Object.keys(HASH_BACKENDS) as HashName[];

/** The short name of a bundled backend from its id (what proof files record), else null. */
export function hashNameOf(id: string): HashName | null {
  return HASH_NAMES.find((n) => HASH_BACKENDS[n].id === id) ?? null;
}

/** A backend's name for people: "poseidon2 (poseidon2-m31-w16)", or the id of another one. */
export function describeHash(id: string): string {
  const name = hashNameOf(id);
  return name === null ? id : `${name} (${id})`;
}

/** Checks a user's backend name. @throws ZkvmError listing the names there are. */
export function checkHashName(name: unknown): HashName {
  if (typeof name !== 'string' || !(name in HASH_BACKENDS)) {
    throw new ZkvmError(
      `unknown hash backend ${JSON.stringify(name)}: the bundled ones are ${HASH_NAMES.join(', ')}`,
      { reason: 'hash' },
    );
  }
  return name as HashName;
}

/** Whether a plugin registers a hash backend (applied alone to a scratch host: no names). */
/** Whether a plugin registers a hash backend. */
export function isHashPlugin(plugin: Plugin): boolean {
  const host = new PluginHost();
  plugin.apply(host);
  return host.hooks.hashBackend.taps.length > 0;
}

/**
 * The plugin list with the hash backend the user chose. With `hash`, every hash plugin in the
 * list gives way to the named one. Without it, a hash plugin listed next to a preset replaces
 * the preset's default Blake2s (so `[rv32im(), poseidon2()]` means Poseidon2, as a reader
 * would expect); any other pair of hash plugins is left for assembly to refuse.
 */
/**
 * Whether a plugin list picks its own hash backend: it lists a hash plugin other than the
 * preset's Blake2s (a bundled one by name, or a third party's). Such a list pins its backend.
 */
export function choosesHash(input: PluginInput): boolean {
  const defaultName = HASH_BACKENDS.blake2s.plugin().name;
  return flattenPlugins(input).some((p) => p.name !== defaultName && isHashPlugin(p));
}

export function withHash(input: PluginInput, hash?: HashName): Plugin[] {
  const plugins = flattenPlugins(input);
  if (hash !== undefined) {
    return [
      ...plugins.filter((p) => !isHashPlugin(p)),
      HASH_BACKENDS[checkHashName(hash)].plugin(),
    ];
  }
  const hashPlugins = plugins.filter(isHashPlugin);
  const defaultName = HASH_BACKENDS.blake2s.plugin().name;
  if (hashPlugins.length === 2 && hashPlugins.some((p) => p.name === defaultName)) {
    return plugins.filter((p) => p.name !== defaultName);
  }
  return plugins;
}
