import {
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_PAIR,
  BITWISE_XOR,
  buildTraces,
  type ZkvmComponent,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { Mutation, TracedRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import {
  analyzeComponent,
  assembleSystem,
  findConstraintFailures,
  findUnbalancedTuples,
  isFirstColumn,
  type Plugin,
  type UnbalancedTuple,
} from '@nexus/kernel';
import { program } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';

/*
 * Test support shared (by copy) by this family's tests; a candidate for @nexus/air-testing.
 */

const P = 0x7fffffff;

/** The buses whose other side is a fixed table (or the preprocessed program). */
const TABLE_RELATIONS = new Set(['program', 'bitwise', 'range16', 'range11']);

/**
 * Runs the family's component together with the program, bitwise and range-check tables and
 * returns the unbalanced tuples of the table buses. Empty means: every program tuple a row uses
 * is the program's own (op id, fields, immediate encodings), and the lookups the trace counted
 * are exactly the ones its bus entries make (the tables' multiplicities come from the counts).
 */
export function tableImbalance(run: TracedRun, family: Plugin): UnbalancedTuple[] {
  const system = assembleSystem([blake2s(), program(), bitwise(), rangeCheck(), family]);
  const traces = buildTraces(system, run.context());
  const inputs = system.components
    .filter((air) => traces.has(air.name))
    .map((air) => {
      const trace = traces.get(air.name)!;
      const cache = new Map<string, Uint32Array>();
      const preprocessed = (id: string) => {
        let col = cache.get(id);
        if (col === undefined) {
          col =
            id === 'is_first'
              ? isFirstColumn(trace.logSize)
              : system.preprocessed.get(id)!.generate(run.statement, trace.logSize);
          cache.set(id, col);
        }
        return col;
      };
      return { air, trace, preprocessed };
    });
  return findUnbalancedTuples(
    inputs,
    system.boundary(run.statement),
    Number.POSITIVE_INFINITY,
  ).filter((t) => TABLE_RELATIONS.has(t.relation));
}

/** Is the tuple a row of the fixed lookup table of its relation? */
function inTable(relation: string, v: readonly number[]): boolean {
  if (relation === 'range16') return v[0]! < 1 << 16;
  if (relation === 'range11') return v[0]! < 1 << 11;
  if (relation !== 'bitwise') return true;
  const [op, a, b, c] = v as [number, number, number, number];
  if (a > 255 || b > 255) return false;
  if (op === BITWISE_PAIR) return c === 0;
  if (op === BITWISE_AND) return c === (a & b);
  if (op === BITWISE_OR) return c === (a | b);
  if (op === BITWISE_XOR) return c === (a ^ b);
  return false;
}

/**
 * Of the given mutations (cells a constraint did not catch), those that no fixed table catches
 * either: a mutation is caught by a table when the mutated trace looks up a tuple the range or
 * bitwise table does not hold (the LogUp sum can then never balance, whatever else the prover
 * does). What is left is a cell the AIR does not determine.
 */
export function notCaughtByTables(
  component: ZkvmComponent,
  ctx: ZkvmTraceContext,
  mutations: readonly Mutation[],
): Mutation[] {
  const air = analyzeComponent(component);
  const trace = component.traceFor(ctx)!;
  const pre = (id: string) => {
    if (id !== 'is_first') throw new Error(`unexpected preprocessed column ${id}`);
    return isFirstColumn(trace.logSize);
  };
  return mutations.filter((m) => {
    const ci = component.columns.indexOf(m.column);
    const cols = trace.columns.slice();
    cols[ci] = trace.columns[ci]!.slice();
    cols[ci]![m.row] = m.to % P;
    const net = findUnbalancedTuples(
      [{ air, trace: { logSize: trace.logSize, columns: cols }, preprocessed: pre }],
      [],
      Number.POSITIVE_INFINITY,
    );
    return !net.some((t) => t.net > 0 && !inTable(t.relation, t.values));
  });
}

/** A cell of a forged trace: column, row and the (field) value put there. */
export interface Edit {
  readonly column: string;
  readonly row: number;
  readonly value: number;
}

/**
 * Forges the honest trace with several cell edits at once (what single-cell mutations cannot
 * show: a wrong result with its witnesses re-solved to satisfy the linear equations) and says
 * what catches it: the labels of the broken constraints, and whether a lookup leaves its table.
 */
export function forge(
  component: ZkvmComponent,
  ctx: ZkvmTraceContext,
  edits: readonly Edit[],
): { readonly constraints: string[]; readonly outsideTables: boolean } {
  const air = analyzeComponent(component);
  const trace = component.traceFor(ctx)!;
  const pre = (id: string) => {
    if (id !== 'is_first') throw new Error(`unexpected preprocessed column ${id}`);
    return isFirstColumn(trace.logSize);
  };
  const cols = trace.columns.slice();
  for (const { column, row, value } of edits) {
    const ci = component.columns.indexOf(column);
    if (ci < 0) throw new Error(`no column ${column}`);
    if (cols[ci] === trace.columns[ci]) cols[ci] = trace.columns[ci]!.slice();
    cols[ci]![row] = ((value % P) + P) % P;
  }
  const forged = { logSize: trace.logSize, columns: cols };
  const failures = findConstraintFailures(air, { trace: forged, preprocessed: pre }, 1000);
  const net = findUnbalancedTuples(
    [{ air, trace: forged, preprocessed: pre }],
    [],
    Number.POSITIVE_INFINITY,
  );
  return {
    constraints: [...new Set(failures.map((f) => f.label))],
    outsideTables: net.some((t) => t.net > 0 && !inTable(t.relation, t.values)),
  };
}
