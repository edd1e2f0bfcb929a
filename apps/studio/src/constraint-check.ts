import { P } from '@nexus/field';
import {
  type BusInput,
  type ComponentAir,
  type ComponentTrace,
  evaluateBase,
  findConstraintFailures,
  findUnbalancedTuples,
  MAIN_TREE,
  type UnbalancedTuple,
} from '@nexus/kernel';
import type { TraceWindow } from './trace-window.js';

/** Failures listed per component at most (a broken column fails on every row). */
const FAILURE_LIMIT = 200;
/** Unbalanced tuples listed at most. */
const TUPLE_LIMIT = 200;

/** One cell of a component's trace set to a value: how a broken trace is made. */
export interface CellEdit {
  readonly component: string;
  readonly column: string;
  readonly row: number;
  /** A field element, 0 <= value < p. */
  readonly value: number;
}

/** A place in the traces: a component's row, and the cycle it proves when it has a clk column. */
export interface RowRef {
  readonly component: string;
  readonly row: number;
  readonly cycle: number | undefined;
}

/** A labelled constraint that does not hold on a row, with its value there (non-zero). */
export interface FailingConstraint extends RowRef {
  readonly label: string;
  readonly value: number;
}

/** A bus tuple whose uses and yields do not cancel, with where it was seen. */
export interface BusImbalance {
  readonly relation: string;
  readonly values: readonly number[];
  /** Uses minus yields. */
  readonly net: number;
  /** Rows it was seen at (a few), and whether the statement's boundary has it. */
  readonly rows: readonly RowRef[];
  readonly inStatement: boolean;
}

/**
 * What the bus check covered: 'whole' (the whole run with the statement: every bus must
 * balance), 'edits' (a window of a long run with broken cells: the tuples the edits unbalance,
 * relative to the window as built) or 'none' (a window of a long run as built).
 */
export type BusScope = 'whole' | 'edits' | 'none';

/** What checking a window found, and what it covered. */
export interface WindowCheck {
  readonly window: TraceWindow;
  /** The traces checked: the window's, with the edits applied. */
  readonly traces: ReadonlyMap<string, ComponentTrace>;
  readonly edits: readonly CellEdit[];
  readonly failures: readonly FailingConstraint[];
  /** Components whose failures were cut at FAILURE_LIMIT. */
  readonly truncated: readonly string[];
  /**
   * Unbalanced tuples (see busScope); undefined for a window of a long run without edits, whose
   * balance with the other segments is not checked.
   */
  readonly imbalances: readonly BusImbalance[] | undefined;
  readonly busScope: BusScope;
  /** Rows and labelled constraints checked, over all components. */
  readonly rows: number;
  readonly constraints: number;
}

/** A row shown in full: its columns and every labelled constraint's value there. */
export interface RowView extends RowRef {
  readonly columns: readonly { readonly name: string; readonly value: number }[];
  readonly constraints: readonly { readonly label: string; readonly value: number }[];
}

function airOf(window: TraceWindow, component: string): ComponentAir {
  const air = window.system.components.find((c) => c.name === component);
  if (air === undefined) throw new Error(`this build has no component ${component}`);
  return air;
}

/**
 * The window's traces with `edits` applied to copies of the edited columns. Throws an Error
 * naming what is wrong with an edit (unknown component or column, row or value out of range).
 */
export function applyEdits(
  window: TraceWindow,
  edits: readonly CellEdit[],
): Map<string, ComponentTrace> {
  const traces = new Map(window.traces);
  for (const e of edits) {
    const air = airOf(window, e.component);
    const trace = traces.get(e.component);
    if (trace === undefined)
      throw new Error(
        `component ${e.component} has no rows in cycles ${window.firstCycle}..${window.lastCycle}`,
      );
    const i = air.component.columns.indexOf(e.column);
    if (i < 0) throw new Error(`component ${e.component} has no column ${e.column}`);
    const n = 2 ** trace.logSize;
    if (!Number.isInteger(e.row) || e.row < 0 || e.row >= n)
      throw new Error(`${e.component} has rows 0..${n - 1} here, not ${e.row}`);
    if (!Number.isInteger(e.value) || e.value < 0 || e.value >= P)
      throw new Error(`a cell holds a field element 0..${P - 1}, not ${e.value}`);
    // The window's traces stay as built: only this copy is broken.
    const columns = trace.columns.slice();
    columns[i] = trace.columns[i]!.slice();
    columns[i]![e.row] = e.value;
    traces.set(e.component, { logSize: trace.logSize, columns });
  }
  return traces;
}

