import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KernelError, type PcsConfig, type PluginInput, resolveConfig } from '@nexus/kernel';
import { rv32im } from '@nexus/rv32im';
import {
  bundledPlugins,
  choosesHash,
  createZkvm,
  defaultPlugins,
  HASH_BACKENDS,
  HASH_NAMES,
  type HashName,
  hashNameOf,
  type Zkvm,
} from '@nexus/sdk';
import { UsageError } from './args.js';
import { DEFAULT_CONFIG_NAMES } from './config-names.js';
import { CliError } from './errors.js';
import { EXIT } from './exit-codes.js';

export { DEFAULT_CONFIG_NAMES } from './config-names.js';

export const CONFIG_HELP = `  --config FILE         the zkVM's plugins: a module exporting { plugins: [...], security?,
                        hash? } (hash: ${HASH_NAMES.join(', ')}; default blake2s)
                        (default: ./nexus.config.mjs, .js or .ts when present, else the full
                        RV32IM preset with the bundled SHA-256 precompile). Plugins are plugin
                        objects, or names of built-in ones: '@nexus/rv32im' (the preset), one of
                        its plugins, e.g. '@nexus/air-div', '@nexus/precompile-sha256' or
                        '@nexus/precompile-keccak' (not in the default build), or a hash
                        backend ('@nexus/hash-blake3', '@nexus/hash-poseidon2').
                        A .ts config needs a Node.js that strips types (>= 22.18, or 22.6+ with
                        --experimental-strip-types); on older Node.js write nexus.config.mjs.`;

/** What a config resolved to: the plugins, the default security of proofs, where it came from. */
export interface ZkvmConfig {
  /**
   * The config file used, as given (or relative to the current directory when found there), or
   * null for the built-in default (the RV32IM preset and the bundled precompiles).
   */
  readonly path: string | null;
  readonly plugins: PluginInput;
  /** The config's default security for `prove` (verify's minimum never comes from a file). */
  readonly security: PcsConfig | undefined;
  /** The hash backend the config names (`hash: 'poseidon2'`), if it names one. */
  readonly hash: HashName | undefined;
}

/** What a config function is given, so a config needs no import of the zkVM packages. */
export interface ConfigContext {
  /** The full RV32IM preset. */
  readonly rv32im: typeof rv32im;
  /** A built-in plugin by package name, e.g. plugin('@nexus/air-div'). */
  readonly plugin: (name: string) => PluginInput;
}

const badConfig = (path: string, why: string) =>
  new CliError(`config ${path}: ${why}`, EXIT.CONFIG);

/** Built-in plugins by package name: the preset itself and each plugin in it. */
function builtin(name: string): PluginInput | undefined {
  if (name === '@nexus/rv32im' || name === 'rv32im') return rv32im();
  return [...bundledPlugins(), ...hashPlugins()].find(
    (p) => p.name === name || p.name === `@nexus/${name}`,
  );
}

/** The bundled hash backend plugins other than the preset's own (Blake2s is in rv32im). */
function hashPlugins() {
  const inPreset = new Set(bundledPlugins().map((p) => p.name));
  return HASH_NAMES.map((n) => HASH_BACKENDS[n].plugin()).filter((p) => !inPreset.has(p.name));
}

function builtinNames(): string[] {
  return [
    '@nexus/rv32im',
    ...bundledPlugins().map((p) => p.name),
    ...hashPlugins().map((p) => p.name),
  ];
}

/** Checks a --hash value. @throws UsageError naming the backends there are. */
export function hashOption(value: string | undefined): HashName | undefined {
  if (value === undefined) return undefined;
  if (!HASH_NAMES.includes(value as HashName)) {
    throw new UsageError(`--hash must be one of ${HASH_NAMES.join(', ')} (got '${value}')`);
  }
  return value as HashName;
}

/**
 * The backend to check a proof file with when the command line does not pin one: the config's
 * `hash` if it names one, or the backend its plugin list picks, else the backend the file records when it is a bundled one (a proof
 * made with --hash poseidon2 verifies without repeating it, and the output says which backend
 * it was), else the config's plugin list as it is.
 */
export function hashForFile(config: ZkvmConfig, fileHashId: string | null): HashName | undefined {
  if (config.hash !== undefined) return config.hash;
  // A config whose plugin list picks a backend pins it, as `hash:` does: the file's own record
  // must not replace what the user configured.
  if (choosesHash(config.plugins)) return undefined;
  return fileHashId === null ? undefined : (hashNameOf(fileHashId) ?? undefined);
}

