import { createZkvm, type Zkvm } from '@nexus/sdk';
import { loadElf, VmError } from '@nexus/vm';
import { parseCellRef, parseCellValue } from './cell-edit.js';
import {
  type CellEdit,
  checkWindow,
  type RowRef,
  rowsForCycle,
  rowView,
  type WindowCheck,
} from './constraint-check.js';
import type { GuestFiles } from './guest-source.js';
import { TraceBuilder, type TraceWindow } from './trace-window.js';
import { renderFailures, renderImbalances, renderRow, renderSummary } from './ui/constraints.js';
import { byId } from './ui/dom.js';
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

/** One guest's trace builder, or why there is none. */
type Builder =
  | { readonly ok: true; readonly builder: TraceBuilder }
  | { readonly ok: false; readonly why: string };

/**
 * The Constraints panel: for the shown cycle, the component rows that prove it, a row's columns
 * and every labelled constraint with its value; for a broken trace (cells edited here, or
 * `break=` in the URL) the failing constraints and unbalanced bus entries, each a link to its
 * cycle and row. Traces are built only while the panel is open, one window of cycles at a time
 * (trace-window.ts), so a long run costs nothing until asked.
 */
export class ConstraintsPanel {
  private zkvm: Zkvm | undefined;
  private builder: Builder | undefined;
  /** The window shown (as built) and its check (with the edits, when they are its). */
  private window: TraceWindow | undefined;
  private check: WindowCheck | undefined;
  /** The broken cells, and the window (of the builder) whose rows they name. */
  private edits: CellEdit[] = [];
  private editWindow: number | undefined;
  private selected: { readonly row: RowRef; readonly at: number } | undefined;
  /** Bumped per update, so that a build superseded by a newer cycle is not shown. */
  private generation = 0;

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
  }

  private get details(): HTMLDetailsElement {
    return byId<HTMLDetailsElement>('constraints');
  }

  /** The part of the URL the panel keeps. */
  urlState(): Pick<UrlState, 'constraints' | 'breaks'> {
    return {
      ...(this.details.open ? { constraints: true } : {}),
      ...(this.edits.length > 0 ? { breaks: this.edits } : {}),
    };
  }

  /** A guest is being opened: what belonged to the previous one goes; the view's state comes. */
  reset(view: UrlState): void {
    this.builder = undefined;
    this.window = undefined;
    this.check = undefined;
    this.selected = undefined;
    this.edits = [...(view.breaks ?? [])];
    this.editWindow = undefined;
    this.details.open = view.constraints === true || this.edits.length > 0 || this.details.open;
  }

  private status(text: string): void {
    byId('check-status').textContent = text;
  }

  private builderFor(guest: GuestFiles): Builder {
    if (this.builder !== undefined) return this.builder;
    try {
      // The default build, as the prover in the page and `nexus prove` without a config.
      this.zkvm ??= createZkvm();
      const builder = new TraceBuilder(this.zkvm, loadElf(guest.elf), guest);
      this.builder = { ok: true, builder };
    } catch (e) {
      if (!(e instanceof VmError)) throw e;
      this.builder = {
        ok: false,
        why: `${guest.name} has no trace to check: ${e.name}: ${e.message} (only a run that exits is proven)`,
      };
    }
    return this.builder;
  }

  /**
   * Shows `cycle` in the panel: builds and checks the traces of its window first when they are
   * not those of the last check (asynchronously, so the page shows that it is working).
   */
  async update(cycle: number): Promise<void> {
    const guest = this.host.guest;
    if (!this.details.open || guest === undefined) return;
    const generation = ++this.generation;
    const b = this.builderFor(guest);
    if (!b.ok) {
      this.status(b.why);
      this.clear();
      return;
    }
    const index = b.builder.windowIndex(cycle);
    this.editWindow ??= index;
    const t = performance.now();
    if (this.window === undefined || b.builder.windowIndex(this.window.firstCycle) !== index) {
      this.status(
        `building and checking the traces of ${guest.name} around cycle ${cycle.toLocaleString('en')}…`,
      );
      // Let the page paint the status: building a window takes a fraction of a second.
      await new Promise((r) => setTimeout(r, 20));
      if (generation !== this.generation) return;
      this.window = undefined;
      this.check = undefined;
      try {
        this.window = b.builder.windowFor(cycle);
      } catch (e) {
        this.status(`cannot build the traces: ${(e as Error).message}`);
        this.clear();
        return;
      }
    }
    if (this.check === undefined || this.check.window !== this.window) {
      try {
        this.check = checkWindow(this.window, index === this.editWindow ? this.edits : []);
      } catch (e) {
        this.status(`cannot check: ${(e as Error).message}`);
        this.clear();
        return;
      }
      this.status(`built and checked in ${((performance.now() - t) / 1000).toFixed(2)} s`);
    }
    this.render(cycle, b.builder);
  }

  private clear(): void {
    for (const id of ['check-summary', 'check-failures', 'check-imbalances', 'check-row'])
      byId(id).replaceChildren();
  }

  private render(cycle: number, builder: TraceBuilder): void {
    const check = this.check!;
    const pick = (r: RowRef) => this.pick(r);
    renderSummary(byId('check-summary'), check, builder.windowCount);
    if (this.edits.length > 0 && builder.windowIndex(check.window.firstCycle) !== this.editWindow)
      byId('check-summary').append(
        `(the ${this.edits.length} broken cell(s) are in another window; they apply there)`,
      );
    renderFailures(byId('check-failures'), check, pick);
    renderImbalances(byId('check-imbalances'), check, pick);
    const rows = rowsForCycle(check, cycle);
    // A row picked from a list stays selected while its cycle (or, for a table row, the cycle it
    // was picked at) is shown; else the cycle's first row is.
    const sel = this.selected;
    const keep = sel !== undefined && (sel.row.cycle === cycle || sel.at === cycle);
    const shown = keep ? sel.row : rows[0];
    if (!keep) this.selected = undefined;
    const view = shown === undefined ? undefined : rowView(check, shown.component, shown.row);
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
      check.edits,
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
    const check = this.check;
    const builder = this.builder;
    if (check === undefined || builder === undefined || !builder.ok) {
      this.status('open the constraint view on a guest that exits first');
      return;
    }
    let edit: CellEdit;
    try {
      const ref = parseCellRef(cellText);
      // The honest value: from the window as built, not from an earlier edit.
      const honest = check.window.traces.get(ref.component);
      if (honest === undefined)
        throw new Error(`component ${ref.component} has no rows in this window`);
      const air = check.window.system.components.find((c) => c.name === ref.component)!;
      const column = air.component.columns.indexOf(ref.column);
      if (column < 0) throw new Error(`component ${ref.component} has no column ${ref.column}`);
      const v = honest.columns[column]![ref.row];
      if (v === undefined)
        throw new Error(
          `${ref.component} has rows 0..${2 ** honest.logSize - 1} here, not ${ref.row}`,
        );
      edit = { ...ref, value: parseCellValue(valueText, v) };
    } catch (e) {
      this.status((e as Error).message);
      return;
    }
    const window = builder.builder.windowIndex(check.window.firstCycle);
    const kept = window === this.editWindow ? this.edits : [];
    this.editWindow = window;
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
    if (edits.length === 0) this.editWindow = undefined;
    this.check = undefined;
    await this.update(this.host.cycle);
    this.host.writeUrl();
    // (update replaced the check: TypeScript still narrows the field to the undefined set above.)
    const first = (this.check as WindowCheck | undefined)?.failures[0];
    if (first !== undefined) this.pick(first);
  }

  /**
   * Opens a deliberately broken trace: `guest`'s run with one cell set to its honest value + 1
   * (the first single-cell mutation the plugins' mutation tests try), and shows what fails.
   */
  async loadBroken(cellText: string): Promise<void> {
    this.details.open = true;
    await this.update(this.host.cycle);
    await this.breakCell(cellText, '+1');
  }
}
