import type { RunBusCheck } from '../check-service.js';
import type { RowRef } from '../constraint-check.js';
import { rowLink, rowText } from './constraints.js';
import { el } from './dom.js';

const en = (n: number) => n.toLocaleString('en');

/**
 * The run's bus check, window by window (RunBalance): how far it has come, then the tuples
 * unbalanced in the run, each with its net and rows (links to their cycles).
 */
export function renderRunBuses(
  status: HTMLElement,
  list: HTMLElement,
  check: RunBusCheck,
  onPick: (r: RowRef) => void,
): void {
  const found = check.unbalanced;
  if (found === undefined) {
    status.textContent = `adding up the windows' buses: ${en(check.windows)} of ${en(check.windowCount)} windows, ${en(check.open)} tuple(s) open (the borders with the windows to come)…`;
    list.replaceChildren();
    return;
  }
  status.textContent = `the run's buses, added up over its ${en(check.windowCount)} windows and the statement (the check of a segmented proof's LogUp sum): ${found.length === 0 ? 'every bus balances' : `${found.length} unbalanced tuple(s)`}`;
  list.replaceChildren(
    ...found.map((t) =>
      el(
        'li',
        { class: 'imbalance', 'data-relation': t.relation },
        `${t.relation} (${t.values.join(', ')}): net ${t.net > 0 ? '+' : ''}${t.net} (uses minus yields) over the run, at `,
        ...t.rows.flatMap((r, i) => [i > 0 ? ', ' : '', rowLink(r, rowText(r), onPick)]),
        t.inStatement ? `${t.rows.length > 0 ? ', ' : ''}the statement` : '',
      ),
    ),
  );
}
