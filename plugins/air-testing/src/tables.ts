import {
  BITWISE,
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_PAIR,
  BITWISE_XOR,
  buildTraces,
  PROGRAM,
  RANGE11,
  RANGE16,
} from '@nexus/air-common';
import {
  assembleSystem,
  type BusInput,
  findUnbalancedTuples,
  isFirstColumn,
  type Plugin,
  type UnbalancedTuple,
} from '@nexus/kernel';
import type { TracedRun } from './run.js';

/**
 * Is a looked-up tuple a row of the fixed table of its relation (the range tables and the
 * bitwise table: pair check, AND, OR, XOR over bytes)? Tuples of other relations count as
 * members: only these three tables have a content known without the rest of the system.
 */
export function inFixedTable(relation: string, v: readonly number[]): boolean {
  if (relation === RANGE16.name) return v[0]! < 1 << 16;
  if (relation === RANGE11.name) return v[0]! < 1 << 11;
  if (relation !== BITWISE.name) return true;
  const [op, a, b, c] = v as [number, number, number, number];
  if (a > 255 || b > 255) return false;
  if (op === BITWISE_PAIR) return c === 0;
  if (op === BITWISE_AND) return c === (a & b);
  if (op === BITWISE_OR) return c === (a | b);
  if (op === BITWISE_XOR) return c === (a ^ b);
  return false;
}

/**
 * Does a component's net bus tuples (uses minus yields) look up a tuple its fixed table does
 * not hold? Such a LogUp sum can never balance, whatever the rest of the system does: the table
 * yields only its own rows.
 */
export function looksUpOutsideTables(net: readonly UnbalancedTuple[]): boolean {
  return net.some((t) => t.net > 0 && !inFixedTable(t.relation, t.values));
}

/** The buses whose other side is a table: the preprocessed program and the fixed tables. */
const TABLE_RELATIONS = new Set([PROGRAM.name, BITWISE.name, RANGE16.name, RANGE11.name]);

/**
 * Runs a family's component together with the real tables and returns the unbalanced tuples of
 * the table buses. Empty means: every program tuple a row uses is the program's own (op id,
 * fields, immediate encodings), and the lookups the trace counted are exactly the ones its bus
 * entries make (the tables' multiplicities come from the counts).
 *
 * @param tables the table plugins (hash, program, bitwise, range-check), passed in because
 *   they are tested with this package themselves: depending on them here would be a cycle.
 */
export function tableImbalance(
  run: TracedRun,
  family: Plugin,
  tables: readonly Plugin[],
): UnbalancedTuple[] {
  const system = assembleSystem([...tables, family]);
  const traces = buildTraces(system, run.context());
  const inputs: BusInput[] = [];
  for (const air of system.components) {
    const trace = traces.get(air.name);
    if (trace === undefined) continue;
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
    inputs.push({ air, trace, preprocessed });
  }
  return findUnbalancedTuples(
    inputs,
    system.boundary(run.statement),
    Number.POSITIVE_INFINITY,
  ).filter((t) => TABLE_RELATIONS.has(t.relation));
}