/** The cell of a column by name, or undefined when the component has no such column. */
function cell(air: ComponentAir, trace: ComponentTrace, name: string, row: number) {
  const i = air.component.columns.indexOf(name);
  return i < 0 ? undefined : trace.columns[i]![row]!;
}

/** The cycle a row proves: its clk cell, on a real row (sel 1 where the component has sel). */
function cycleOfRow(air: ComponentAir, trace: ComponentTrace, row: number): number | undefined {
  const clk = cell(air, trace, 'clk', row);
  const sel = cell(air, trace, 'sel', row);
  if (clk === undefined || sel === 0 || clk === 0) return undefined;
  return clk;
}

/**
 * Checks every labelled constraint of every component on every row of the window (the kernel's
 * assert evaluator, as the prover runs it before proving) and, for a whole run, the balance of
 * every bus (the kernel's bus-balance checker, naming the unbalanced tuples).
 *
 * @example
 * const c = checkWindow(builder.windowFor(1), [{ component: 'add', column: 'r0', row: 3, value: 7 }]);
 * c.failures[0]; // { component: 'add', row: 3, cycle: 41, label: 'add: r0 + 256 c0 = ...', value: ... }
 */
export function checkWindow(window: TraceWindow, edits: readonly CellEdit[] = []): WindowCheck {
  const traces = applyEdits(window, edits);
  const failures: FailingConstraint[] = [];
  const truncated: string[] = [];
  const inputs: BusInput[] = [];
  let rows = 0;
  let constraints = 0;
  for (const air of window.system.components) {
    const trace = traces.get(air.name);
    if (trace === undefined) continue;
    const preprocessed = (id: string) => window.preprocessed(id, trace.logSize);
    inputs.push({ air, trace, preprocessed });
    rows += 2 ** trace.logSize;
    constraints += air.constraints.length;
    const found = findConstraintFailures(air, { trace, preprocessed }, FAILURE_LIMIT);
    if (found.length >= FAILURE_LIMIT) truncated.push(air.name);
    const byRow = new Map<number, number[]>();
    for (const f of found) {
      const k = air.constraints.findIndex((c) => c.label === f.label);
      byRow.set(f.row, [...(byRow.get(f.row) ?? []), k]);
    }
    for (const [row, ks] of byRow) {
      const values = constraintValues(window, air, trace, row);
      const cycle = cycleOfRow(air, trace, row);
      for (const k of ks)
        failures.push({
          component: air.name,
          row,
          cycle,
          label: air.constraints[k]!.label,
          value: values[k]!,
        });
    }
  }
  const imbalanceOf = (t: UnbalancedTuple) => imbalanceIn(window, traces, t);
  let imbalances: BusImbalance[] | undefined;
  let busScope: BusScope = 'none';
  if (window.whole) {
    busScope = 'whole';
    imbalances = findUnbalancedTuples(
      inputs,
      window.system.boundary(window.statement),
      TUPLE_LIMIT,
    ).map(imbalanceOf);
  } else if (edits.length > 0) {
    busScope = 'edits';
    imbalances = editedImbalances(window, inputs, edits).map(imbalanceOf);
  }
  return { window, traces, edits, failures, truncated, imbalances, busScope, rows, constraints };
}

/** A tuple the kernel's checker found, with its rows as places in `traces` (cycles included). */
function imbalanceIn(
  window: TraceWindow,
  traces: ReadonlyMap<string, ComponentTrace>,
  t: UnbalancedTuple,
): BusImbalance {
  return {
    relation: t.relation,
    values: t.values,
    net: t.net,
    inStatement: t.seenAt.includes('statement'),
    rows: t.seenAt
      .filter((s) => s !== 'statement')
      .map((s) => {
        const at = s.lastIndexOf('@');
        const component = s.slice(0, at);
        const row = Number(s.slice(at + 1));
        const trace = traces.get(component)!;
        return { component, row, cycle: cycleOfRow(airOf(window, component), trace, row) };
      }),
  };
}

/**
 * Every tuple whose uses and yields do not cancel within a window as built (its border with the
 * other windows, for an honest run), with its net and rows: one window's share of the run's bus
 * check (RunBalance adds the shares up).
 */
export function windowNets(window: TraceWindow): BusImbalance[] {
  const inputs: BusInput[] = [];
  for (const air of window.system.components) {
    const trace = window.traces.get(air.name);
    if (trace === undefined) continue;
    inputs.push({ air, trace, preprocessed: (id) => window.preprocessed(id, trace.logSize) });
  }
  return findUnbalancedTuples(inputs, [], Number.POSITIVE_INFINITY).map((t) =>
    imbalanceIn(window, window.traces, t),
  );
}

