import { type Column, P } from '@nexus/field';
import type { BusEntry, ComponentAir } from './air.js';
import { type CompiledConstraints, compileConstraints } from './compile.js';
import type { BoundaryEntry, ComponentTrace } from './component.js';
import { leafKey, rotationIndex } from './leaves.js';

/** A tuple whose uses and yields do not cancel, with where it was seen. */
export interface UnbalancedTuple {
  readonly relation: string;
  readonly values: readonly number[];
  /** Net count: uses minus yields (a field element read as a signed integer). */
  readonly net: number;
  /** Up to a few places it appears: `component@row` or `statement`. */
  readonly seenAt: readonly string[];
}

export interface BusInput {
  readonly air: ComponentAir;
  readonly trace: ComponentTrace;
  readonly preprocessed: (id: string) => Column;
}

const signed = (v: number) => (v > P / 2 ? v - P : v);

/** Each component's tuple evaluator, compiled once (mutation tests check thousands of traces). */
const compiledTuples = new WeakMap<ComponentAir, CompiledConstraints>();

/**
 * The bus-balance checker: evaluates every bus entry of every component on every row and
 * reports the tuples whose uses and yields (plus the statement's boundary entries) do not
 * cancel, naming where each was seen. An empty result means every relation balances.
 */
export function findUnbalancedTuples(
  inputs: readonly BusInput[],
  boundary: readonly BoundaryEntry[] = [],
  limit = 20,
): UnbalancedTuple[] {
  const net = new Map<
    string,
    { relation: string; values: number[]; net: number; seenAt: string[] }
  >();
  const add = (relation: string, values: number[], count: number, where: string) => {
    if (count === 0) return;
    const key = `${relation}|${values.join(',')}`;
    let t = net.get(key);
    if (t === undefined) {
      t = { relation, values, net: 0, seenAt: [] };
      net.set(key, t);
    }
    t.net += count;
    if (t.seenAt.length < 4) t.seenAt.push(where);
  };
  for (const input of inputs) {
    const { air, trace } = input;
    const n = 2 ** trace.logSize;
    for (const { entry, multiplicity, values } of evaluateBusEntries(input)) {
      for (let row = 0; row < n; row++) {
        const m = multiplicity[row]!;
        if (m === 0) continue;
        add(
          entry.relation.name,
          values.map((v) => v[row]!),
          entry.sign * signed(m),
          `${air.name}@${row}`,
        );
      }
    }
  }
  for (const b of boundary) add(b.relation.name, [...b.values], b.multiplicity, 'statement');
  const out: UnbalancedTuple[] = [];
  for (const t of net.values()) {
    if (t.net % P !== 0) {
      out.push(t);
      if (out.length >= limit) break;
    }
  }
  return out;
}

/** One bus entry of a component evaluated on every row of its trace. */
export interface EvaluatedEntry {
  readonly entry: BusEntry;
  /** The multiplicity per row (a field element; the entry's sign is not applied). */
  readonly multiplicity: Uint32Array;
  /** Each tuple value per row. */
  readonly values: readonly Uint32Array[];
}

/**
 * The compiled write-mode code of a component's bus entries (cached per component): root
 * order is each entry's multiplicity then its values, as evaluateEntriesAt lays them out.
 */
export function busEntryCode(air: ComponentAir): CompiledConstraints {
  let compiled = compiledTuples.get(air);
  if (!compiled) {
    const roots = air.entries.flatMap((e) => [e.multiplicity, ...e.values]);
    compiled = compileConstraints(roots, leafKey, 'write');
    compiledTuples.set(air, compiled);
  }
  return compiled;
}

/**
 * Columns for every bus entry's multiplicity and tuple values at n points, views of one
 * allocation of `alloc` (a component has tens of them; zeroed Uint32Arrays one by one were a
 * visible share of a small proof's time): `outs` in busEntryCode's root order, to be written
 * by it in write mode, and the entries over them.
 */
export function entryColumns(
  air: ComponentAir,
  n: number,
  alloc: (words: number) => Uint32Array = (words) => new Uint32Array(words),
): { outs: Uint32Array[]; entries: EvaluatedEntry[] } {
  let roots = 0;
  for (const e of air.entries) roots += 1 + e.values.length;
  const block = alloc(roots * n);
  const outs = Array.from({ length: roots }, (_, k) => block.subarray(k * n, (k + 1) * n));
  let k = 0;
  const entries = air.entries.map((entry) => {
    const multiplicity = outs[k++]!;
    const values = entry.values.map(() => outs[k++]!);
    return { entry, multiplicity, values };
  });
  return { outs, entries };
}

/**
 * Every bus entry's multiplicity and tuple values at n points, by code compiled once per
 * component and shared by everything that evaluates entries: the bus checks on trace rows
 * (evaluateBusEntries), the prover's interaction trace and its composition on the extended
 * domain. `column(key)` gives a leaf's column (slot keys of leaves.ts); `idx(offset)` maps
 * each point to the point `offset` rows on (null for offset 0); `alloc` allocates the result's
 * memory (entryColumns).
 */
export function evaluateEntriesAt(
  air: ComponentAir,
  n: number,
  column: (key: string) => Column,
  idx: (offset: number) => Int32Array | null,
  alloc?: (words: number) => Uint32Array,
): EvaluatedEntry[] {
  if (air.entries.length === 0) return [];
  const compiled = busEntryCode(air);
  const { outs, entries } = entryColumns(air, n, alloc);
  compiled.run({
    start: 0,
    end: n,
    cols: compiled.slots.map(column),
    idx: compiled.offsets.map(idx),
    params: new Uint32Array(0),
    outs,
  });
  return entries;
}

/**
 * Evaluates every bus entry of a component on every row of its trace, with the compiled
 * evaluator (interpreting the expressions row by row was the slow part of mutation tests).
 */
export function evaluateBusEntries({ air, trace, preprocessed }: BusInput): EvaluatedEntry[] {
  const n = 2 ** trace.logSize;
  return evaluateEntriesAt(
    air,
    n,
    (key) => {
      if (key.startsWith('p:')) return preprocessed(key.slice(2));
      if (!key.startsWith('m:'))
        throw new Error('bus entries read only main and preprocessed columns');
      return trace.columns[Number(key.slice(2))]!;
    },
    (o) => (o === 0 ? null : rotationIndex(n, o)),
  );
}
