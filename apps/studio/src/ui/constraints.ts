import { P } from '@nexus/field';
import type { CheckSummary } from '../check-service.js';
import type { CellEdit, RowRef, RowView } from '../constraint-check.js';
import { WINDOW_CYCLES } from '../trace-window.js';
import { el } from './dom.js';

/** A field element as a number, with its negative when it is closer to p (-1 for p - 1). */
export function fieldText(v: number): string {
  return v > P / 2 ? `${v} (= -${P - v})` : String(v);
}

const en = (n: number) => n.toLocaleString('en');

/** Where a row is: `add row 7, cycle 1,234`. */
export function rowText(r: RowRef): string {
  return `${r.component} row ${r.row}${r.cycle === undefined ? '' : `, cycle ${en(r.cycle)}`}`;
}

export function rowLink(r: RowRef, text: string, onPick: (r: RowRef) => void): HTMLElement {
  const b = el(
    'button',
    {
      type: 'button',
      class: 'row-link',
      'data-component': r.component,
      'data-row': String(r.row),
      'data-cycle': r.cycle === undefined ? undefined : String(r.cycle),
      title: r.cycle === undefined ? 'show this row' : 'go to this cycle and row',
    },
    text,
  );
  b.addEventListener('click', () => onPick(r));
  return b;
}

/** What was checked: the cycles, components, rows and constraints, and the bus check's scope. */
export function renderSummary(container: HTMLElement, check: CheckSummary): void {
  const w = check;
  const scope = w.whole
    ? `cycles 1..${en(w.lastCycle)} (the whole run)`
    : `cycles ${en(w.firstCycle)}..${en(w.lastCycle)} (window ${w.windowIndex + 1} of ${w.windowCount}: the run is built ${en(WINDOW_CYCLES)} cycles at a time)`;
  const n = check.imbalances?.length ?? 0;
  const buses =
    check.busScope === 'none'
      ? `bus balance not checked: a window is a segment, whose tuples balance only with the other segments (a whole run of up to ${en(WINDOW_CYCLES)} cycles is checked; "check the run's buses" adds up every window's)`
      : check.busScope === 'edits'
        ? `buses against the window as built: ${n === 0 ? 'the broken cells unbalance no tuple' : `the broken cells unbalance ${n} tuple(s)`} (the window's own balance with the other segments is not checked)`
        : n === 0
          ? 'every bus balances'
          : `${n} unbalanced bus tuple(s)`;
  const failed =
    check.failures.length === 0
      ? 'every constraint holds'
      : `${check.failures.length}${check.truncated.length > 0 ? '+' : ''} failing constraint(s)`;
  container.replaceChildren(
    el(
      'div',
      { id: 'check-scope' },
      `checked ${scope}: ${en(check.components)} components, ${en(check.rows)} rows, ${en(check.constraints)} labelled constraints, each on every row of its component; ${failed}; ${buses}.`,
    ),
    ...(check.edits.length === 0
      ? []
      : [
          el(
            'div',
            { id: 'check-edits', class: 'broken' },
            `broken trace: ${check.edits.map((e) => `${e.component}.${e.column}@${e.row} = ${fieldText(e.value)}`).join(', ')}`,
          ),
        ]),
  );
}

/** The failing constraints, each a link to its cycle and row. */
export function renderFailures(
  container: HTMLElement,
  check: CheckSummary,
  onPick: (r: RowRef) => void,
): void {
  if (check.failures.length === 0) {
    container.replaceChildren();
    return;
  }
  container.replaceChildren(
    el('h3', {}, 'Failing constraints'),
    el(
      'ul',
      {},
      ...check.failures.map((f) =>
        el(
          'li',
          { class: 'failure', 'data-label': f.label },
          rowLink(f, rowText(f), onPick),
          ` ${f.label} = ${fieldText(f.value)}`,
        ),
      ),
    ),
    ...(check.truncated.length === 0
      ? []
      : [
          el(
            'p',
            { class: 'muted' },
            `listing stopped at 200 rows in ${check.truncated.join(', ')}`,
          ),
        ]),
  );
}

