import type { Column } from '@nexus/field';
import type { ComponentTrace } from '@nexus/kernel';

/**
 * Builds a component's column layout by name, so the same names serve `evaluate` (e.col(name))
 * and trace generation (writer.set(name, row, v)); gadgets add their columns with a prefix.
 */
export class ColumnLayout {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  /** Adds a column; returns its name. */
  add(name: string): string {
    if (this.index.has(name)) throw new Error(`column ${name} is declared twice`);
    this.index.set(name, this.names.length);
    this.names.push(name);
    return name;
  }

  /** Adds several columns `${prefix}${i}`. */
  addMany(prefix: string, count: number): string[] {
    return Array.from({ length: count }, (_, i) => this.add(`${prefix}${i}`));
  }

  indexOf(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`no column named ${name}`);
    return i;
  }
}

/** Writes a trace of a layout: zero-initialised columns of 2^logSize rows. */
export class TraceWriter {
  readonly columns: Column[];
  readonly logSize: number;
  private readonly layout: ColumnLayout;

  constructor(layout: ColumnLayout, logSize: number) {
    this.layout = layout;
    this.logSize = logSize;
    this.columns = layout.names.map(() => new Uint32Array(2 ** logSize));
  }

  /** The column array of a name (write it directly in hot loops). */
  col(name: string): Column {
    return this.columns[this.layout.indexOf(name)]!;
  }

  finish(): ComponentTrace {
    return { logSize: this.logSize, columns: this.columns };
  }
}

/** log2 of the padded row count for n rows (at least 2^minLog). */
export function logRowsFor(n: number, minLog = 4): number {
  let log = minLog;
  while (2 ** log < n) log++;
  return log;
}
