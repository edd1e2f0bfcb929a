import {
  allocColumn,
  assertContainingDomain,
  type Column,
  columnLogSize,
  domainTwiddles,
  evaluateUnchecked as evaluateTs,
  FieldError,
  interpolateRows as interpolateRowsTs,
  interpolateInPlace as interpolateTs,
  MAX_DOMAIN_LOG_SIZE,
  shiftLeavesPrefix,
  shiftStoragePositions as shiftTs,
} from '@nexus/field';
import type { KernelMemory } from './memory.js';
import type { KernelExports } from './module.js';

/**
 * The circle FFT on the kernels: the same functions, signatures and results as
 * @nexus/field's `interpolateInPlace` and `evaluateUnchecked`. A column is copied into linear
 * memory once, every layer runs there, and the result is copied out once: the copies are two
 * passes over the column against ~log n passes of butterflies.
 *
 * Columns under 8 elements stay on TypeScript (the narrow layers read 8 elements a step).
 */
export class WasmFft {
  readonly #k: KernelExports;
  readonly #mem: KernelMemory;
  /** Byte address of the per-layer twiddle pointer table, by direction and domain log size. */
  readonly #tables = new Map<string, number>();
  /** Byte address of each uploaded twiddle column, by name and domain log size. */
  readonly #twiddles = new Map<string, number>();

  constructor(exports: KernelExports, memory: KernelMemory) {
    this.#k = exports;
    this.#mem = memory;
  }

  #twiddle(kind: 'circle' | 'circleInverse' | 'line' | 'lineInverse', logSize: number): number {
    const key = `${kind}:${logSize}`;
    let at = this.#twiddles.get(key);
    if (at === undefined) {
      const values = domainTwiddles(logSize)[kind];
      at = this.#mem.reserve(Math.max(values.length, 4));
      this.#mem.u32.set(values, at >>> 2);
      this.#twiddles.set(key, at);
    }
    return at;
  }

  /**
   * The table of twiddle addresses per layer for a domain of log size n: layer 0 is its circle
   * layer, layer l >= 1 the line layer owned by the domain of log size n - l + 1 (twiddles.ts).
   */
  #table(inverse: boolean, logSize: number): number {
    const key = `${inverse}:${logSize}`;
    let at = this.#tables.get(key);
    if (at === undefined) {
      const layers: number[] = [this.#twiddle(inverse ? 'circleInverse' : 'circle', logSize)];
      for (let l = 1; l < logSize; l++) {
        layers.push(this.#twiddle(inverse ? 'lineInverse' : 'line', logSize - l + 1));
      }
      at = this.#mem.reserve(layers.length);
      this.#mem.u32.set(layers, at >>> 2);
      this.#tables.set(key, at);
    }
    return at;
  }

  /**
   * As field's `interpolateInPlace`: bit-reversed evaluation -> coefficients, in place; with
   * `domainLog`, the evaluation is the first storage positions of that canonic domain.
   */
  interpolateInPlace(values: Column, domainLog?: number): Column {
    const logSize = columnLogSize(values, 'values');
    if (logSize < 3) return interpolateTs(values, domainLog);
    const L = domainLog ?? logSize;
    if (L !== logSize) assertContainingDomain(L, logSize);
    // The first logSize layers of L's FFT, on the first 2^logSize positions (field's fft.ts).
    const table = this.#table(true, L);
    const n = values.length;
    const [a] = this.#mem.scratch(n) as [number];
    this.#mem.u32.set(values, a >>> 2);
    this.#k.inverseLayers(a, logSize, logSize, table);
    this.#k.scaleByInversePow2(a, n, logSize);
    values.set(this.#mem.u32.subarray(a >>> 2, (a >>> 2) + n));
    return values;
  }

  /**
   * As field's `interpolateRows`: a column in trace row order -> its coefficients, into `out`
   * when given. The rows are copied in once and moved to storage order in linear memory (a
   * loop of JavaScript over every row, cold in a short process, was the larger cost).
   */
  interpolateRows(rows: Column, out?: Column): Column {
    const logSize = columnLogSize(rows, 'rows');
    if (logSize < 3) return interpolateRowsTs(rows, out);
    const n = rows.length;
    if (out !== undefined && out.length !== n) {
      throw new FieldError(`out has ${out.length} elements, ${n} needed`, { argument: 'out' });
    }
    const table = this.#table(true, logSize);
    const [src, a] = this.#mem.scratch(n, n) as [number, number];
    this.#mem.u32.set(rows, src >>> 2);
    this.#k.rowsToStorage(src, a, logSize);
    this.#k.inverseLayers(a, logSize, logSize, table);
    this.#k.scaleByInversePow2(a, n, logSize);
    const result = out ?? allocColumn(n);
    result.set(this.#mem.u32.subarray(a >>> 2, (a >>> 2) + n));
    return result;
  }

  /**
   * As field's `evaluateUnchecked`: coefficients -> bit-reversed evaluation on the canonic
   * domain of log size domainLog >= log2(coeffs.length), into `out` when given.
   */
  evaluateUnchecked(coeffs: Column, domainLog: number, out?: Column): Column {
    const polyLog = Math.log2(coeffs.length);
    if (domainLog < 3 || polyLog === 0) return evaluateTs(coeffs, domainLog, out);
    const size = 2 ** domainLog;
    if (out !== undefined && out.length !== size) {
      throw new FieldError(`out has ${out.length} elements, ${size} needed`, { argument: 'out' });
    }
    const table = this.#table(false, domainLog);
    const [a] = this.#mem.scratch(size) as [number];
    const u32 = this.#mem.u32;
    u32.set(coeffs, a >>> 2);
    // The layers above the polynomial's size would only copy: start from the repeats.
    this.#k.repeat(a, coeffs.length, size);
    this.#k.forwardLayers(a, domainLog, polyLog, table);
    const result = out ?? allocColumn(size);
    result.set(u32.subarray(a >>> 2, (a >>> 2) + size));
    return result;
  }

  /** As field's `shiftStoragePositions` (same values, same errors). */
  shiftStoragePositions(
    domainLog: number,
    ldeLog: number,
    shift: number,
    out?: Int32Array,
  ): Int32Array {
    const n = 2 ** domainLog;
    const valid =
      Number.isInteger(ldeLog) &&
      ldeLog >= 1 &&
      ldeLog <= MAX_DOMAIN_LOG_SIZE &&
      Number.isInteger(domainLog) &&
      domainLog >= 0 &&
      domainLog <= ldeLog &&
      Number.isInteger(shift) &&
      shift >= 0 &&
      shift < 2 ** ldeLog &&
      (out === undefined || out.length === n);
    // Anything else gets the reference's error.
    if (!valid) return shiftTs(domainLog, ldeLog, shift, out);
    const [p] = this.#mem.scratch(n) as [number];
    if (this.#k.shiftStoragePositions(p, domainLog, ldeLog, shift) >= 0)
      throw new FieldError(shiftLeavesPrefix(shift, domainLog));
    const result = out ?? new Int32Array(n);
    result.set(new Int32Array(this.#mem.u32.buffer, p, n));
    return result;
  }
}
