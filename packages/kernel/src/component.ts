import type { Column } from '@nexus/field';
import type { Expr } from './expr.js';
import type { Relation } from './relation.js';
import type { SizeRule } from './size.js';

/**
 * What a component's `evaluate` is given: the one interface through which it reads columns and
 * states constraints and bus entries. The same `evaluate` is run once symbolically; every
 * evaluator of the system interprets the result.
 */
export interface EvalContext {
  /** The next main column of the layout, at row offset 0. */
  next(): Expr;
  /** The next main column of the layout, at each of the given row offsets (e.g. [0, 1]). */
  nextAt(offsets: readonly number[]): Expr[];
  /** A main column by its layout name, at a row offset (default 0). */
  col(name: string, offset?: number): Expr;
  /**
   * A preprocessed column by id at a row offset. The id `is_first` is built in: 1 on the first
   * row of the component's own size, 0 elsewhere.
   */
  preprocessed(id: string, offset?: number): Expr;
  /** An M31 constant (any safe integer, reduced mod p). */
  constant(value: number): Expr;
  /** States that `expr` is zero on every row. The label names it in every failure report. */
  constraint(expr: Expr, label: string): void;
  /** Takes `values` off the bus `rel`, `multiplicity` times (default 1). */
  use(
    rel: Relation,
    values: readonly (Expr | number)[],
    multiplicity?: Expr | number,
    opts?: BusOptions,
  ): void;
  /** Puts `values` on the bus `rel`, `multiplicity` times (default 1). */
  yield(
    rel: Relation,
    values: readonly (Expr | number)[],
    multiplicity?: Expr | number,
    opts?: BusOptions,
  ): void;
}

export interface BusOptions {
  /**
   * An upper bound on |multiplicity| per row (default 1: a selector). LogUp is sound only while
   * the total of these bounds over all rows of all components stays below p; the system checks
   * it for every proof. A lookup table's multiplicity column is a count of the other side's
   * entries, already bounded by them: mark it `table: true` and it is not counted.
   */
  readonly maxMultiplicity?: number;
  readonly table?: boolean;
}

/** The trace a component generated: main columns in row order (canonic-coset order). */
export interface ComponentTrace {
  readonly logSize: number;
  readonly columns: readonly Column[];
}

/**
 * A component: one table of the system, with its column layout and its one `evaluate`.
 * Components are plain objects, usually made by a plugin's factory.
 */
export interface Component<Input = unknown> {
  /** Unique in a system; components are ordered by name, never by registration order. */
  readonly name: string;
  readonly version: string;
  /** Main column names, in layout order. */
  readonly columns: readonly string[];
  /**
   * How many rows it has: `fixedSize(n)`, `statementSize(fn)` or `freeSize()` (size.ts). The
   * verifier rejects any other claimed size before it does anything else.
   */
  readonly size: SizeRule;
  /**
   * Where its rows go in a proof of several segments (one execution cut by cycles, one LogUp
   * sum): 'segment' (the default) in any segment, with its size rule per segment; 'once' in
   * exactly one segment, the last, and absent from the others: the components that carry the
   * run's boundary (the register file's initial and final tokens, the memory images), which a
   * second copy would turn into a second history of every register or word. Single proofs
   * ignore it.
   */
  readonly scope?: 'segment' | 'once';
  /** States every constraint and bus entry of the component. */
  evaluate(e: EvalContext): void;
  /** Builds the main trace from the component's input (e.g. VM records). */
  generateTrace?(input: Input): ComponentTrace;
}

/**
 * A preprocessed column: fixed by the statement, known to the verifier (lookup tables, the
 * program ROM). It takes the size of the component that reads it: `generate` returns its
 * 2^logSize values in row order, reading the statement's public data if it needs to, and throws
 * when the claimed size cannot hold it (a fixed-size table checks the size it is given).
 */
export interface PreprocessedColumn {
  readonly id: string;
  generate(statement: StatementLike, logSize: number): Column;
}

/** The part of a statement preprocessed columns and boundary entries may depend on. */
export interface StatementLike {
  readonly publicData: Readonly<Record<string, Uint8Array>>;
}

/** A bus entry contributed by the statement itself (public initial/final states, I/O). */
export interface BoundaryEntry {
  readonly relation: Relation;
  readonly values: readonly number[];
  /** +k: the statement uses the tuple k times; -k: it yields it k times. */
  readonly multiplicity: number;
}
