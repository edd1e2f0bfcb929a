import { REGISTER_NAMES } from '@nexus/vm';
import { hex32 } from '../format.js';
import type { CycleState } from '../session.js';
import { el } from './dom.js';

/** The 32 registers with ABI names, two columns; those this cycle wrote are highlighted. */
export function renderRegisters(table: HTMLElement, state: CycleState): void {
  const rows: HTMLElement[] = [];
  for (let r = 0; r < 16; r++) {
    const cells: HTMLElement[] = [];
    for (const reg of [r, r + 16]) {
      const value = state.registers[reg]!;
      const changed = state.changed.has(reg) ? 'changed' : undefined;
      cells.push(
        el('td', { class: 'name' }, `${REGISTER_NAMES[reg]} x${reg}`),
        el('td', { id: `reg-${reg}`, class: changed, title: `${value} (signed)` }, hex32(value)),
      );
    }
    rows.push(el('tr', {}, ...cells));
  }
  table.replaceChildren(...rows);
}
