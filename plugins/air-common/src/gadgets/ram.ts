import type { EvalContext, Expr } from '@nexus/kernel';
import type { Lookups } from '../context.js';
import { col, cols } from '../layout.js';
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

/** A RAM access's columns; `T` is a column handle, an `Expr` or a `Uint32Array`. */
export interface RamCols<T> {
  /** The word's bytes before the access. */
  readonly prev: readonly T[];
  readonly prevTs: T;
  readonly lo: T;
  readonly hi: T;
  /** The word's writable flag (a load's; a store passes the constant 1 and has none). */
  readonly writable?: T;
}

/** A RAM access's columns: `${prefix}_prev0..3`, `_prev_ts`, `_lo`, `_hi`, `_w`. */
export function ramColumns<const P extends string>(prefix: P) {
  return {
    prev: cols(`${prefix}_prev`, 4),
    prevTs: col(`${prefix}_prev_ts`),
    lo: col(`${prefix}_lo`),
    hi: col(`${prefix}_hi`),
    writable: col(`${prefix}_w`),
  };
}

/** A store's RAM access columns: ramColumns without the writable flag. */
export function storeRamColumns<const P extends string>(prefix: P) {
  return {
    prev: cols(`${prefix}_prev`, 4),
    prevTs: col(`${prefix}_prev_ts`),
    lo: col(`${prefix}_lo`),
    hi: col(`${prefix}_hi`),
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
  c: RamCols<Uint32Array>,
  lookups: Pick<Lookups, 'timestampInto'>,
): RamFiller {
  const word = bindWordAccess(c.prev, c, lookups);
  const writable = c.writable;
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