/** Replaces plugin names by the built-in plugins, recursively (presets are arrays). */
function resolvePlugins(input: unknown, path: string): PluginInput {
  if (typeof input === 'string') {
    const p = builtin(input);
    if (p === undefined) {
      throw badConfig(
        path,
        `unknown plugin '${input}': built-in plugins are ${builtinNames().join(', ')}; for another plugin, import it in the config and list the plugin object`,
      );
    }
    return p;
  }
  if (Array.isArray(input)) return input.map((x) => resolvePlugins(x, path));
  if (input === null || typeof input !== 'object') {
    throw badConfig(
      path,
      `plugins must hold plugin objects, presets (arrays) or built-in plugin names, not ${input === null ? 'null' : typeof input}`,
    );
  }
  return input as PluginInput;
}

/**
 * Finds and loads the zkVM config: the file given by --config, else nexus.config.{mjs,js,ts}
 * in `cwd`, else the full RV32IM preset. Every problem is a CliError (exit 3 for a missing
 * --config file, 5 for a config that does not load or is malformed).
 */
export async function loadConfig(explicit: string | undefined, cwd: string): Promise<ZkvmConfig> {
  let path: string | undefined;
  if (explicit !== undefined) {
    path = isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
    if (!existsSync(path))
      throw new CliError(`config file '${explicit}' not found`, EXIT.NOT_FOUND);
    if (statSync(path).isDirectory())
      throw new CliError(
        `cannot read config file '${explicit}': it is a directory`,
        EXIT.UNREADABLE,
      );
  } else {
    path = DEFAULT_CONFIG_NAMES.map((n) => join(cwd, n)).find((p) => existsSync(p));
    if (path === undefined)
      return { path: null, plugins: defaultPlugins(), security: undefined, hash: undefined };
  }
  const shown = explicit ?? relative(cwd, path);
  if (path.endsWith('.ts') || path.endsWith('.mts')) {
    // Importing TypeScript needs Node's type stripping; without it the import fails with an
    // unhelpful "Unknown file extension". A config found by default is not skipped silently:
    // the user wrote it, and proving without their plugins would be a surprise.
    const features = process.features as { typescript?: string | false };
    if (!features.typescript) {
      throw badConfig(
        shown,
        `a TypeScript config needs a Node.js that strips types (>= 22.18, or >= 22.6 with --experimental-strip-types); this is Node.js ${process.versions.node}: rename it to nexus.config.mjs (plain JavaScript)`,
      );
    }
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw badConfig(shown, `cannot load it: ${(e as Error)?.message ?? String(e)}`);
  }
  // `export default {...}` (or a function), or named exports `plugins` and `security`.
  let config: unknown =
    mod.default !== undefined
      ? mod.default
      : 'plugins' in mod
        ? { plugins: mod.plugins, security: mod.security, hash: mod.hash }
        : undefined;
  if (typeof config === 'function') {
    const context: ConfigContext = {
      rv32im,
      plugin: (name) => resolvePlugins(name, shown),
    };
    try {
      config = await (config as (c: ConfigContext) => unknown)(context);
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw badConfig(shown, `its default export threw: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw badConfig(
      shown,
      'export a config object (export default { plugins: [...] }) or a function returning one',
    );
  }
  const c = config as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (key !== 'plugins' && key !== 'security' && key !== 'hash')
      throw badConfig(shown, `unknown key '${key}' (a config has plugins, security and hash)`);
  }
  if (c.plugins === undefined)
    throw badConfig(shown, "it has no 'plugins' (e.g. plugins: ['@nexus/rv32im', myPlugin()])");
  const plugins = resolvePlugins(c.plugins, shown);
  let security: PcsConfig | undefined;
  if (c.security !== undefined) {
    try {
      security = resolveConfig(c.security as PcsConfig);
    } catch (e) {
      throw badConfig(shown, `security: ${(e as Error).message}`);
    }
  }
  let hash: HashName | undefined;
  if (c.hash !== undefined) {
    if (!HASH_NAMES.includes(c.hash as HashName)) {
      throw badConfig(
        shown,
        `hash: ${JSON.stringify(c.hash)} is not a bundled hash backend (${HASH_NAMES.join(', ')})`,
      );
    }
    hash = c.hash as HashName;
  }
  return { path: shown, plugins, security, hash };
}

/** Assembles the zkVM of a config; plugins that do not assemble are a config error (exit 5). */
export function zkvmOf(
  config: ZkvmConfig,
  security?: PcsConfig,
  maxCycles?: number,
  hash: HashName | undefined = config.hash,
): Zkvm {
  try {
    return createZkvm({
      plugins: config.plugins,
      ...(hash === undefined ? {} : { hash }),
      ...(security === undefined ? {} : { security }),
      ...(maxCycles === undefined ? {} : { maxCycles }),
    });
  } catch (e) {
    // Assembly runs only the plugins' own code: whatever it throws is the config's problem.
    const where = config.path === null ? 'the default plugins' : `config ${config.path}`;
    const what = e instanceof KernelError ? e.message : `a plugin failed: ${String(e)}`;
    throw new CliError(`${where}: ${what}`, EXIT.CONFIG);
  }
}
