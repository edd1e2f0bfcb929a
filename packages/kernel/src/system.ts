import { SyncHook } from 'tapable';
import { analyzeComponent, type ComponentAir } from './air.js';
import { brand, checkSameKernel } from './brand.js';
import type { BoundaryEntry, Component, PreprocessedColumn, StatementLike } from './component.js';
import { KernelError } from './errors.js';
import { serializeExprs } from './expr.js';
import { HASH_ID, type HashBackend } from './hash.js';
import { IS_FIRST } from './leaves.js';
import type { Relation } from './relation.js';
import { describeSizeRule } from './size.js';

/** Bumped whenever the proof system's mathematics or transcript changes. */
export const PROTOCOL_VERSION = 1;

/**
 * A plugin: a plain object from a factory. `apply` taps the host's hooks, each tap named with
 * the plugin's own name.
 *
 * @example
 * const myPlugin = (): Plugin => ({
 *   name: '@acme/air-popcount', version: '1.0.0',
 *   apply(host) { host.hooks.components.tap('@acme/air-popcount', (r) => r.add(popcount)); },
 * });
 */
export interface Plugin {
  readonly name: string;
  readonly version: string;
  apply(host: PluginHost): void;
}

/** Plugins and presets (arrays of plugins, nested arbitrarily), flattened in order. */
export type PluginInput = Plugin | readonly PluginInput[];

export interface HashRegistry {
  set(backend: HashBackend): void;
}
export interface ComponentRegistry {
  add(component: Component<unknown>): void;
}
export interface PreprocessedRegistry {
  add(column: PreprocessedColumn): void;
}
export interface BoundaryRegistry {
  /** A function from the statement to the bus entries the statement contributes. */
  add(fn: (statement: StatementLike) => readonly BoundaryEntry[]): void;
}
/** Open-ended registrations for other packages (e.g. VM opcodes and syscalls of a precompile). */
export interface ExtensionRegistry {
  add(kind: string, value: unknown): void;
}

/**
 * The hooks, declared once, in lifecycle order: the hash backend first (everything else is
 * hashed with it), then components, preprocessed columns, boundary terms and extensions, and
 * `assembled` once the system is frozen.
 */
export class PluginHost {
  readonly hooks = Object.freeze({
    hashBackend: new SyncHook<[HashRegistry]>(['registry']),
    components: new SyncHook<[ComponentRegistry]>(['registry']),
    preprocessed: new SyncHook<[PreprocessedRegistry]>(['registry']),
    boundary: new SyncHook<[BoundaryRegistry]>(['registry']),
    extensions: new SyncHook<[ExtensionRegistry]>(['registry']),
    assembled: new SyncHook<[System]>(['system']),
  });
}

/** An assembled, frozen system: what a prover proves and a verifier checks against. */
export interface System {
  readonly plugins: readonly { readonly name: string; readonly version: string }[];
  readonly hash: HashBackend;
  /** Sorted by name: proofs never depend on install or registration order. */
  readonly components: readonly ComponentAir[];
  readonly relations: readonly Relation[];
  /** Registered preprocessed columns by id (the built-in `is_first` columns are implicit). */
  readonly preprocessed: ReadonlyMap<string, PreprocessedColumn>;
  /** The statement's boundary bus entries, from every plugin that registered some. */
  boundary(statement: StatementLike): BoundaryEntry[];
  /** Everything registered under an extension kind, in plugin order. */
  extensions(kind: string): readonly unknown[];
  /** The same, each with the plugin that registered it (the tap's name, not a claim). */
  extensionEntries(kind: string): readonly { readonly owner: string; readonly value: unknown }[];
  /** The plugin that registered a component. */
  componentOwner(name: string): string | undefined;
  /**
   * Hash of what verification depends on that can be stated as data: plugin names, relations,
   * components with their layouts, size rules and constraint IR; never npm versions (see
   * assembleSystem for what is and is not bound).
   */
  readonly digest: Uint8Array;
}

export function flattenPlugins(input: PluginInput): Plugin[] {
  if (Array.isArray(input)) return (input as readonly PluginInput[]).flatMap(flattenPlugins);
  const p = input as Plugin;
  if (
    p === null ||
    typeof p !== 'object' ||
    typeof p.name !== 'string' ||
    typeof p.apply !== 'function'
  ) {
    throw new KernelError(
      `not a plugin: ${JSON.stringify(p)?.slice(0, 80)}; a plugin is an object { name, version, apply(host) }`,
    );
  }
  return [p];
}

