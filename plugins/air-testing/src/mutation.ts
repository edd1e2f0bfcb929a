import type { ZkvmComponent, ZkvmTraceContext } from '@nexus/air-common';
import {
  analyzeComponent,
  type BoundaryEntry,
  type ComponentAir,
  type ComponentTrace,
  findConstraintFailures,
  findUnbalancedTuples,
  isFirstColumn,
} from '@nexus/kernel';
import { looksUpOutsideTables } from './tables.js';

const P = 0x7fffffff;

export interface Mutation {
  readonly column: string;
  readonly row: number;
  readonly from: number;
  readonly to: number;
}

/**
 * What a mutation did, the strongest first: broke a labelled constraint; looked up a tuple its
 * fixed table (range16, range11, bitwise) does not hold, which no prover can balance whatever
 * the rest of the system does; changed the component's bus tuples otherwise (with the rest of
 * the system fixed, a bus imbalance); or nothing observable (the cell is not read on that row,
 * e.g. a padding row or an operand the op does not use: harmless, because a component
 * communicates only through its buses).
 */
export type Outcome = 'constraint' | 'table' | 'bus' | 'unobservable';

export type MutationResult = Mutation & { readonly outcome: Outcome };

export interface MutationReport {
  readonly checked: number;
  readonly results: readonly MutationResult[];
  /**
   * Mutations of `pinned` columns on real rows that no constraint caught (those with outcome
   * `table` are still caught, by a fixed table instead).
   */
  readonly unpinned: readonly MutationResult[];
  /** Mutations on real rows (selector 1) with no observable effect. */
  readonly unobservable: readonly MutationResult[];
}

export interface MutationOptions {
  readonly rows?: readonly number[];
  readonly columns?: readonly string[];
  readonly preprocessed?: (id: string, logSize: number) => Uint32Array;
  /** Values to try instead of v + 1. */
  readonly alternatives?: (column: string, v: number) => readonly number[];
  /**
   * Columns a constraint alone must pin on real rows: the computed results (a changed result
   * that only changes a bus tuple would be a result the AIR does not check).
   */
  readonly pinned?: readonly string[];
  /** The selector column telling real rows from padding (default `sel`). */
  readonly selector?: string;
}

/**
 * The soundness check every component ships (riscv.md section 5), done locally: the honest
 * trace satisfies every constraint; then each single-cell mutation must either break a
 * labelled constraint or change the multiset of tuples the component puts on and takes off
 * its buses. (With the rest of the system fixed, a changed multiset is a bus imbalance.)
 */
export function checkMutations(
  component: ZkvmComponent,
  ctx: ZkvmTraceContext,
  options: MutationOptions = {},
): MutationReport {
  const air = analyzeComponent(component);
  const trace = component.traceFor(ctx);
  if (trace === null) throw new Error(`component ${component.name} has no rows in this run`);
  const pre = (id: string) =>
    id === 'is_first' ? isFirstColumn(trace.logSize) : options.preprocessed!(id, trace.logSize);
  const honestFailures = findConstraintFailures(air, { trace, preprocessed: pre });
  if (honestFailures.length > 0) {
    throw new Error(
      `the honest trace of ${component.name} fails: ${JSON.stringify(honestFailures.slice(0, 3))}`,
    );
  }
  const honest = tuples(air, trace, pre);
  const outcomeOf = (mutated: ComponentTrace): Outcome => {
    if (findConstraintFailures(air, { trace: mutated, preprocessed: pre }, 1).length > 0)
      return 'constraint';
    // Against the honest tuples as boundary: what the mutation added or removed (the whole
    // difference, to see whether an added lookup leaves its table).
    const changed = findUnbalancedTuples(
      [{ air, trace: mutated, preprocessed: pre }],
      honest,
      Number.POSITIVE_INFINITY,
    );
    if (changed.length === 0) return 'unobservable';
    return looksUpOutsideTables(changed) ? 'table' : 'bus';
  };
  const n = 2 ** trace.logSize;
  const rows = options.rows ?? [0, 1, n - 1].filter((r, i, a) => a.indexOf(r) === i && r < n);
  const columns = options.columns ?? component.columns;
  const results: MutationResult[] = [];
  const selector = options.selector ?? 'sel';
  const si = component.columns.indexOf(selector);
  const isReal = (row: number) => si < 0 || trace.columns[si]![row] === 1;
  let checked = 0;
  for (const column of columns) {
    const ci = component.columns.indexOf(column);
    if (ci < 0) throw new Error(`no column ${column}`);
    for (const row of rows) {
      const from = trace.columns[ci]![row]!;
      const tries = options.alternatives?.(column, from) ?? [(from + 1) % P];
      for (const to of tries) {
        if (to === from) continue;
        checked++;
        const cols = trace.columns.slice();
        cols[ci] = trace.columns[ci]!.slice();
        cols[ci]![row] = to;
        const mutated: ComponentTrace = { logSize: trace.logSize, columns: cols };
        results.push({ column, row, from, to, outcome: outcomeOf(mutated) });
      }
    }
  }
  const pinned = new Set(options.pinned ?? []);
  return {
    checked,
    results,
    unpinned: results.filter(
      (r) => pinned.has(r.column) && isReal(r.row) && r.outcome !== 'constraint',
    ),
    unobservable: results.filter((r) => isReal(r.row) && r.outcome === 'unobservable'),
  };
}

/** The component's net bus tuples, negated: as boundary entries they cancel an equal trace. */
function tuples(
  air: ComponentAir,
  trace: ComponentTrace,
  pre: (id: string) => Uint32Array,
): BoundaryEntry[] {
  const net = findUnbalancedTuples(
    [{ air, trace, preprocessed: pre }],
    [],
    Number.POSITIVE_INFINITY,
  );
  const byName = new Map(air.entries.map((e) => [e.relation.name, e.relation]));
  return net.map((t) => ({
    relation: byName.get(t.relation)!,
    values: t.values,
    multiplicity: -t.net,
  }));
}
