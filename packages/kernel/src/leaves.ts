import type { Expr } from './expr.js';
import { MAIN_TREE } from './expr.js';

/** The column-slot key of a leaf: `m:<i>` main, `i:<i>` interaction, `p:<id>` preprocessed. */
export function leafKey(leaf: Expr): string {
  if (leaf.kind === 'pre') return `p:${leaf.name}`;
  return `${leaf.a === MAIN_TREE ? 'm' : 'i'}:${leaf.b}`;
}

/** Built-in preprocessed column: 1 on the first row of the component's size, else 0. */
export const IS_FIRST = 'is_first';

/** The id under which a sized built-in column is committed, e.g. `is_first:16`. */
export function sizedPreprocessedId(id: string, logSize: number): string {
  return id === IS_FIRST ? `${IS_FIRST}:${logSize}` : id;
}

/** The row-order values of the built-in `is_first` column of a size. */
export function isFirstColumn(logSize: number): Uint32Array {
  const c = new Uint32Array(2 ** logSize);
  c[0] = 1;
  return c;
}

/** idx arrays for the rotation r -> (r + offset) mod n (trace rows in coset order). */
export function rotationIndex(n: number, offset: number): Int32Array {
  const idx = new Int32Array(n);
  const o = ((offset % n) + n) % n;
  for (let r = 0; r < n; r++) idx[r] = (r + o) % n;
  return idx;
}