/**
 * Analyses and IR serializations by component object: a component is a plain object that no
 * one changes once made, and systems are assembled again and again from the same plugins (a
 * server making a zkVM per request, every test), so each component is analysed once per
 * process. A changed component is another object and is analysed anew.
 */
const analyses = new WeakMap<Component<unknown>, ComponentAir>();
const serializations = new WeakMap<ComponentAir, string>();

function analyzed(c: Component<unknown>): ComponentAir {
  let air = analyses.get(c);
  if (air === undefined) {
    air = analyzeComponent(c);
    analyses.set(c, air);
  }
  return air;
}

function serializedIr(a: ComponentAir): string {
  let ir = serializations.get(a);
  if (ir === undefined) {
    ir = serializeExprs([
      ...a.constraints.map((c) => c.expr),
      ...a.entries.flatMap((e) => [e.multiplicity, ...e.values]),
    ]);
    serializations.set(a, ir);
  }
  return ir;
}

/**
 * The names of the components a plugin registers, found by applying it alone to a scratch host
 * (nothing is assembled). What a build uses to name the plugin that proves a table, without a
 * hand-kept list.
 *
 * @example componentsOf(add()) // ['add']
 */
export function componentsOf(plugin: Plugin): string[] {
  const host = new PluginHost();
  plugin.apply(host);
  const names: string[] = [];
  for (const tap of host.hooks.components.taps) {
    (tap as unknown as { fn: (r: ComponentRegistry) => void }).fn({
      add: (c) => names.push(c.name),
    });
  }
  return names;
}

/**
 * The extensions of one kind a plugin registers, without assembling a system (what a build
 * lacking the plugin would miss; the SDK names plugins by them).
 */
export function extensionsOf(plugin: Plugin, kind: string): unknown[] {
  const host = new PluginHost();
  plugin.apply(host);
  const values: unknown[] = [];
  for (const tap of host.hooks.extensions.taps) {
    (tap as unknown as { fn: (r: ExtensionRegistry) => void }).fn({
      add: (k, value) => {
        if (k === kind) values.push(value);
      },
    });
  }
  return values;
}

/**
 * Assembles a system from plugins: applies each, runs the hooks in lifecycle order, analyses
 * every component, checks relations for consistent arities, and computes the system digest.
 *
 * @throws KernelError naming the plugin or component at fault.
 */
