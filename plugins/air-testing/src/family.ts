import { writeColumns, type ZkvmComponent, type ZkvmTraceContext } from '@nexus/air-common';
import {
  analyzeComponent,
  type ComponentTrace,
  type ConstraintFailure,
  findConstraintFailures,
  type Plugin,
  type UnbalancedTuple,
} from '@nexus/kernel';
import { columnOf, type Edit, type Forgery, forge, onlyIsFirst } from './forge.js';
import {
  checkMutations,
  type Mutation,
  type MutationOptions,
  type MutationReport,
} from './mutation.js';
import type { TracedRun } from './run.js';
import { tableImbalance } from './tables.js';

/** The checks of an instruction family's tests, bound to its component and plugin. */
export interface FamilyChecks {
  /** checkMutations on the family's component. */
  mutations(ctx: ZkvmTraceContext, options?: MutationOptions): MutationReport;
  /** forge on the family's component. */
  forge(ctx: ZkvmTraceContext, edits: readonly Edit[]): Forgery;
  /** The table-bus tuples of a run that do not balance against the real tables. */
  tableImbalance(run: TracedRun): UnbalancedTuple[];
  /** A column of the family's trace by name. */
  column(trace: Pick<ComponentTrace, 'columns'>, name: string): Uint32Array;
  /** The constraints a trace of the family breaks (none for an honest one). */
  constraintFailures(trace: ComponentTrace): ConstraintFailure[];
  /** The u32 in the byte columns `${prefix}0..3` (little-endian) at a row. */
  word(trace: Pick<ComponentTrace, 'columns'>, prefix: string, row: number): number;
  /**
   * Is the mutated cell a witness of the rd access (the old value, its timestamp and the gap
   * limbs) on a row whose write is skipped (rd = x0)? There is no access then, so nothing reads
   * those cells: the one expected kind of unobservable mutation on a real row.
   */
  inSkippedRdWrite(trace: Pick<ComponentTrace, 'columns'>, m: Mutation): boolean;
}

/** The witness columns of the rd access, as every family declares them. */
const RD_ACCESS: ReadonlySet<string> = (() => {
  const c = writeColumns('rd');
  return new Set([...c.prev, c.prevTs, c.lo, c.hi].map((h) => h.name));
})();

/**
 * Binds the checks every family test makes to the family's component, its plugin and the real
 * table plugins (hash, program, bitwise, range-check: see tableImbalance for why they are passed
 * in).
 */
export function familyChecks(
  component: ZkvmComponent,
  plugin: Plugin,
  tables: readonly Plugin[],
): FamilyChecks {
  return {
    mutations: (ctx, options) => checkMutations(component, ctx, options),
    forge: (ctx, edits) => forge(component, ctx, edits),
    tableImbalance: (run) => tableImbalance(run, plugin, tables),
    column: (trace, name) => columnOf(component, trace, name),
    constraintFailures: (trace) =>
      findConstraintFailures(analyzeComponent(component), {
        trace,
        preprocessed: onlyIsFirst(trace.logSize),
      }),
    word: (trace, prefix, row) => {
      let v = 0;
      for (let k = 0; k < 4; k++) v |= columnOf(component, trace, `${prefix}${k}`)[row]! << (8 * k);
      return v >>> 0;
    },
    inSkippedRdWrite: (trace, m) =>
      RD_ACCESS.has(m.column) && columnOf(component, trace, 'rd_nz')[m.row] === 0,
  };
}
