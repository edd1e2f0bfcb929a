import { allocColumn, assertCanonical, type Column } from './column.js';
import { FieldError } from './errors.js';
import { P } from './m31.js';
import { type QM31, qm31Inv, qm31MulInto } from './qm31.js';

/**
 * A column of QM31 values stored "by coordinates": four M31 columns, one per coordinate, so the
 * same M31 kernels (FFT, Merkle leaves, WebAssembly) run over each of them.
 */
export type QM31Column = readonly [Column, Column, Column, Column];

/** A zero QM31 column of `length` rows. */
export function allocQM31Column(length: number): QM31Column {
  return [allocColumn(length), allocColumn(length), allocColumn(length), allocColumn(length)];
}

/** Builds a QM31 column from scalars, validating every coordinate. */
export function qm31ColumnFrom(values: readonly QM31[], name = 'values'): QM31Column {
  const out = allocQM31Column(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    for (let c = 0; c < 4; c++) {
      const x = v[c]!;
      if (!Number.isInteger(x) || x < 0 || x >= P) {
        throw new FieldError(`${name}[${i}][${c}] = ${x} is not a canonical M31 element`, {
          argument: name,
          index: i,
        });
      }
      out[c]![i] = x;
    }
  }
  return out;
}

/** Throws unless the four coordinate columns have one length and canonical values. */
export function assertQM31Column(column: QM31Column, name = 'column'): number {
  const n = column[0].length;
  for (let c = 0; c < 4; c++) {
    if (column[c]!.length !== n) {
      throw new FieldError(`${name}: coordinate columns have different lengths`, {
        argument: name,
      });
    }
    assertCanonical(column[c]!, `${name}[${c}]`);
  }
  return n;
}

/** Reads row i as a QM31 scalar. */
export function qm31At(column: QM31Column, i: number): QM31 {
  return [column[0][i]!, column[1][i]!, column[2][i]!, column[3][i]!];
}

/** Writes a QM31 scalar into row i. */
export function qm31Set(column: QM31Column, i: number, v: QM31): void {
  column[0][i] = v[0];
  column[1][i] = v[1];
  column[2][i] = v[2];
  column[3][i] = v[3];
}

/** The scalars of a column, for tests and small sizes. */
export function qm31ColumnToArray(column: QM31Column): QM31[] {
  const out: QM31[] = [];
  for (let i = 0; i < column[0].length; i++) out.push(qm31At(column, i));
  return out;
}

/**
 * In-place batch inversion of a QM31 column (Montgomery's trick): one QM31 inversion and about
 * three QM31 multiplications per row. The LogUp fractions' denominators go through here, so
 * it works on coordinates in typed arrays with no per-row allocation.
 *
 * @throws FieldError naming the first zero row.
 */
export function qm31ColumnBatchInverse(column: QM31Column): void {
  const [c0, c1, c2, c3] = column;
  const n = c0.length;
  if (n === 0) return;
  // prefix[i] = v[0]·...·v[i], by coordinates
  const p = [
    new Uint32Array(n),
    new Uint32Array(n),
    new Uint32Array(n),
    new Uint32Array(n),
  ] as const;
  const acc = new Uint32Array(4);
  acc[0] = 1;
  for (let i = 0; i < n; i++) {
    const v0 = c0[i]!;
    const v1 = c1[i]!;
    const v2 = c2[i]!;
    const v3 = c3[i]!;
    if ((v0 | v1 | v2 | v3) === 0) {
      throw new FieldError(`cannot invert 0 at row ${i}`, { argument: 'column', index: i });
    }
    qm31MulInto(acc[0]!, acc[1]!, acc[2]!, acc[3]!, v0, v1, v2, v3, acc, 0);
    p[0][i] = acc[0]!;
    p[1][i] = acc[1]!;
    p[2][i] = acc[2]!;
    p[3][i] = acc[3]!;
  }
  const inv = qm31Inv([acc[0]!, acc[1]!, acc[2]!, acc[3]!]);
  const ia = Uint32Array.from(inv);
  const t = new Uint32Array(4);
  for (let i = n - 1; i > 0; i--) {
    const v0 = c0[i]!;
    const v1 = c1[i]!;
    const v2 = c2[i]!;
    const v3 = c3[i]!;
    // v[i]^-1 = (v[0..i-1] product)·(v[0..i] product)^-1
    qm31MulInto(
      ia[0]!,
      ia[1]!,
      ia[2]!,
      ia[3]!,
      p[0][i - 1]!,
      p[1][i - 1]!,
      p[2][i - 1]!,
      p[3][i - 1]!,
      t,
      0,
    );
    c0[i] = t[0]!;
    c1[i] = t[1]!;
    c2[i] = t[2]!;
    c3[i] = t[3]!;
    qm31MulInto(ia[0]!, ia[1]!, ia[2]!, ia[3]!, v0, v1, v2, v3, ia, 0);
  }
  c0[0] = ia[0]!;
  c1[0] = ia[1]!;
  c2[0] = ia[2]!;
  c3[0] = ia[3]!;
}
