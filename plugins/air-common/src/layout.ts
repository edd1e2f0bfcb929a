import type { Column } from '@nexus/field';
import type { ComponentTrace, EvalContext, Expr } from '@nexus/kernel';

// A component's row is declared once, as a shape: a tree of column handles (`col`, `cols`),
// arrays and plain objects, in layout order (Plonky3's `KeccakCols<T>`). `defineLayout` names
// the columns in that order; the same shape is then bound to expressions in `evaluate`
// (`layout.exprs(e)`) and to Uint32Array columns in trace generation (`layout.trace(logSize)`),
// with the shape's own type. A misspelt or missing column is a type error at the access, not a
// runtime error when the component is built, and the order is written nowhere else.

const COLUMN: unique symbol = Symbol.for('@nexus/air-common/column');

/**
 * One main column of a layout: a handle whose name is a literal type (`Col<'rs1_v0'>`).
 * Handles are leaves of a layout shape; binding the shape replaces each by an `Expr` or a
 * `Uint32Array`.
 */
export interface Col<N extends string = string> {
  readonly [COLUMN]: true;
  readonly name: N;
}

/**
 * A column handle named `name`.
 *
 * @example
 * const shape = { sel: col('sel'), value: col('value') };
 */
export function col<const N extends string>(name: N): Col<N> {
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError(`a column name must be a non-empty string, got ${String(name)}`);
  return Object.freeze({ [COLUMN]: true as const, name });
}

/** True for a column handle (`col`). */
export function isCol(x: unknown): x is Col {
  return typeof x === 'object' && x !== null && (x as Partial<Col>)[COLUMN] === true;
}

/** How far `cols` spells out a tuple type; longer runs are typed as arrays. */
type MaxTupleLength = 64;

type BuildCols<
  P extends string,
  N extends number,
  Acc extends readonly Col[],
> = Acc['length'] extends N
  ? Acc
  : Acc['length'] extends MaxTupleLength
    ? readonly Col<`${P}${number}`>[]
    : BuildCols<P, N, readonly [...Acc, Col<`${P}${Acc['length']}`>]>;

/**
 * `count` handles named `${prefix}0` .. `${prefix}${count - 1}`, as a tuple type
 * (`cols('r', 4)`: `readonly [Col<'r0'>, Col<'r1'>, Col<'r2'>, Col<'r3'>]`) when the count is a
 * literal of at most 64, else an array of `Col<`${prefix}${number}`>`.
 */
export type Cols<P extends string, N extends number> = number extends N
  ? readonly Col<`${P}${number}`>[]
  : BuildCols<P, N, readonly []>;

/**
 * `count` column handles `${prefix}0`, `${prefix}1`, ...
 *
 * @example
 * const shape = { result: cols('r', 4) }; // r0, r1, r2, r3
 */
