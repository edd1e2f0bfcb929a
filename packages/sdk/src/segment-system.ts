import { bytesEqual } from '@nexus/field';
import { flattenPlugins, type Plugin, type PluginInput } from '@nexus/kernel';
import { rv32im } from '@nexus/rv32im';
import type { MemoryOptions } from '@nexus/vm';
import { ZkvmError } from './errors.js';
import { HASH_BACKENDS, HASH_NAMES, type HashName, withHash } from './hash-backends.js';
import { bundledPlugins, createZkvm, defaultPlugins, type Zkvm, type ZkvmOptions } from './zkvm.js';

/**
 * How a worker rebuilds the coordinator's zkVM: plain data, so it crosses a thread or a job
 * queue. Either the plugins by package name (every bundled plugin and hash backend has one),
 * or a module a worker imports whose exports give the plugins (for plugins of your own).
 * A worker checks that what it built has the coordinator's system digest before working.
 */
export type SystemDescription =
  | {
      /** Bundled plugins by package name, in order (a preset is listed plugin by plugin). */
      readonly plugins: readonly string[];
      readonly memory?: MemoryOptions;
      readonly maxCycles?: number;
    }
  | {
      /**
       * A local module: an absolute path or a file: URL (nothing else: a job names it, and a
       * data: or http: URL would be code chosen by whoever wrote the job). Its exports, like a
       * CLI config: `export default { plugins, hash? }`, a default function
       * `({ rv32im, plugin }) => config`, or named exports `plugins` and `hash`; plugins are
       * objects, presets or bundled names.
       */
      readonly module: string;
      /** The hash backend chosen over the module's (`ZkvmOptions.hash`). */
      readonly hash?: HashName;
      readonly memory?: MemoryOptions;
      readonly maxCycles?: number;
    };

/** Every plugin a name can stand for: the bundled plugins and the hash backends. */
function namedPlugins(): Plugin[] {
  const plugins = bundledPlugins();
  const names = new Set(plugins.map((p) => p.name));
  for (const n of HASH_NAMES) {
    const p = HASH_BACKENDS[n].plugin();
    if (!names.has(p.name)) plugins.push(p);
  }
  return plugins;
}

/**
 * A bundled plugin (or the RV32IM preset) by package name, e.g. '@nexus/air-div' or 'rv32im'.
 *
 * @throws ZkvmError naming the plugins there are
 */
export function builtinPlugin(name: string): PluginInput {
  if (name === '@nexus/rv32im' || name === 'rv32im') return rv32im();
  const all = namedPlugins();
  const found = all.find((p) => p.name === name || p.name === `@nexus/${name}`);
  if (found === undefined) {
    throw new ZkvmError(
      `unknown plugin '${name}': the bundled plugins are @nexus/rv32im, ${all.map((p) => p.name).join(', ')}`,
      { reason: 'system' },
    );
  }
  return found;
}

/**
 * Describes a zkVM for workers: by the names of its plugins when every one is a bundled plugin
 * and the names rebuild the same system (same digest), else by `module` when given.
 *
 * @throws ZkvmError (reason 'system') when a plugin is not a bundled one and no module is
 *   given: pass `systemModule` (a module exporting the plugins), or prove in one thread.
 */
export function describeSystem(zkvm: Zkvm, module?: string): SystemDescription {
  const { memory, maxCycles } = zkvm.options;
  const extra = {
    ...(memory === undefined ? {} : { memory }),
    ...(maxCycles === undefined ? {} : { maxCycles }),
  };
  const { hash } = zkvm.options;
  if (module !== undefined) return { module, ...(hash === undefined ? {} : { hash }), ...extra };
  const plugins = withHash(zkvm.options.plugins ?? defaultPlugins(), zkvm.options.hash);
  const names = plugins.map((p) => p.name);
  const known = new Set(namedPlugins().map((p) => p.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0 || !bytesEqual(buildFromNames(names).system.digest, zkvm.system.digest)) {
    throw new ZkvmError(
      `cannot describe this zkVM to workers: ${unknown.length > 0 ? `plugin${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not bundled` : 'its plugin objects are not the bundled plugins of their names'}; pass systemModule (a module whose exports give the plugins, as a nexus config does) so each worker can import it, or prove with workers: 1`,
      { reason: 'system', plugins: unknown },
    );
  }
  return { plugins: names, ...extra };
}

function buildFromNames(names: readonly string[], options: Partial<ZkvmOptions> = {}): Zkvm {
  return createZkvm({ ...options, plugins: names.map(builtinPlugin) });
}

/**
 * Builds the zkVM a description names, with the given security. A module is imported (once
 * per worker; the caller caches the zkVM).
 *
 * @throws ZkvmError when a name is unknown or the module does not give plugins
 */
export async function buildSystem(
  description: SystemDescription,
  security: ZkvmOptions['security'],
): Promise<Zkvm> {
  const options: ZkvmOptions = {
    ...(description.memory === undefined ? {} : { memory: description.memory }),
    ...(description.maxCycles === undefined ? {} : { maxCycles: description.maxCycles }),
    ...(security === undefined ? {} : { security }),
  };
  if ('plugins' in description) return buildFromNames(description.plugins, options);
  const loaded = await importSystemModule(description.module);
  const hash = description.hash ?? loaded.hash;
  return createZkvm({
    ...options,
    plugins: loaded.plugins,
    ...(hash === undefined ? {} : { hash }),
  });
}

/** A system module's plugins and hash backend (the shapes a nexus config file may have). */
async function importSystemModule(
  module: string,
): Promise<{ plugins: PluginInput; hash: HashName | undefined }> {
  // Only files already on this machine: a worker imports what a job names, and a job comes
  // from whoever can write to the queue. A data: or remote URL would run their code here.
  if (typeof module !== 'string' || !(module.startsWith('/') || module.startsWith('file:'))) {
    throw new ZkvmError(
      `the system module must be an absolute path or a file: URL on this machine (got ${JSON.stringify(String(module).slice(0, 80))})`,
      { reason: 'system' },
    );
  }
  const url = module.startsWith('/') ? `file://${module}` : module;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (e) {
    throw new ZkvmError(`cannot import the system module ${module}: ${(e as Error).message}`, {
      reason: 'system',
    });
  }
  let config: unknown = mod.default !== undefined ? mod.default : mod;
  if (typeof config === 'function') {
    config = await (config as (c: unknown) => unknown)({ rv32im, plugin: builtinPlugin });
  }
  const c = (config ?? {}) as { plugins?: unknown; hash?: unknown };
  if (c.plugins === undefined) {
    throw new ZkvmError(
      `the system module ${module} gives no plugins: export default { plugins: [...] } (objects, presets or bundled names)`,
      { reason: 'system' },
    );
  }
  const resolve = (x: unknown): PluginInput =>
    typeof x === 'string'
      ? builtinPlugin(x)
      : Array.isArray(x)
        ? x.map(resolve)
        : (x as PluginInput);
  const plugins = flattenPlugins(resolve(c.plugins));
  if (c.hash !== undefined && !HASH_NAMES.includes(c.hash as HashName)) {
    throw new ZkvmError(`the system module ${module}: unknown hash ${JSON.stringify(c.hash)}`, {
      reason: 'system',
    });
  }
  return { plugins, hash: c.hash as HashName | undefined };
}
