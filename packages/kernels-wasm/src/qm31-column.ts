import {
  allocQM31Column,
  basisFactors,
  qm31ColumnBatchInverse as batchInverseTs,
  type Column,
  evalWeights as evalWeightsTs,
  evalWithWeights,
  FieldError,
  qm31ColumnFoldPairs as foldPairsTs,
  qm31ColumnLinearCombination as linearCombinationTs,
  qm31ColumnMulM31Add as mulM31AddTs,
  qm31ColumnMulM31Pair as mulM31PairTs,
  qm31ColumnMulM31 as mulM31Ts,
  qm31ColumnMulSub as mulSubTs,
  qm31ColumnMul as mulTs,
  type QM31,
  type QM31Column,
  qm31Inv,
  type SecureCirclePoint,
  qm31ColumnScaleAdd as scaleAddTs,
} from '@nexus/field';
import type { KernelMemory } from './memory.js';
import type { KernelExports } from './module.js';

/** Columns per call of the linear-combination kernel. */
const CHUNK = 16;

/**
 * QM31 column kernels with the signatures and results of @nexus/field's qm31-column.ts
 * (plus a linear combination of base columns, the LogUp denominators). Each call copies its
 * operands in (four coordinate columns back to back), runs, and copies the result out: a QM31
 * product is 16 M31 products per row, far more than the copies cost.
 *
 * Lengths that are not a multiple of 4 (the kernels run 4 rows a step) stay on TypeScript.
 */
export class WasmQM31Columns {
  readonly #k: KernelExports;
  readonly #mem: KernelMemory;

  constructor(exports: KernelExports, memory: KernelMemory) {
    this.#k = exports;
    this.#mem = memory;
  }