/** The statement's boundary tuples (public input and output, program, entry and exit). */
export function statementNets(window: TraceWindow): BusImbalance[] {
  return findUnbalancedTuples(
    [],
    window.system.boundary(window.statement),
    Number.POSITIVE_INFINITY,
  ).map((t) => imbalanceIn(window, window.traces, t));
}

/**
 * The tuples the edits unbalance in a window of a long run: the nets of the edited components'
 * bus entries with the edits, minus their nets as built. Only the edited components' entries
 * change, and the rest of the run is as built, so this is exactly what the edits add to the
 * run's LogUp sum: empty means the broken cells leave the buses as the builder made them. (The
 * window's own balance with the other segments is not checked: that needs every segment.)
 */
function editedImbalances(
  window: TraceWindow,
  inputs: readonly BusInput[],
  edits: readonly CellEdit[],
): UnbalancedTuple[] {
  const edited = new Set(edits.map((e) => e.component));
  const after = inputs.filter((i) => edited.has(i.air.name));
  const before = after.map((i) => ({ ...i, trace: window.traces.get(i.air.name)! }));
  const key = (t: UnbalancedTuple) => `${t.relation}|${t.values.join(',')}`;
  const honest = new Map(
    findUnbalancedTuples(before, [], Number.POSITIVE_INFINITY).map((t) => [key(t), t]),
  );
  const out: UnbalancedTuple[] = [];
  const signed = (v: number) => (v > P / 2 ? v - P : v);
  for (const t of findUnbalancedTuples(after, [], Number.POSITIVE_INFINITY)) {
    const h = honest.get(key(t));
    honest.delete(key(t));
    const net = signed((((t.net - (h?.net ?? 0)) % P) + P) % P);
    if (net !== 0) out.push({ ...t, net });
  }
  // Tuples the edits removed: yielded or used as built, no more.
  for (const h of honest.values()) out.push({ ...h, net: -h.net });
  return out.slice(0, TUPLE_LIMIT);
}

/** Every labelled constraint of a component evaluated on one row (0 where it holds). */
function constraintValues(
  window: TraceWindow,
  air: ComponentAir,
  trace: ComponentTrace,
  row: number,
): number[] {
  const n = 2 ** trace.logSize;
  const at = (offset: number) => (((row + offset) % n) + n) % n;
  return evaluateBase(
    air.constraints.map((c) => c.expr),
    (leaf) => {
      if (leaf.kind === 'pre')
        return window.preprocessed(leaf.name, trace.logSize)[at(leaf.offset)]!;
      if (leaf.a !== MAIN_TREE)
        throw new Error(`${air.name}: a constraint of its own reads an interaction column`);
      return trace.columns[leaf.b]![at(leaf.offset)]!;
    },
  );
}

/** The rows that prove `cycle`: every component row whose clk is that cycle (a real row). */
export function rowsForCycle(check: WindowCheck, cycle: number): RowRef[] {
  const out: RowRef[] = [];
  if (cycle < check.window.firstCycle || cycle > check.window.lastCycle) return out;
  for (const air of check.window.system.components) {
    const trace = check.traces.get(air.name);
    if (trace === undefined) continue;
    const clk = air.component.columns.indexOf('clk');
    if (clk < 0) continue;
    const col = trace.columns[clk]!;
    for (let row = col.indexOf(cycle); row !== -1; row = col.indexOf(cycle, row + 1))
      if (cycleOfRow(air, trace, row) === cycle) out.push({ component: air.name, row, cycle });
  }
  return out;
}

/** A row in full: its cells by column name and every labelled constraint's value. */
export function rowView(check: WindowCheck, component: string, row: number): RowView {
  const air = airOf(check.window, component);
  const trace = check.traces.get(component);
  if (trace === undefined) throw new Error(`component ${component} has no rows in this window`);
  if (row < 0 || row >= 2 ** trace.logSize)
    throw new Error(`${component} has rows 0..${2 ** trace.logSize - 1} here, not ${row}`);
  const values = constraintValues(check.window, air, trace, row);
  return {
    component,
    row,
    cycle: cycleOfRow(air, trace, row),
    columns: air.component.columns.map((name, i) => ({ name, value: trace.columns[i]![row]! })),
    constraints: air.constraints.map((c, k) => ({ label: c.label, value: values[k]! })),
  };
}
