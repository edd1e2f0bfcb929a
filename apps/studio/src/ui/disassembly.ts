import { type CodeRom, disassemble } from '@nexus/vm';
import { hex32 } from '../format.js';
import type { CycleState } from '../session.js';
import { el } from './dom.js';

const BEFORE = 10;
const AFTER = 16;

/**
 * The code around the instruction of this cycle: labels from the ELF's symbols, the executed
 * instruction (▶) and the next one (→) marked, breakpoints in red. Clicking a row toggles a
 * breakpoint there.
 */
export function renderDisassembly(
  table: HTMLElement,
  rom: CodeRom,
  labels: ReadonlyMap<number, string>,
  state: CycleState,
  breakpoints: ReadonlySet<number>,
): void {
  const center = state.executed?.pc ?? state.nextPc;
  const rows: HTMLElement[] = [];
  const ci = rom.indexOf(center);
  if (ci < 0) {
    rows.push(el('tr', {}, el('td', {}, `pc ${hex32(center)} is outside the code`)));
  } else {
    const from = Math.max(0, ci - BEFORE);
    const to = Math.min(rom.length - 1, ci + AFTER);
    for (let i = from; i <= to; i++) {
      const pc = (rom.base + 4 * i) >>> 0;
      const label = labels.get(pc);
      if (label !== undefined)
        rows.push(el('tr', { class: 'label' }, el('td', { colspan: '3' }, `<${label}>:`)));
      const classes = [
        pc === state.executed?.pc ? 'executed' : '',
        pc === state.nextPc && !state.halted ? 'next' : '',
        breakpoints.has(pc) ? 'breakpoint' : '',
      ].filter((c) => c !== '');
      const word = rom.word[i]!;
      rows.push(
        el(
          'tr',
          {
            class: classes.join(' ') || undefined,
            'data-pc': hex32(pc),
            title: 'click: toggle a breakpoint here',
          },
          el('td', {}, ''),
          el('td', {}, hex32(pc)),
          el('td', {}, word.toString(16).padStart(8, '0')),
          el('td', {}, disassemble(word, pc)),
        ),
      );
    }
  }
  table.replaceChildren(...rows);
}