export function cols<const P extends string, const N extends number>(
  prefix: P,
  count: N,
): Cols<P, N> {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`a column count must be a non-negative integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => col(`${prefix}${i}`)) as unknown as Cols<P, N>;
}

/**
 * A shape with every column handle replaced by a `T` (an `Expr` in `evaluate`, a `Uint32Array`
 * in trace generation); arrays, tuples and objects keep their structure, and constants in the
 * shape (numbers, strings, booleans: an op id beside its flag column) stay as they are.
 */
export type Bound<S, T> = S extends Col
  ? T
  : S extends readonly unknown[]
    ? { readonly [K in keyof S]: Bound<S[K], T> }
    : S extends object
      ? { readonly [K in keyof S]: Bound<S[K], T> }
      : S;

/** A layout's columns bound to a trace being written. */
export interface LayoutTrace<S> {
  readonly logSize: number;
  /** The columns in layout order (zero-initialised, 2^logSize rows each). */
  readonly columns: readonly Column[];
  /** The same columns in the layout's shape: write them directly in hot loops. */
  readonly cols: Bound<S, Column>;
  /** The component trace of these columns. */
  finish(): ComponentTrace;
}

/** A component's typed column layout (`defineLayout`). */
export interface Layout<S> {
  /** The shape it was declared with. */
  readonly shape: S;
  /** The column names in layout order: a component's `columns`. */
  readonly names: readonly string[];
  /** The shape bound to the component's columns at a row offset (default 0), in `evaluate`. */
  exprs(e: EvalContext, offset?: number): Bound<S, Expr>;
  /**
   * The shape bound at any row offset, each offset bound once: for an `evaluate` that reads
   * rows before and after its own (`const at = layout.exprsAt(e); at(-1).clk`).
   */
  exprsAt(e: EvalContext): (offset: number) => Bound<S, Expr>;
  /** Zero-initialised columns of 2^logSize rows, bound to the shape, for trace generation. */
  trace(logSize: number): LayoutTrace<S>;
  /** Existing columns (in layout order) bound to the shape, e.g. to read a trace in a test. */
  bind(columns: readonly Column[]): Bound<S, Column>;
}

/**
 * Calls `leaf` on each column handle of a shape in layout order (depth first: objects in key
 * order, arrays in index order) and returns the shape with each handle replaced by its result.
 */
function mapShape(shape: unknown, leaf: (c: Col) => unknown): unknown {
  if (isCol(shape)) return leaf(shape);
  if (Array.isArray(shape)) return shape.map((s) => mapShape(s, leaf));
  if (typeof shape === 'object' && shape !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(shape)) out[k] = mapShape(v, leaf);
    return out;
  }
  return shape;
}

/** Rejects what would make the layout order surprising or the binding lossy. */
function checkShape(shape: unknown, path: string): void {
  if (isCol(shape) || shape === null || typeof shape !== 'object') {
    if (typeof shape === 'function' || typeof shape === 'symbol')
      throw new TypeError(`layout shape at ${path}: a ${typeof shape} is not a column or constant`);
    return;
  }
  if (Array.isArray(shape)) {
    for (const [i, s] of shape.entries()) checkShape(s, `${path}[${i}]`);
    Object.freeze(shape);
    return;
  }
  const proto = Object.getPrototypeOf(shape);
  if (proto !== Object.prototype && proto !== null)
    throw new TypeError(
      `layout shape at ${path}: only column handles, arrays and plain objects can hold columns (got a ${proto?.constructor?.name ?? 'object'}); use an object with named keys`,
    );
  for (const [k, v] of Object.entries(shape)) {
    // Integer-like keys are enumerated first, whatever the declaration order: they would
    // reorder the layout behind the author's back.
    if (/^(0|[1-9]\d*)$/.test(k))
      throw new TypeError(
        `layout shape at ${path}: the key ${k} is an integer, which JavaScript enumerates before the other keys; use an array or a non-numeric key`,
      );
    checkShape(v, `${path}.${k}`);
  }
  // The names are read once from the shape: a shape changed afterwards would no longer match.
  Object.freeze(shape);
}

/**
 * Declares a component's columns once: the order of the shape is the layout order. Column
 * names must be unique.
 *
 * @example
 * export const layout = defineLayout({
 *   sel: col('sel'),
 *   value: cols('v', 4),
 * });
 * // evaluate:          const c = layout.exprs(e); c.value[3]   (an Expr)
 * // trace generation:  const t = layout.trace(log); t.cols.sel[i] = 1
 * // component:         columns: layout.names
 */
export function defineLayout<const S>(shape: S): Layout<S> {
  checkShape(shape, 'layout');
  const names: string[] = [];
  const index = new Map<string, number>();
  mapShape(shape, (c) => {
    if (index.has(c.name)) throw new Error(`column ${c.name} is declared twice`);
    index.set(c.name, names.length);
    names.push(c.name);
    return c;
  });
  Object.freeze(names);
  const bind = (columns: readonly Column[]): Bound<S, Column> => {
    if (columns.length !== names.length)
      throw new RangeError(
        `the layout has ${names.length} columns, the trace ${columns.length}: not a trace of this layout`,
      );
    return mapShape(shape, (c) => columns[index.get(c.name)!]) as Bound<S, Column>;
  };
  const exprs = (e: EvalContext, offset = 0) =>
    mapShape(shape, (c) => e.col(c.name, offset)) as Bound<S, Expr>;
  return {
    shape,
    names,
    exprs,
    exprsAt(e) {
      const bound = new Map<number, Bound<S, Expr>>();
      return (offset) => {
        let b = bound.get(offset);
        if (b === undefined) {
          b = exprs(e, offset);
          bound.set(offset, b);
        }
        return b;
      };
    },
    trace(logSize) {
      if (!Number.isInteger(logSize) || logSize < 0 || logSize > 30)
        throw new RangeError(`a trace's log size must be an integer in [0, 30], got ${logSize}`);
      const columns = names.map(() => new Uint32Array(2 ** logSize));
      return {
        logSize,
        columns,
        cols: bind(columns),
        finish: () => ({ logSize, columns }),
      };
    },
    bind,
  };
}

/** log2 of the padded row count for n rows (at least 2^minLog). */
export function logRowsFor(n: number, minLog = 4): number {
  let log = minLog;
  while (2 ** log < n) log++;
  return log;
}

/** The trace columns of a layout in its shape (what `layout.trace(n).cols` holds). */
export type TraceCols<L> = L extends Layout<infer S> ? Bound<S, Column> : never;

/** The expressions of a layout in its shape (what `layout.exprs(e)` returns). */
export type ExprCols<L> = L extends Layout<infer S> ? Bound<S, Expr> : never;
