import { VmConfigError } from './errors.js';

/**
 * The fixed shape of an execution's trace (riscv.md section 3): which memory words the
 * init/final memory tables cover, and how many rows every component has. Derived from pass 1
 * (`deriveLayout`) or given by a caller (for example a padded, data-independent layout so the
 * proof does not reveal the exact memory footprint); pass 2 works from either.
 */
export interface Layout {
  /** Word addresses of the memory tables: strictly increasing, 4-byte aligned. */
  readonly addresses: Uint32Array;
  /**
   * Rows per family, by name, padded to a power of two (0 or absent: the family never runs and
   * is left out).
   */
  readonly rows: Readonly<Record<string, number>>;
  /** Rows of the io table, padded (0: no syscall moved a byte). */
  readonly ioRows: number;
  /** Rows of the memory init/final tables, padded (>= addresses.length). */
  readonly memoryRows: number;
  /** Rows per precompile records table, padded (absent or 0: no call). */
  readonly precompileRows?: Readonly<Record<string, number>>;
  /**
   * Exact row counts when known (from pass 1); pass 2 allocates exactly this much. Without it,
   * tables start small and grow up to `rows`.
   */
  readonly used?: {
    readonly rows: Readonly<Record<string, number>>;
    readonly ioRows: number;
    readonly precompileRows?: Readonly<Record<string, number>>;
  };
}

/** What a layout is derived from (the pass-1 statistics). */
export interface LayoutSource {
  readonly touched: Uint32Array;
  readonly familyRows: Readonly<Record<string, number>>;
  readonly ioBytes: number;
  readonly precompileRows?: Readonly<Record<string, number>>;
}

export interface LayoutOptions {
  /** Smallest non-empty table size as log2 (the prover's minimum); default 4 (16 rows). */
  readonly minLogRows?: number;
}

/** Next power of two >= n, at least 2^minLog; 0 stays 0 (an absent component). */
export function padRows(n: number, minLog = 4): number {
  if (n === 0) return 0;
  let p = 2 ** minLog;
  while (p < n) p *= 2;
  return p;
}

/**
 * The layout of a pass-1 run: exactly the touched words (sorted), exact row counts and their
 * power-of-two paddings.
 *
 * @example
 * const result = execute(program, { publicInput });
 * const layout = deriveLayout(result.stats);
 * const records = generateRecords(program, layout, { publicInput });
 */
export function deriveLayout(source: LayoutSource, options: LayoutOptions = {}): Layout {
  const minLog = options.minLogRows ?? 4;
  const rows: Record<string, number> = {};
  for (const [f, n] of Object.entries(source.familyRows)) rows[f] = padRows(n, minLog);
  const precompileRows: Record<string, number> = {};
  for (const [t, n] of Object.entries(source.precompileRows ?? {}))
    precompileRows[t] = padRows(n, minLog);
  return {
    addresses: source.touched,
    rows,
    ioRows: padRows(source.ioBytes, minLog),
    memoryRows: padRows(source.touched.length, minLog),
    precompileRows,
    used: {
      rows: { ...source.familyRows },
      ioRows: source.ioBytes,
      precompileRows: { ...source.precompileRows },
    },
  };
}

/** Checks a caller-given layout's shape (pass 2 checks that the execution fits it). */
export function validateLayout(layout: Layout): void {
  if (layout === null || typeof layout !== 'object')
    throw new VmConfigError('layout must be an object (see deriveLayout)');
  const a = layout.addresses;
  if (!(a instanceof Uint32Array))
    throw new VmConfigError('layout.addresses must be a Uint32Array of word addresses');
  for (let i = 0; i < a.length; i++) {
    if (a[i]! % 4 !== 0)
      throw new VmConfigError(`layout.addresses[${i}] = ${a[i]} is not 4-byte aligned`);
    if (i > 0 && a[i]! <= a[i - 1]!) {
      throw new VmConfigError(
        `layout.addresses must be strictly increasing (index ${i}: ${a[i]} after ${a[i - 1]})`,
      );
    }
  }
  const pow2 = (n: unknown) =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0 && (n === 0 || (n & (n - 1)) === 0);
  if (layout.rows === null || typeof layout.rows !== 'object')
    throw new VmConfigError('layout.rows must be an object: rows per family name');
  for (const [f, n] of Object.entries(layout.rows)) {
    if (!pow2(n))
      throw new VmConfigError(`layout.rows.${f} must be 0 or a power of two (got ${n})`);
  }
  for (const [t, n] of Object.entries(layout.precompileRows ?? {})) {
    if (!pow2(n))
      throw new VmConfigError(`layout.precompileRows.${t} must be 0 or a power of two (got ${n})`);
  }
  if (!pow2(layout.ioRows))
    throw new VmConfigError(`layout.ioRows must be 0 or a power of two (got ${layout.ioRows})`);
  if (!pow2(layout.memoryRows) || layout.memoryRows < a.length) {
    throw new VmConfigError(
      `layout.memoryRows must be a power of two >= addresses.length (got ${layout.memoryRows})`,
    );
  }
}
