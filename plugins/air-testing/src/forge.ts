import type { ZkvmComponent, ZkvmTraceContext } from '@nexus/air-common';
import {
  analyzeComponent,
  type ComponentTrace,
  findConstraintFailures,
  findUnbalancedTuples,
  isFirstColumn,
} from '@nexus/kernel';
import { looksUpOutsideTables } from './tables.js';

const P = 0x7fffffff;

/** A cell of a forged trace: column, row and the value put there (any integer, taken mod p). */
export interface Edit {
  readonly column: string;
  readonly row: number;
  readonly value: number;
}

/** What rejects a forged trace. */
export interface Forgery {
  /** The labels of the broken constraints, sorted (each once). */
  readonly constraints: string[];
  /** Whether a row looks up a tuple outside its fixed table (a LogUp sum that cannot balance). */
  readonly outsideTables: boolean;
}

/** A column of a component's trace by name. */
export function columnOf(
  component: ZkvmComponent,
  trace: Pick<ComponentTrace, 'columns'>,
  name: string,
): Uint32Array {
  const i = component.columns.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return trace.columns[i]! as Uint32Array;
}

/**
 * Preprocessed columns for a component checked alone: instruction rows read only is_first
 * (through the kernel's transition constraints); anything else is a test set up wrongly.
 */
export function onlyIsFirst(logSize: number): (id: string) => Uint32Array {
  let col: Uint32Array | undefined;
  return (id) => {
    if (id !== 'is_first') throw new Error(`unexpected preprocessed column ${id}`);
    col ??= isFirstColumn(logSize);
    return col;
  };
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
): Forgery {
  const air = analyzeComponent(component);
  const trace = component.traceFor(ctx);
  if (trace === null) throw new Error(`component ${component.name} has no rows in this run`);
  const columns = trace.columns.slice();
  for (const { column, row, value } of edits) {
    const i = component.columns.indexOf(column);
    if (i < 0) throw new Error(`no column ${column}`);
    if (columns[i] === trace.columns[i]) columns[i] = trace.columns[i]!.slice();
    columns[i]![row] = ((value % P) + P) % P;
  }
  const forged = { logSize: trace.logSize, columns };
  const preprocessed = onlyIsFirst(trace.logSize);
  const failures = findConstraintFailures(air, { trace: forged, preprocessed }, 1000);
  const net = findUnbalancedTuples(
    [{ air, trace: forged, preprocessed }],
    [],
    Number.POSITIVE_INFINITY,
  );
  return {
    constraints: [...new Set(failures.map((f) => f.label))].sort(),
    outsideTables: looksUpOutsideTables(net),
  };
}

/** Mutations to try per cell (checkMutations' `alternatives`): v + 1 and v - 1 (mod p). */
export const plusMinusOne = (_column: string, v: number): number[] => [
  (v + 1) % P,
  (v + P - 1) % P,
];
