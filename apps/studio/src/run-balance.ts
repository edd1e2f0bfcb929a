import { P } from '@nexus/field';
import type { BusImbalance, RowRef } from './constraint-check.js';

/** Rows kept per tuple (where it was used or yielded, in any window). */
const ROWS_KEPT = 4;

/**
 * The run's bus balance, added up window by window: a long run is built one window (a segment
 * of the run) at a time, and a window's tuples balance only with the other windows'. Summing
 * every window's nets, and the statement's boundary once, is exactly the check of the whole
 * run's LogUp sum (what a segmented proof's verifier checks: the segments' sums add up to the
 * boundary's), so the tuples left non-zero once every window is in are the run's unbalanced ones,
 * each with rows in the windows that use or yield it. A window's own unbalanced tuples are those
 * with a row in it. Tuples whose net reaches 0 are dropped as the windows come in, so memory
 * holds the tuples open across windows (about the words accessed), not every tuple of the run.
 *
 * @example
 * const b = new RunBalance(builder.windowCount);
 * b.addStatement(statementNets(w0));
 * for (let k = 0; k < builder.windowCount; k++) b.add(k, windowNets(windowK));
 * b.unbalanced(200); // [] for an honest run
 */
export class RunBalance {
  private readonly tuples = new Map<
    string,
    {
      relation: string;
      values: readonly number[];
      net: number;
      rows: RowRef[];
      inStatement: boolean;
    }
  >();
  private next = 0;
  private statement = false;

  constructor(readonly windowCount: number) {}

  /** Windows added so far (they come in order). */
  get windows(): number {
    return this.next;
  }

  /** Whether every window and the statement are in: `unbalanced` is then the run's check. */
  get done(): boolean {
    return this.statement && this.next === this.windowCount;
  }

  private merge(t: BusImbalance, fromStatement: boolean): void {
    const key = `${t.relation}|${t.values.join(',')}`;
    let open = this.tuples.get(key);
    if (open === undefined) {
      open = { relation: t.relation, values: t.values, net: 0, rows: [], inStatement: false };
      this.tuples.set(key, open);
    }
    open.net += t.net;
    open.inStatement ||= fromStatement || t.inStatement;
    for (const r of t.rows) if (open.rows.length < ROWS_KEPT) open.rows.push(r);
    if (open.net % P === 0) this.tuples.delete(key);
  }

  /** Adds window `index`'s nets (windowNets); windows come in order, each once. */
  add(index: number, nets: readonly BusImbalance[]): void {
    if (index !== this.next)
      throw new Error(`window ${index} added to the run's bus check after ${this.next - 1}`);
    for (const t of nets) this.merge(t, false);
    this.next++;
  }

  /** Adds the statement's boundary tuples (statementNets), once. */
  addStatement(nets: readonly BusImbalance[]): void {
    if (this.statement)
      throw new Error("the statement's tuples are in the run's bus check already");
    for (const t of nets) this.merge(t, true);
    this.statement = true;
  }

  /** The tuples with a non-zero net so far (at most `limit`); with `done`, the run's. */
  unbalanced(limit: number): BusImbalance[] {
    const out: BusImbalance[] = [];
    for (const t of this.tuples.values()) {
      if (out.length >= limit) break;
      out.push({ ...t, rows: [...t.rows] });
    }
    return out;
  }

  /** How many tuples are non-zero so far. */
  get open(): number {
    return this.tuples.size;
  }
}
