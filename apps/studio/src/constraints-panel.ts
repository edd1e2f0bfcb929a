import { formatEdit, parseCellRef, parseCellValue } from './cell-edit.js';
import { CheckClient, type CheckClientLike, CheckStopped } from './check-client.js';
import type { CheckSummary } from './check-service.js';
import type { CellEdit, RowRef } from './constraint-check.js';
import { configBuild, type GuestFiles } from './guest-source.js';
import { ServerCheckClient } from './server-check-client.js';
import { windowCycles, windowIndexOf } from './trace-window.js';
import { renderFailures, renderImbalances, renderRow, renderSummary } from './ui/constraints.js';
import { byId } from './ui/dom.js';
import { renderRunBuses } from './ui/run-buses.js';
import type { UrlState } from './url-state.js';

/** What the panel needs of the debugger. */
export interface ConstraintsHost {
  readonly guest: GuestFiles | undefined;
  readonly cycle: number;
  /** Shows a cycle (which calls `update` back). */
  show(cycle: number): void;
  /** Rewrites the URL after the panel's state changed. */
  writeUrl(): void;
}

/** The opened guest in the check worker, or why it has no trace. */
type Opened =
  | { readonly ok: true; readonly cycles: number }
  | { readonly ok: false; readonly why: string };

/**
 * The Constraints panel: for the shown cycle, the component rows that prove it, a row's columns
 * and every labelled constraint with its value; for a broken trace (cells edited here, or
 * `break=` in the URL) the failing constraints and unbalanced bus entries, each a link to its
 * cycle and row. Traces are built only while the panel is open, one window of cycles at a time
 * (trace-window.ts), in a Web Worker (check-worker.ts), so a long run costs nothing until asked
 * and the page never waits on a build.
 */
