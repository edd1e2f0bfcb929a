import { hex32 } from '../format.js';
import type { CycleState } from '../session.js';
import { el } from './dom.js';

/** Words per row of the memory view. */
export const MEMORY_COLUMNS = 4;
export const MEMORY_ROWS = 16;

/**
 * Memory as hex words from the window's address; the word the instruction of this cycle loaded
 * or stored is highlighted, the word sp points at is outlined, unmapped words show dashes.
 */
export function renderMemory(table: HTMLElement, state: CycleState): void {
  const touched = new Set(state.executed?.memory.map((m) => (m.address & ~3) >>> 0) ?? []);
  const sp = state.registers[2]! >>> 0;
  const rows: HTMLElement[] = [];
  const { address, words } = state.memory;
  for (let row = 0; row * MEMORY_COLUMNS < words.length; row++) {
    const rowAddress = (address + row * MEMORY_COLUMNS * 4) >>> 0;
    const cells: HTMLElement[] = [el('td', { class: 'addr' }, hex32(rowAddress))];
    for (let c = 0; c < MEMORY_COLUMNS; c++) {
      const a = (rowAddress + 4 * c) >>> 0;
      const w = words[row * MEMORY_COLUMNS + c];
      const classes = [
        w === undefined ? 'unmapped' : '',
        touched.has(a) ? 'changed' : '',
        a === sp ? 'sp' : '',
      ].filter((x) => x !== '');
      cells.push(
        el(
          'td',
          { 'data-address': hex32(a), class: classes.join(' ') || undefined },
          w === undefined ? '--------' : w.toString(16).padStart(8, '0'),
        ),
      );
    }
    rows.push(el('tr', {}, ...cells));
  }
  table.replaceChildren(...rows);
}