  #put(column: QM31Column, at: number, n: number): void {
    const u32 = this.#mem.u32;
    for (let c = 0; c < 4; c++) u32.set(column[c]!, (at >>> 2) + c * n);
  }

  #get(at: number, n: number, out: QM31Column): void {
    const u32 = this.#mem.u32;
    for (let c = 0; c < 4; c++) {
      const from = (at >>> 2) + c * n;
      out[c]!.set(u32.subarray(from, from + n));
    }
  }

  /** As field's qm31ColumnFoldPairs: one FRI fold (a fresh column of half the length). */
  foldPairs(values: QM31Column, inverseTwiddles: Column, alpha: QM31): QM31Column {
    const n = values[0].length;
    const half = n / 2;
    if (half % 4 !== 0 || half === 0) return foldPairsTs(values, inverseTwiddles, alpha);
    const [pv, pt, po] = this.#mem.scratch(4 * n, half, 4 * half) as [number, number, number];
    this.#put(values, pv, n);
    this.#mem.u32.set(inverseTwiddles.subarray(0, half), pt >>> 2);
    this.#k.qm31FoldPairs(pv, pt, po, half, alpha[0], alpha[1], alpha[2], alpha[3]);
    const out = allocQM31Column(half);
    this.#get(po, half, out);
    return out;
  }

  /** out = a ⊙ b row by row (out may be a or b). */
  mul(a: QM31Column, b: QM31Column, out: QM31Column): void {
    const n = a[0].length;
    if (n % 4 !== 0) {
      mulTs(a, b, out);
      return;
    }
    const [pa, pb] = this.#mem.scratch(4 * n, 4 * n) as [number, number];
    this.#put(a, pa, n);
    this.#put(b, pb, n);
    this.#k.qm31Mul(pa, pb, pa, n);
    this.#get(pa, n, out);
  }

  /** out = a ⊙ s for a base-field column s (out may be a). */
  mulM31(a: QM31Column, s: Column, out: QM31Column): void {
    const n = s.length;
    if (n % 4 !== 0) {
      mulM31Ts(a, s, out);
      return;
    }
    const [pa, ps] = this.#mem.scratch(4 * n, n) as [number, number];
    this.#put(a, pa, n);
    this.#mem.u32.set(s, ps >>> 2);
    this.#k.qm31MulM31(pa, ps, pa, n);
    this.#get(pa, n, out);
  }

  /** out = a ⊙ m + b ⊙ l for base-field columns m and l (out may be a or b). */
  mulM31Pair(a: QM31Column, m: Column, b: QM31Column, l: Column, out: QM31Column): void {
    const n = m.length;
    if (n % 4 !== 0) {
      mulM31PairTs(a, m, b, l, out);
      return;
    }
    const [pa, pm, pb, pl] = this.#mem.scratch(4 * n, n, 4 * n, n) as [
      number,
      number,
      number,
      number,
    ];
    const u32 = this.#mem.u32;
    this.#put(a, pa, n);
    this.#put(b, pb, n);
    u32.set(m, pm >>> 2);
    u32.set(l, pl >>> 2);
    this.#k.qm31MulM31Pair(pa, pm, pb, pl, pa, n);
    this.#get(pa, n, out);
  }

  /** out = a ⊙ b - c row by row (out may be any of them). */
  mulSub(a: QM31Column, b: QM31Column, c: QM31Column, out: QM31Column): void {
    const n = a[0].length;
    if (n % 4 !== 0) {
      mulSubTs(a, b, c, out);
      return;
    }
    const [pa, pb, pc] = this.#mem.scratch(4 * n, 4 * n, 4 * n) as [number, number, number];
    this.#put(a, pa, n);
    this.#put(b, pb, n);
    this.#put(c, pc, n);
    this.#k.qm31MulSub(pa, pb, pc, pa, n);
    this.#get(pa, n, out);
  }

  /** acc += a ⊙ s row by row, for a base-field column s. */
  mulM31Add(acc: QM31Column, a: QM31Column, s: Column): void {
    const n = s.length;
    if (n % 4 !== 0) {
      mulM31AddTs(acc, a, s);
      return;
    }
    const [pacc, pa, ps] = this.#mem.scratch(4 * n, 4 * n, n) as [number, number, number];
    this.#put(acc, pacc, n);
    this.#put(a, pa, n);
    this.#mem.u32.set(s, ps >>> 2);
    this.#k.qm31MulM31Add(pacc, pa, ps, n);
    this.#get(pacc, n, acc);
  }

  /** acc += k·a row by row. */
  scaleAdd(acc: QM31Column, a: QM31Column, k: QM31): void {
    const n = a[0].length;
    if (n % 4 !== 0) {
      scaleAddTs(acc, a, k);
      return;
    }
    const [pacc, pa] = this.#mem.scratch(4 * n, 4 * n) as [number, number];
    this.#put(acc, pacc, n);
    this.#put(a, pa, n);
    this.#k.qm31ScaleAdd(pacc, pa, n, k[0], k[1], k[2], k[3]);
    this.#get(pacc, n, acc);
  }

  /**
   * In-place batch inversion, as field's qm31ColumnBatchInverse: four interleaved Montgomery
   * chains in the kernel, the four chain totals inverted here.
   *
   * @throws FieldError naming the first zero row.
   */
  batchInverse(column: QM31Column): void {
    const n = column[0].length;
    if (n % 4 !== 0 || n === 0) {
      batchInverseTs(column);
      return;
    }
    const [pa, prefix, inv] = this.#mem.scratch(4 * n, 4 * n, 16) as [number, number, number];
    this.#put(column, pa, n);
    const zero = this.#k.qm31BatchInversePrefix(pa, prefix, n);
    if (zero >= 0) {
      throw new FieldError(`cannot invert 0 at row ${zero}`, { argument: 'column', index: zero });
    }
    const u32 = this.#mem.u32;
    const last = (prefix >>> 2) + n - 4; // the last group: lane j's total at last + j
    for (let lane = 0; lane < 4; lane++) {
      const total: QM31 = [
        u32[last + lane]!,
        u32[last + n + lane]!,
        u32[last + 2 * n + lane]!,
        u32[last + 3 * n + lane]!,
      ];
      const t = qm31Inv(total);
      for (let c = 0; c < 4; c++) u32[(inv >>> 2) + 4 * c + lane] = t[c]!;
    }
    this.#k.qm31BatchInverseFinish(pa, prefix, n, inv);
    this.#get(pa, n, column);
  }

  /** The basis weights at a point (as field's `evalWeights`), computed level by level here. */
  evalWeights(point: SecureCirclePoint, logSize: number): QM31Column {
    if (logSize < 2) return evalWeightsTs(point, logSize);
    const n = 2 ** logSize;
    const factors = basisFactors(point, logSize);
    const [pw, pf] = this.#mem.scratch(4 * n, 4 * logSize) as [number, number];
    const u32 = this.#mem.u32;
    factors.forEach((f, k) => {
      u32.set(f, (pf >>> 2) + 4 * k);
    });
    this.#k.qm31Weights(pw, logSize, pf);
    const out = allocQM31Column(n);
    this.#get(pw, n, out);
    return out;
  }

  /**
   * Σ_i c_i·w_i for each base-field column c against one QM31 weight column w (as field's
   * `evalWithWeights`, for many columns): the weights are copied in once for all of them.
   */
  evalManyWithWeights(columns: readonly Column[], weights: QM31Column): QM31[] {
    const n = weights[0].length;
    for (const c of columns) {
      if (c.length !== n) {
        throw new FieldError(`weights have ${n} rows, coefficients ${c.length}`, {
          argument: 'weights',
        });
      }
    }
    if (n % 4 !== 0 || columns.length === 0) return columns.map((c) => evalWithWeights(c, weights));
    const chunk = Math.min(columns.length, CHUNK);
    const [pw, pcols, pout, pdata] = this.#mem.scratch(4 * n, chunk, 4 * chunk, chunk * n) as [
      number,
      number,
      number,
      number,
    ];
    this.#put(weights, pw, n);
    const u32 = this.#mem.u32;
    const out: QM31[] = [];
    for (let start = 0; start < columns.length; start += chunk) {
      const count = Math.min(chunk, columns.length - start);
      for (let i = 0; i < count; i++) {
        u32.set(columns[start + i]!, (pdata >>> 2) + i * n);
        u32[(pcols >>> 2) + i] = pdata + 4 * i * n;
      }
      this.#k.qm31DotWeights(pcols, count, pw, n, pout);
      for (let i = 0; i < count; i++) {
        const at = (pout >>> 2) + 4 * i;
        out.push([u32[at]!, u32[at + 1]!, u32[at + 2]!, u32[at + 3]!]);
      }
    }
    return out;
  }

  /**
   * out_c[r] = c_c + Σ_i alphas[i]_c · columns[i][r] for c = 0..3: a QM31 combination of base
   * columns (the LogUp denominator v0 + Σ α^i·v_i - z is one, with alphas[0] = 1 and c = -z).
   */
  linearCombination(
    columns: readonly Column[],
    alphas: readonly QM31[],
    c: QM31,
    out: QM31Column,
  ): void {
    const n = out[0].length;
    if (n % 4 !== 0 || columns.length === 0) {
      linearCombinationTs(columns, alphas, c, out);
      return;
    }
    // Columns go in by chunks, summed into the result that stays in linear memory: the
    // scratch is CHUNK + 4 columns however many columns are combined (DEEP sums hundreds).
    const chunk = Math.min(columns.length, CHUNK);
    const [pout, pcols, palphas, pc, pdata] = this.#mem.scratch(
      4 * n,
      chunk,
      4 * chunk,
      4,
      chunk * n,
    ) as [number, number, number, number, number];
    const u32 = this.#mem.u32;
    u32.set(c, pc >>> 2);
    for (let start = 0; start < columns.length; start += chunk) {
      const count = Math.min(chunk, columns.length - start);
      for (let i = 0; i < count; i++) {
        u32.set(columns[start + i]!, (pdata >>> 2) + i * n);
        u32[(pcols >>> 2) + i] = pdata + 4 * i * n;
        u32.set(alphas[start + i]!, (palphas >>> 2) + 4 * i);
      }
      this.#k.qm31LinearCombination(pout, n, pcols, palphas, count, pc, start > 0);
      if (start === 0) u32.fill(0, pc >>> 2, (pc >>> 2) + 4); // c is added once
    }
    this.#get(pout, n, out);
  }
}
