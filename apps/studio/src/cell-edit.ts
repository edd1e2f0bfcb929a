import { P } from '@nexus/field';
import type { CellEdit } from './constraint-check.js';

/** A cell of a component's trace, without a value. */
export type CellRef = Omit<CellEdit, 'value'>;

const CELL = /^([a-z0-9_-]+)\.([A-Za-z0-9_]+)@(\d+)$/;

/**
 * Reads a cell as `component.column@row` (`add.r0@7`, `register-file.final0@3`); throws an Error
 * saying how to write one.
 */
export function parseCellRef(text: string): CellRef {
  const m = CELL.exec(text.trim());
  if (m === null)
    throw new Error(`'${text}' is not a cell: write component.column@row, e.g. add.r0@7`);
  return { component: m[1]!, column: m[2]!, row: Number(m[3]) };
}

/**
 * Reads the value to put in a cell: a field element (`5`), or `+k` / `-k` from its honest
 * value (`+1`: the single-cell mutation the plugins' mutation tests try first).
 */
export function parseCellValue(text: string, honest: number): number {
  const t = text.trim();
  const relative = /^([+-])(\d+)$/.exec(t);
  if (relative !== null) {
    const k = Number(relative[2]) % P;
    return relative[1] === '+' ? (honest + k) % P : (honest - k + P) % P;
  }
  if (!/^\d+$/.test(t) || Number(t) >= P)
    throw new Error(
      `'${text}' is not a cell value: a number 0..${P - 1}, or +1 / -1 from the honest value`,
    );
  return Number(t);
}

/** An edit as the URL keeps it: `add.r0@7=5`. */
export function formatEdit(e: CellEdit): string {
  return `${e.component}.${e.column}@${e.row}=${e.value}`;
}

/** Reads `add.r0@7=5`; undefined when the text is not an edit. */
export function parseEdit(text: string): CellEdit | undefined {
  const at = text.lastIndexOf('=');
  if (at < 0 || !/^\d+$/.test(text.slice(at + 1))) return undefined;
  const value = Number(text.slice(at + 1));
  if (value >= P) return undefined;
  try {
    return { ...parseCellRef(text.slice(0, at)), value };
  } catch {
    return undefined;
  }
}
