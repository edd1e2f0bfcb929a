import { buildTraces, type ZkvmComponent, type ZkvmTraceContext } from '@nexus/air-common';
import type { TracedRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import {
  analyzeComponent,
  assembleSystem,
  type ComponentTrace,
  findConstraintFailures,
  findUnbalancedTuples,
  isFirstColumn,
  type Plugin,
  type UnbalancedTuple,
} from '@nexus/kernel';
import { program } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';

/*
 * Test support of this package (the load/store/jump/branch families keep identical copies; a
 * candidate for @nexus/air-testing).
 */

const P = 0x7fffffff;

/** Relations whose other side is a fixed table: the program, bitwise and range tables. */
const TABLES = new Set(['program', 'bitwise', 'range16', 'range11']);

/**
 * The family's component run with the real program, bitwise and range-check tables: the
 * table-bus tuples that do not balance. Empty means every program tuple a row uses is the
 * decoded instruction at its pc, and the trace counted exactly the lookups its rows make.
 */
export function tableImbalance(run: TracedRun, family: Plugin): UnbalancedTuple[] {
  const system = assembleSystem([blake2s(), program(), bitwise(), rangeCheck(), family]);
  const traces = buildTraces(system, run.context());
  const inputs = [];
  for (const air of system.components) {
    const trace = traces.get(air.name);
    if (trace === undefined) continue;
    const pre = new Map<string, Uint32Array>();
    inputs.push({
      air,
      trace,
      preprocessed: (id: string) => {
        let col = pre.get(id);
        if (col === undefined) {
          col =
            id === 'is_first'
              ? isFirstColumn(trace.logSize)
              : system.preprocessed.get(id)!.generate(run.statement, trace.logSize);
          pre.set(id, col);
        }
        return col;
      },
    });
  }
  return findUnbalancedTuples(
    inputs,
    system.boundary(run.statement),
    Number.POSITIVE_INFINITY,
  ).filter((t) => TABLES.has(t.relation));
}

/** Is a looked-up tuple a row of its fixed table (bitwise pairs and range checks)? */
function inTable(relation: string, v: readonly number[]): boolean {
  if (relation === 'range16') return v[0]! < 2 ** 16;
  if (relation === 'range11') return v[0]! < 2 ** 11;
  if (relation === 'bitwise') return v[0] === 0 && v[1]! < 256 && v[2]! < 256 && v[3] === 0;
  return true;
}

/** A cell to overwrite: column, row, value (any integer, taken mod p). */
export interface Edit {
  readonly column: string;
  readonly row: number;
  readonly value: number;
}

/** A column of a trace by name. */
export function columnOf(
  component: ZkvmComponent,
  trace: ComponentTrace,
  name: string,
): Uint32Array {
  const i = component.columns.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return trace.columns[i]! as Uint32Array;
}

/**
 * Forges the honest trace with several edits at once (a wrong execution with its witnesses
 * re-solved, which single-cell mutations cannot show) and reports what rejects it: the labels
 * of the failing constraints, and whether a row looks up a tuple outside the fixed tables
 * (such a LogUp sum can never balance).
 */
export function forge(
  component: ZkvmComponent,
  ctx: ZkvmTraceContext,
  edits: readonly Edit[],
): { constraints: string[]; outsideTables: boolean } {
  const air = analyzeComponent(component);
  const trace = component.traceFor(ctx)!;
  const columns = trace.columns.slice();
  for (const { column, row, value } of edits) {
    const i = component.columns.indexOf(column);
    if (i < 0) throw new Error(`no column ${column}`);
    if (columns[i] === trace.columns[i]) columns[i] = trace.columns[i]!.slice();
    columns[i]![row] = ((value % P) + P) % P;
  }
  const forged = { logSize: trace.logSize, columns };
  const pre = () => isFirstColumn(trace.logSize);
  const failures = findConstraintFailures(air, { trace: forged, preprocessed: pre }, 1000);
  const net = findUnbalancedTuples(
    [{ air, trace: forged, preprocessed: pre }],
    [],
    Number.POSITIVE_INFINITY,
  );
  return {
    constraints: [...new Set(failures.map((f) => f.label))].sort(),
    outsideTables: net.some((t) => t.net > 0 && !inTable(t.relation, t.values)),
  };
}

/** Mutations to try per cell: v + 1 and v - 1 (mod p). */
export const plusMinusOne = (_column: string, v: number): number[] => [
  (v + 1) % P,
  (v + P - 1) % P,
];

/** The bytes of a u32, little-endian. */
export const bytes = (v: number): number[] => [0, 8, 16, 24].map((s) => (v >>> s) & 0xff);
