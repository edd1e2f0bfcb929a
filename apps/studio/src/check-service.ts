import type { Zkvm } from '@nexus/sdk';
import { loadElf } from '@nexus/vm';
import type { CellRef } from './cell-edit.js';
import {
  type BusImbalance,
  type BusScope,
  type CellEdit,
  checkWindow,
  type FailingConstraint,
  type RowRef,
  type RowView,
  rowsForCycle,
  rowView,
  statementNets,
  type WindowCheck,
  windowNets,
} from './constraint-check.js';
import { RunBalance } from './run-balance.js';
import { TraceBuilder, type TraceWindow } from './trace-window.js';

/** What a check found and covered, as plain data (it crosses to the page from the worker). */
export interface CheckSummary {
  readonly windowIndex: number;
  readonly windowCount: number;
  readonly firstCycle: number;
  readonly lastCycle: number;
  readonly whole: boolean;
  readonly components: number;
  readonly rows: number;
  readonly constraints: number;
  readonly edits: readonly CellEdit[];
  readonly failures: readonly FailingConstraint[];
  readonly truncated: readonly string[];
  readonly imbalances: readonly BusImbalance[] | undefined;
  readonly busScope: BusScope;
  /** Milliseconds spent building (0 when the window was built already) and checking. */
  readonly buildMs: number;
  readonly checkMs: number;
}

/** How far the run's bus check (window by window) has come; its result once every window is in. */
export interface RunBusCheck {
  readonly windows: number;
  readonly windowCount: number;
  /** With every window in: the tuples unbalanced in the run (at most 200), else undefined. */
  readonly unbalanced: readonly BusImbalance[] | undefined;
  /** Tuples open so far (the borders of the windows to come, for an honest run). */
  readonly open: number;
}

/** The rows that prove a cycle and one row in full (the one asked for, else the first). */
export interface CycleRows {
  readonly rows: readonly RowRef[];
  readonly view: RowView | undefined;
}

const sameEdits = (a: readonly CellEdit[], b: readonly CellEdit[]) =>
  a.length === b.length &&
  a.every(
    (e, i) =>
      e.component === b[i]!.component &&
      e.column === b[i]!.column &&
      e.row === b[i]!.row &&
      e.value === b[i]!.value,
  );

/**
 * The constraint view's work for one guest, kept where it runs (a Web Worker in the page, so
 * building a window far into a long run never freezes it; plain calls in tests): the trace
 * builder, the window last built and its check.
 *
 * @example
 * const s = new CheckService(createZkvm(), guest);
 * const summary = s.check(1200, []);       // builds the window of cycle 1200 and checks it
 * const { rows, view } = s.rows(1200);    // the rows proving cycle 1200, the first in full
 */
export class CheckService {
  private readonly builder: TraceBuilder;
  private window: TraceWindow | undefined;
  private current: WindowCheck | undefined;
  private balance: RunBalance | undefined;

  /** Runs the guest once (pass 1); throws the VM's error for a run that does not exit. */
  constructor(
    zkvm: Zkvm,
    guest: {
      readonly elf: Uint8Array;
      readonly publicInput: Uint8Array;
      readonly privateInput: Uint8Array;
    },
  ) {
    this.builder = new TraceBuilder(zkvm, loadElf(guest.elf), guest);
  }

  get cycles(): number {
    return this.builder.cycles;
  }

  get windowCount(): number {
    return this.builder.windowCount;
  }

  windowIndex(cycle: number): number {
    return this.builder.windowIndex(cycle);
  }

  /**
   * One step of preparing deep jumps while idle (pass 2 to its next checkpoint, a few windows:
   * a tenth of a second or so); false when there is nothing left to prepare.
   */
  prepareAhead(): boolean {
    return this.builder.prepareAhead();
  }

  /**
   * Adds the next `windows` windows of a long run (in order, built as built: no edits) to the
   * run's bus check (RunBalance); once all are in, `unbalanced` lists the run's unbalanced
   * tuples. A run of one window is checked whole by `check` already: this throws for it.
   */
  checkRunBuses(windows: number): RunBusCheck {
    const count = this.builder.windowCount;
    if (count === 1)
      throw new Error("a run of one window is checked whole: its buses are in 'check'");
    if (this.balance === undefined) this.balance = new RunBalance(count);
    const b = this.balance;
    for (let k = 0; k < windows && b.windows < count; k++) {
      const next = this.builder.nextInOrder();
      if (next === undefined) throw new Error(`the run ended before window ${b.windows}`);
      if (next.index === 0) b.addStatement(statementNets(next.window));
      b.add(next.index, windowNets(next.window));
    }
    return {
      windows: b.windows,
      windowCount: count,
      unbalanced: b.done ? b.unbalanced(200) : undefined,
      open: b.open,
    };
  }

  /** Checks the window of `cycle` with `edits` applied (building the window when it is another). */
  check(cycle: number, edits: readonly CellEdit[]): CheckSummary {
    const index = this.builder.windowIndex(cycle);
    let t = performance.now();
    if (this.window === undefined || this.builder.windowIndex(this.window.firstCycle) !== index) {
      this.window = undefined;
      this.current = undefined;
      this.window = this.builder.windowFor(cycle);
    }
    const buildMs = performance.now() - t;
    t = performance.now();
    if (this.current?.window !== this.window || !sameEdits(this.current.edits, edits))
      this.current = checkWindow(this.window, edits);
    const c = this.current;
    return {
      windowIndex: index,
      windowCount: this.builder.windowCount,
      firstCycle: this.window.firstCycle,
      lastCycle: this.window.lastCycle,
      whole: this.window.whole,
      components: c.traces.size,
      rows: c.rows,
      constraints: c.constraints,
      edits: c.edits,
      failures: c.failures,
      truncated: c.truncated,
      imbalances: c.imbalances,
      busScope: c.busScope,
      buildMs,
      checkMs: performance.now() - t,
    };
  }

  private checked(): WindowCheck {
    if (this.current === undefined) throw new Error('check a window first');
    return this.current;
  }

  /** The rows of the checked window proving `cycle`, and `row` (else the first of them) in full. */
  rows(cycle: number, row?: Omit<RowRef, 'cycle'>): CycleRows {
    const c = this.checked();
    const rows = rowsForCycle(c, cycle);
    const shown = row ?? rows[0];
    return { rows, view: shown === undefined ? undefined : rowView(c, shown.component, shown.row) };
  }

  /** A cell's value as built (before any edit): what `+1` in a break is counted from. */
  honest(ref: CellRef): number {
    const w = this.checked().window;
    const air = w.system.components.find((a) => a.name === ref.component);
    if (air === undefined) throw new Error(`this build has no component ${ref.component}`);
    const trace = w.traces.get(ref.component);
    if (trace === undefined)
      throw new Error(
        `component ${ref.component} has no rows in cycles ${w.firstCycle}..${w.lastCycle}`,
      );
    const column = air.component.columns.indexOf(ref.column);
    if (column < 0) throw new Error(`component ${ref.component} has no column ${ref.column}`);
    const v = trace.columns[column]![ref.row];
    if (v === undefined)
      throw new Error(
        `${ref.component} has rows 0..${2 ** trace.logSize - 1} here, not ${ref.row}`,
      );
    return v;
  }
}
