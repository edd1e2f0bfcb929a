import type { EvalContext, Expr } from '@nexus/kernel';
import type { ColumnLayout } from '../layout.js';
import { RAM, RANGE11, RANGE16 } from '../relations.js';

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
  e.constraint(
    a.multiplicity.mul(a.ts.sub(a.prevTs).sub(1).sub(a.lo).sub(a.hi.mul(65536))),
    `${label}: timestamp increases`,
  );
  e.use(RANGE16, [a.lo], a.multiplicity);
  e.use(RANGE11, [a.hi], a.multiplicity);
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

/** Writes a RAM access's columns and counts its range checks. */
export function fillRamAccess(
  w: { col(name: string): Uint32Array },
  c: RamColumns,
  row: number,
  a: { prev: number; prevTs: number; ts: number; writable: boolean },
  lookups: { timestamp(diff: number): [number, number] },
): void {
  for (let k = 0; k < 4; k++) w.col(c.prev[k]!)[row] = (a.prev >>> (8 * k)) & 0xff;
  w.col(c.prevTs)[row] = a.prevTs;
  const [lo, hi] = lookups.timestamp(a.ts - a.prevTs - 1);
  w.col(c.lo)[row] = lo;
  w.col(c.hi)[row] = hi;
  w.col(c.writable)[row] = a.writable ? 1 : 0;
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
