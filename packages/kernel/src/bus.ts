import { type Column, P } from '@nexus/field';
import type { ComponentAir } from './air.js';
import type { BoundaryEntry, ComponentTrace } from './component.js';
import type { Expr } from './expr.js';
import { MAIN_TREE } from './expr.js';
import { evaluateBase } from './interpret.js';

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
  for (const { air, trace, preprocessed } of inputs) {
    const n = 2 ** trace.logSize;
    for (let row = 0; row < n; row++) {
      const leaf = (e: Expr) => {
        const r = (((row + e.offset) % n) + n) % n;
        if (e.kind === 'pre') return preprocessed(e.name)[r]!;
        if (e.a !== MAIN_TREE)
          throw new Error('bus entries read only main and preprocessed columns');
        return trace.columns[e.b]![r]!;
      };
      for (const entry of air.entries) {
        const [mult, ...values] = evaluateBase([entry.multiplicity, ...entry.values], leaf);
        add(entry.relation.name, values, entry.sign * signed(mult!), `${air.name}@${row}`);
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
