import type { EvalContext, Expr } from '@nexus/kernel';
import type { Lookups } from '../context.js';
import type { ColumnLayout } from '../layout.js';
import { RAM } from '../relations.js';
import { bindWordAccess, evalTimestampIncrease } from './registers.js';

/**
 * One access to a RAM word in the memory argument, like a register access (see registers.ts)
 * but keyed by the word index (address / 4) and carrying the word's `writable` flag, which the
 * memory tables set from the program's segments. A store passes the constant 1 as `writable`,
 * so it can only consume (and produce) tokens of writable words; a load passes a column.
 */
export interface RamAccess {
  readonly widx: Expr;
  readonly prev: readonly Expr[];
  readonly next: readonly Expr[];
  readonly writable: Expr;
  readonly ts: Expr;
  readonly prevTs: Expr;
  readonly lo: Expr;
  readonly hi: Expr;
  readonly multiplicity: Expr;
}

export function evalRamAccess(e: EvalContext, a: RamAccess, label: string): void {
  e.use(RAM, [a.widx, ...a.prev, a.prevTs, a.writable], a.multiplicity);
  e.yield(RAM, [a.widx, ...a.next, a.ts, a.writable], a.multiplicity);
  evalTimestampIncrease(e, a, label);
}

export interface RamColumns {
  /** The word's bytes before the access. */
  readonly prev: readonly string[];
  readonly prevTs: string;
  readonly lo: string;
  readonly hi: string;
  readonly writable: string;
}

export function addRamColumns(layout: ColumnLayout, prefix: string): RamColumns {
  return {
    prev: layout.addMany(`${prefix}_prev`, 4),
    prevTs: layout.add(`${prefix}_prev_ts`),
    lo: layout.add(`${prefix}_lo`),
    hi: layout.add(`${prefix}_hi`),
    writable: layout.add(`${prefix}_w`),
  };
}

export function ramExprs(e: EvalContext, c: RamColumns) {
  return {
    prev: c.prev.map((n) => e.col(n)),
    prevTs: e.col(c.prevTs),
    lo: e.col(c.lo),
    hi: e.col(c.hi),
    writable: e.col(c.writable),
  };
}

/** Writes one RAM access's columns (the word before, its timestamp, the gap limbs). */
export type RamFiller = (
  row: number,
  prev: number,
  prevTs: number,
  ts: number,
  writable: boolean,
) => void;

/**
 * The filler of a RAM access's columns, resolved once per trace, counting the range checks. A
 * store has no writable column (it passes the constant 1): the flag is then not written.
 */
export function bindRamAccess(
  w: { col(name: string): Uint32Array },
  c: Omit<RamColumns, 'writable'> & { readonly writable?: string },
  lookups: Pick<Lookups, 'timestampInto'>,
): RamFiller {
  const word = bindWordAccess(w, c.prev, c, lookups);
  const writable = c.writable === undefined ? undefined : w.col(c.writable);
  return (row, v, before, ts, isWritable) => {
    word(row, v, before, ts);
    if (writable) writable[row] = isWritable ? 1 : 0;
  };
}

/** Is the word at this index writable in the program's memory map? */
export function isWritableWord(
  program: { map: { regions: readonly { start: number; end: number; writable: boolean }[] } },
  widx: number,
): boolean {
  const a = widx * 4;
  for (const r of program.map.regions) if (a >= r.start && a < r.end) return r.writable;
  return false;
}