export function assembleSystem(input: PluginInput): System {
  const plugins = flattenPlugins(input);
  const names = new Set<string>();
  for (const p of plugins) {
    if (names.has(p.name)) throw new KernelError(`plugin ${p.name} is listed twice`);
    if (typeof p.version !== 'string' || p.version.length === 0) {
      throw new KernelError(`plugin ${p.name} has no version`);
    }
    names.add(p.name);
  }
  const host = new PluginHost();
  for (const p of plugins) {
    const before = new Map(Object.entries(host.hooks).map(([k, h]) => [k, h.taps.length]));
    p.apply(host);
    for (const [k, h] of Object.entries(host.hooks)) {
      for (const tap of h.taps.slice(before.get(k))) {
        if (tap.name !== p.name) {
          throw new KernelError(
            `plugin ${p.name} tapped hook ${k} under the name ${JSON.stringify(tap.name)}; taps must be named with the plugin's name`,
          );
        }
      }
    }
  }

  let hash: HashBackend | undefined;
  let hashOwner = '';
  const current = { plugin: '' };
  // Run each hook tap by tap so registrations know which plugin made them.
  const runHook = <T>(hook: SyncHook<[T]>, registryFor: () => T) => {
    for (const tap of hook.taps) {
      current.plugin = tap.name;
      (tap as unknown as { fn: (r: T) => void }).fn(registryFor());
    }
  };

  runHook(host.hooks.hashBackend, () => ({
    set(backend: HashBackend) {
      if (hash !== undefined) {
        throw new KernelError(
          `two hash backends: ${hashOwner} and ${current.plugin}; a system has exactly one`,
        );
      }
      if (typeof backend.id !== 'string' || !HASH_ID.test(backend.id)) {
        throw new KernelError(
          `${current.plugin}: hash backend id ${JSON.stringify(backend.id)} is not allowed: lower-case letters, digits, '.', '_' and '-', at most 64 characters`,
        );
      }
      hash = backend;
      hashOwner = current.plugin;
    },
  }));
  if (hash === undefined) {
    throw new KernelError(
      'no hash backend: add a hash plugin such as @nexus/hash-blake2s to the plugin list',
    );
  }

  const components = new Map<string, { c: Component<unknown>; owner: string }>();
  runHook(host.hooks.components, () => ({
    add(c: Component<unknown>) {
      const prev = components.get(c.name);
      if (prev) {
        throw new KernelError(
          `component ${c.name} is registered by both ${prev.owner} and ${current.plugin}`,
        );
      }
      components.set(c.name, { c, owner: current.plugin });
    },
  }));

  const preprocessed = new Map<string, PreprocessedColumn>();
  runHook(host.hooks.preprocessed, () => ({
    add(col: PreprocessedColumn) {
      if (col.id === IS_FIRST) {
        throw new KernelError(`preprocessed id ${col.id} is reserved (built in)`);
      }
      if (preprocessed.has(col.id))
        throw new KernelError(`preprocessed column ${col.id} is registered twice`);
      preprocessed.set(col.id, col);
    },
  }));

  const boundaryFns: ((s: StatementLike) => readonly BoundaryEntry[])[] = [];
  runHook(host.hooks.boundary, () => ({
    add: (fn: (s: StatementLike) => readonly BoundaryEntry[]) => boundaryFns.push(fn),
  }));

  const extensions = new Map<string, { owner: string; value: unknown }[]>();
  runHook(host.hooks.extensions, () => ({
    add(kind: string, value: unknown) {
      const list = extensions.get(kind) ?? [];
      list.push(Object.freeze({ owner: current.plugin, value }));
      extensions.set(kind, list);
    },
  }));

  const airs = [...components.values()]
    .map(({ c }) => analyzed(c))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const relations = new Map<string, Relation>();
  for (const air of airs) {
    for (const e of air.entries) {
      const prev = relations.get(e.relation.name);
      if (prev && prev.arity !== e.relation.arity) {
        throw new KernelError(
          `relation ${e.relation.name} is used with arities ${prev.arity} and ${e.relation.arity}`,
        );
      }
      if (prev && prev.maxUses !== e.relation.maxUses) {
        throw new KernelError(
          `relation ${e.relation.name} is declared with use bounds ${prev.maxUses} and ${e.relation.maxUses}`,
        );
      }
      relations.set(e.relation.name, e.relation);
    }
    for (const id of air.preprocessedMasks.keys()) {
      if (id !== IS_FIRST && !preprocessed.has(id)) {
        throw new KernelError(
          `component ${air.name} reads preprocessed column ${id}, which no plugin registers`,
        );
      }
    }
  }
  const ownerOf = new Map([...components.values()].map(({ c, owner }) => [c.name, owner]));
  const lookups = checkLookupRelations(airs, ownerOf);
  const sortedRelations = [...relations.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const pluginList = plugins.map((p) => ({ name: p.name, version: p.version }));

  // The system digest binds what verification depends on, not npm versions: a patch release of
  // a plugin with the same constraints verifies the proofs of the last one, and any change to
  // what is bound (a plugin added or renamed, a relation's arity or use bound, a preprocessed
  // id, a component's name, columns, size rule, constraint labels, bus entries or constraint
  // IR) gives another digest.
  //
  // Not bound, because it is code rather than data: the function of a `statement` size rule
  // (only its kind is), the generators of preprocessed columns, boundary functions, extensions
  // and trace generators. Plugin names stand in for them, coarsely. None of these is taken from
  // the proof: the verifier runs its own (it checks claimed sizes against its own rules, builds
  // the preprocessed columns itself and compares the root, computes the boundary terms from the
  // statement), so a prover that disagrees fails a later check ('shape', 'statement',
  // 'logup-sum') instead of 'system'. Changing one of them changes which statements a plugin
  // accepts: release it as a breaking change of that plugin.
  const description = {
    protocol: PROTOCOL_VERSION,
    hash: hash.id,
    plugins: plugins.map((p) => p.name).sort(),
    relations: sortedRelations.map((r) => [r.name, r.arity, r.maxUses]),
    preprocessed: [...preprocessed.keys()].sort(),
    components: airs.map((a) => ({
      name: a.name,
      size: describeSizeRule(a.size),
      // Bound only when set, so systems without segment-scoped components keep their digest.
      ...(a.component.scope === 'once' ? { scope: 'once' } : {}),
      columns: a.component.columns,
      constraints: a.constraints.map((c) => c.label),
      entries: a.entries.map((e) => [e.relation.name, e.sign, e.bound]),
      ir: serializedIr(a),
    })),
  };
  const digest = hash.hash(new TextEncoder().encode(JSON.stringify(description)), 'system');

  const system: System = {
    plugins: Object.freeze(pluginList),
    hash,
    components: Object.freeze(airs),
    relations: Object.freeze(sortedRelations),
    preprocessed,
    boundary: (statement: StatementLike) => {
      const entries = boundaryFns.flatMap((fn) => [...fn(statement)]);
      for (const e of entries) {
        checkSameKernel(e.relation, 'the relation of a boundary entry');
        if (!Number.isSafeInteger(e.multiplicity) || Math.abs(e.multiplicity) >= 0x7fffffff) {
          throw new KernelError(
            `a boundary entry on ${e.relation.name} has multiplicity ${e.multiplicity}: it must be an integer of absolute value below p`,
          );
        }
        // A lookup's tuples are counted by its table; the statement has no count to give.
        if (lookups.has(e.relation.name)) {
          throw new KernelError(
            `a boundary entry is on ${e.relation.name}, a lookup relation (a table yields it): only components may use it`,
          );
        }
      }
      return entries;
    },
    extensions: (kind: string) => Object.freeze((extensions.get(kind) ?? []).map((e) => e.value)),
    extensionEntries: (kind: string) => Object.freeze([...(extensions.get(kind) ?? [])]),
    componentOwner: (name: string) => components.get(name)?.owner,
    digest,
  };
  // Marked as this copy's (brand.ts): a prover or verifier of another kernel copy refuses it.
  Object.freeze(brand(system));
  host.hooks.assembled.call(system);
  return system;
}

/**
 * A relation with a `table` entry is a lookup: its table yields tuples with a count column the
 * prover fills freely (no bound is counted for it). That is sound only if every other entry on
 * the relation is a bounded use: then, per tuple outside the tables, the bounded uses must
 * cancel to 0 mod p, and their total stays below p, so they are 0; a tuple in a table may be
 * used any number of times. A second, bounded yielder would let a count of p - 1 (which acts
 * as -1) absorb its tuples, and a table-side use would be a yield in disguise. A lookup's
 * tables all come from one plugin: relation names are global, and another plugin's table on
 * `range16` would widen every range check that relies on it. Returns the names of the lookup
 * relations.
 *
 * @throws KernelError naming the relation and the component (or plugins) at fault.
 */
function checkLookupRelations(
  airs: readonly ComponentAir[],
  ownerOf: ReadonlyMap<string, string>,
): Set<string> {
  const lookups = new Set<string>();
  const tableOwner = new Map<string, string>();
  for (const air of airs) {
    for (const e of air.entries) {
      if (e.bound !== 'table') continue;
      const name = e.relation.name;
      lookups.add(name);
      const owner = ownerOf.get(air.name)!;
      const first = tableOwner.get(name);
      if (first !== undefined && first !== owner) {
        throw new KernelError(
          `lookup relation ${name} has tables from plugins ${first} and ${owner}: a lookup's tables are one plugin's (another table would change what every use of ${name} proves); define a relation of your own`,
          { component: air.name },
        );
      }
      tableOwner.set(name, owner);
    }
  }
  for (const air of airs) {
    for (const e of air.entries) {
      if (!lookups.has(e.relation.name)) continue;
      if (e.bound === 'table' && e.sign !== -1) {
        throw new KernelError(
          `component ${air.name}: ${e.label} is a table entry that uses; a table only yields (its count column says how often)`,
          { component: air.name },
        );
      }
      if (e.bound !== 'table' && e.sign !== 1) {
        throw new KernelError(
          `component ${air.name}: ${e.label} yields on ${e.relation.name}, a lookup relation whose table yields with a free count column; on a lookup every other entry must be a use (a count of p - 1 acts as -1 and would absorb the yielded tuples)`,
          { component: air.name },
        );
      }
    }
  }
  return lookups;
}