export class ConstraintsPanel {
  private client: CheckClientLike | undefined;
  private opened: Promise<Opened> | undefined;
  private summary: CheckSummary | undefined;
  /** The broken cells, and the window whose rows they name. */
  private edits: CellEdit[] = [];
  private editWindow = 0;
  /** A row picked from a list, and the cycle shown when it was picked. */
  private selected: { readonly row: RowRef; readonly at: number } | undefined;
  /** Bumped when another guest opens, so that an answer about the previous one is dropped. */
  private generation = 0;
  /** The cycle to show next, and the loop showing cycles (one request in the worker at a time). */
  private wanted: number | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly host: ConstraintsHost) {
    this.details.addEventListener('toggle', () => {
      this.host.writeUrl();
      if (this.details.open) void this.update(this.host.cycle);
    });
    const cell = byId<HTMLInputElement>('break-cell');
    const value = byId<HTMLInputElement>('break-value');
    const apply = () => void this.breakCell(cell.value, value.value);
    byId('break-apply').addEventListener('click', apply);
    value.addEventListener('keydown', (e) => e.key === 'Enter' && apply());
    byId('break-clear').addEventListener('click', () => void this.setEdits([]));
    byId('run-buses-check').addEventListener('click', () => void this.checkRunBuses());
  }

  /**
   * The run's bus check, one window per call to the worker (each takes about as long as a
   * window's build, so stepping meanwhile waits at most that), shown as it progresses.
   */
  private async checkRunBuses(): Promise<void> {
    const guest = this.host.guest;
    if (guest === undefined) return;
    const generation = this.generation;
    const status = byId('run-buses-status');
    const button = byId<HTMLButtonElement>('run-buses-check');
    button.disabled = true;
    try {
      const { client, opened } = this.open(guest);
      if (!(await opened).ok) return;
      for (;;) {
        const r = await client.call('checkRunBuses', 1);
        if (generation !== this.generation) return;
        renderRunBuses(status, byId('run-buses-list'), r, (row) => this.pick(row));
        if (r.unbalanced !== undefined) return;
      }
    } catch (e) {
      if (e instanceof CheckStopped || generation !== this.generation) return;
      status.textContent = `cannot check the run's buses: ${(e as Error).message}`;
    } finally {
      if (generation === this.generation) button.disabled = false;
    }
  }

  private get details(): HTMLDetailsElement {
    return byId<HTMLDetailsElement>('constraints');
  }

  /** The part of the URL the panel keeps. */
  urlState(): Pick<UrlState, 'constraints' | 'breaks' | 'breakWindow'> {
    const w = this.editWindow ?? 0;
    return {
      ...(this.details.open ? { constraints: true } : {}),
      ...(this.edits.length > 0 ? { breaks: this.edits } : {}),
      ...(this.edits.length > 0 && w > 0 ? { breakWindow: w } : {}),
    };
  }

  /** A guest is being opened: what belonged to the previous one goes; the view's state comes. */
  reset(view: UrlState): void {
    this.client?.stop();
    this.client = undefined;
    byId('run-buses-status').textContent = '';
    byId('run-buses-list').replaceChildren();
    byId<HTMLButtonElement>('run-buses-check').disabled = false;
    this.opened = undefined;
    this.summary = undefined;
    this.selected = undefined;
    this.edits = [...(view.breaks ?? [])];
    this.editWindow = view.breakWindow ?? 0;
    this.generation++;
    this.wanted = undefined;
    this.clear();
    this.status('');
    this.details.open = view.constraints === true || this.edits.length > 0 || this.details.open;
  }

  /**
   * A hash typed or pasted into the address bar for the same guest: its broken cells replace
   * these (the cycle it names is shown by the debugger, which updates the panel).
   */
  applyView(view: UrlState): void {
    const breaks = view.breaks ?? [];
    const same =
      breaks.length === this.edits.length &&
      breaks.every((e, i) => formatEdit(e) === formatEdit(this.edits[i]!));
    if (view.constraints === true || breaks.length > 0) this.details.open = true;
    if (same) return;
    this.edits = [...breaks];
    this.editWindow = view.breakWindow ?? 0;
    this.summary = undefined;
  }

  private status(text: string): void {
    byId('check-status').textContent = text;
  }

  /** The check worker with the guest opened in it (started on first use). */
  private open(guest: GuestFiles): { client: CheckClientLike; opened: Promise<Opened> } {
    if (this.client === undefined || this.opened === undefined) {
      // A config's plugins are loaded only in the nexus debug process: it builds and checks.
      const client = configBuild(guest) !== undefined ? new ServerCheckClient() : new CheckClient();
      this.client = client;
      this.status(`running ${guest.name} for its trace layout…`);
      this.opened = client.call('open', guest).then(
        (r): Opened => ({ ok: true, cycles: r.cycles }),
        (e: Error): Opened => {
          if (e instanceof CheckStopped) throw e;
          return {
            ok: false,
            why: `${guest.name} has no trace to check: ${e.name}: ${e.message} (only a run that exits is proven)`,
          };
        },
      );
    }
    return { client: this.client, opened: this.opened };
  }

  /**
   * Shows `cycle` in the panel, asking the worker to build and check its window first when it
   * is not the one last checked. Calls made while the worker is busy coalesce: only the latest
   * cycle is asked for next (stepping through a long run does not queue a build per step). The
   * promise resolves once the latest cycle asked for is shown.
   */
  update(cycle: number): Promise<void> {
    this.wanted = cycle;
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.wanted !== undefined) {
      const cycle = this.wanted;
      this.wanted = undefined;
      await this.showCycle(cycle);
    }
  }

  private async showCycle(cycle: number): Promise<void> {
    const guest = this.host.guest;
    if (!this.details.open || guest === undefined) return;
    const generation = this.generation;
    const stale = () => generation !== this.generation;
    try {
      const { client, opened } = this.open(guest);
      const o = await opened;
      if (stale()) return;
      if (!o.ok) {
        this.status(o.why);
        this.clear();
        return;
      }
      const index = windowIndexOf(o.cycles, cycle);
      const edits = index === this.editWindow ? this.edits : [];
      const s = this.summary;
      const fresh =
        s === undefined ||
        s.windowIndex !== index ||
        s.edits.map(formatEdit).join() !== edits.map(formatEdit).join();
      if (fresh) {
        this.status(
          `building and checking the traces of cycles ${windowCycles(o.cycles, index)
            .map((c) => c.toLocaleString('en'))
            .join('..')} (in a worker)…`,
        );
        this.summary = await client.call('check', cycle, edits);
        if (stale()) return;
        const sm = this.summary;
        const checked = `checked in ${(sm.checkMs / 1000).toFixed(2)} s`;
        this.status(
          sm.buildMs < 1
            ? `${checked} (the traces were built already)`
            : `built in ${(sm.buildMs / 1000).toFixed(2)} s, ${checked}`,
        );
      }
      const sel = this.selected;
      const keep = sel !== undefined && (sel.row.cycle === cycle || sel.at === cycle);
      if (!keep) this.selected = undefined;
      const rows = await client.call('rows', cycle, keep ? sel.row : undefined);
      if (stale()) return;
      this.render(cycle, this.summary!, rows.rows, rows.view);
    } catch (e) {
      if (e instanceof CheckStopped || stale()) return;
      this.status(`cannot check: ${(e as Error).message}`);
      this.clear();
    }
  }

  private clear(): void {
    for (const id of ['check-summary', 'check-failures', 'check-imbalances', 'check-row'])
      byId(id).replaceChildren();
  }

  private render(
    cycle: number,
    summary: CheckSummary,
    rows: readonly RowRef[],
    view: Parameters<typeof renderRow>[3],
  ): void {
    const pick = (r: RowRef) => this.pick(r);
    renderSummary(byId('check-summary'), summary);
    if (this.edits.length > 0 && summary.windowIndex !== this.editWindow)
      byId('check-summary').append(
        `(the ${this.edits.length} broken cell(s) are rows of window ${this.editWindow + 1}: they apply there)`,
      );
    renderFailures(byId('check-failures'), summary, pick);
    renderImbalances(byId('check-imbalances'), summary, pick);
    byId('run-buses').hidden = summary.whole;
    renderRow(
      byId('check-row'),
      cycle,
      rows,
      view,
      pick,
      (component, column, row) => {
        byId<HTMLInputElement>('break-cell').value = `${component}.${column}@${row}`;
        byId<HTMLInputElement>('break-value').value = '+1';
        byId<HTMLInputElement>('break-value').focus();
      },
      summary.edits,
    );
  }

  /** Goes to a row's cycle (when it has one) and shows the row. */
  private pick(r: RowRef): void {
    this.selected = { row: r, at: r.cycle ?? this.host.cycle };
    if (r.cycle !== undefined && r.cycle !== this.host.cycle) this.host.show(r.cycle);
    else void this.update(this.host.cycle);
  }

  /** Breaks a cell of the shown window (value absolute, or +k / -k from the honest one). */
  private async breakCell(cellText: string, valueText: string): Promise<void> {
    const summary = this.summary;
    if (this.client === undefined || summary === undefined) {
      this.status('open the constraint view on a guest that exits first');
      return;
    }
    let edit: CellEdit;
    try {
      const ref = parseCellRef(cellText);
      edit = { ...ref, value: parseCellValue(valueText, await this.client.call('honest', ref)) };
    } catch (e) {
      if (e instanceof CheckStopped) return;
      this.status((e as Error).message);
      return;
    }
    const kept = summary.windowIndex === this.editWindow ? this.edits : [];
    this.editWindow = summary.windowIndex;
    await this.setEdits([
      ...kept.filter(
        (e) => !(e.component === edit.component && e.column === edit.column && e.row === edit.row),
      ),
      edit,
    ]);
  }

  /** Replaces the broken cells and checks again; the first failure (if any) is shown. */
  private async setEdits(edits: CellEdit[]): Promise<void> {
    this.edits = edits;
    if (edits.length === 0) this.editWindow = 0;
    await this.update(this.host.cycle);
    this.host.writeUrl();
    const first = this.summary?.failures[0];
    if (edits.length > 0 && first !== undefined) this.pick(first);
  }

  /**
   * Opens a deliberately broken trace: the shown guest's run with one cell set to its honest
   * value + 1 (the first single-cell mutation the plugins' mutation tests try), and shows what
   * fails.
   */
  async loadBroken(cellText: string): Promise<void> {
    this.details.open = true;
    await this.update(this.host.cycle);
    await this.breakCell(cellText, '+1');
  }
}