/** The unbalanced bus tuples with their net multiplicity and the rows that use or yield them. */
export function renderImbalances(
  container: HTMLElement,
  check: CheckSummary,
  onPick: (r: RowRef) => void,
): void {
  const list = check.imbalances ?? [];
  if (list.length === 0) {
    container.replaceChildren();
    return;
  }
  container.replaceChildren(
    el(
      'h3',
      {},
      check.busScope === 'edits'
        ? 'Bus entries the broken cells unbalance (net: with the edits minus as built)'
        : 'Unbalanced bus entries',
    ),
    el(
      'ul',
      {},
      ...list.map((t) =>
        el(
          'li',
          { class: 'imbalance', 'data-relation': t.relation },
          `${t.relation} (${t.values.join(', ')}): net ${t.net > 0 ? '+' : ''}${t.net} (uses minus yields), at `,
          ...t.rows.flatMap((r, i) => [i > 0 ? ', ' : '', rowLink(r, rowText(r), onPick)]),
          t.inStatement ? `${t.rows.length > 0 ? ', ' : ''}the statement` : '',
        ),
      ),
    ),
  );
}

/** Rows shown per component (a precompile call spends dozens of rounds rows on one cycle). */
const ROWS_SHOWN = 4;

function groupRows(rows: readonly RowRef[]): { shown: RowRef[]; more: number }[] {
  const groups = new Map<string, RowRef[]>();
  for (const r of rows) groups.set(r.component, [...(groups.get(r.component) ?? []), r]);
  return [...groups.values()].map((g) => ({
    shown: g.slice(0, ROWS_SHOWN),
    more: Math.max(0, g.length - ROWS_SHOWN),
  }));
}

/**
 * The rows proving the shown cycle (one button each) and the selected row in full: its columns
 * (click one to break it) and every labelled constraint with its value, failing ones marked.
 */
export function renderRow(
  container: HTMLElement,
  cycle: number,
  rows: readonly RowRef[],
  view: RowView | undefined,
  onSelect: (r: RowRef) => void,
  onCell: (component: string, column: string, row: number) => void,
  edits: readonly CellEdit[] = [],
): void {
  const proving =
    rows.length === 0
      ? el(
          'span',
          { class: 'muted' },
          cycle === 0
            ? 'cycle 0 is the state before the first instruction: no row proves it'
            : 'no row of this window has this clk',
        )
      : el(
          'span',
          {},
          ...groupRows(rows).flatMap((g) => [
            ...g.shown.map((r) => rowLink(r, `${r.component} row ${r.row}`, onSelect)),
            g.more > 0 ? `… and ${g.more} more ${g.shown[0]!.component} rows ` : '',
          ]),
        );
  const parts: HTMLElement[] = [
    el('div', { id: 'cycle-rows' }, `cycle ${en(cycle)} is proven by: `, proving),
  ];
  if (view !== undefined) {
    const columns = el('table', { id: 'row-columns' });
    const perLine = 8;
    for (let i = 0; i < view.columns.length; i += perLine) {
      columns.append(
        el(
          'tr',
          {},
          ...view.columns.slice(i, i + perLine).flatMap((c) => {
            const td = el(
              'td',
              {
                class: edits.some(
                  (e) =>
                    e.component === view.component && e.row === view.row && e.column === c.name,
                )
                  ? 'cell broken'
                  : 'cell',
                'data-column': c.name,
                title: `${view.component}.${c.name}@${view.row}: click to break this cell`,
              },
              String(c.value),
            );
            td.addEventListener('click', () => onCell(view.component, c.name, view.row));
            return [el('td', { class: 'name' }, c.name), td];
          }),
        ),
      );
    }
    const constraints = el(
      'table',
      { id: 'row-constraints' },
      ...view.constraints.map((c) =>
        el(
          'tr',
          { class: c.value === 0 ? undefined : 'failing', 'data-label': c.label },
          el('td', {}, c.label),
          el('td', { class: 'value' }, fieldText(c.value)),
        ),
      ),
    );
    const failing = view.constraints.filter((c) => c.value !== 0).length;
    parts.push(
      el('h3', { id: 'row-title' }, `${rowText(view)}: ${view.columns.length} columns`),
      columns,
      el(
        'h3',
        {},
        `${view.constraints.length} labelled constraints${failing > 0 ? `, ${failing} failing` : ', all 0'}`,
      ),
      constraints,
    );
  }
  container.replaceChildren(...parts);
}
