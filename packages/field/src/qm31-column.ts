import { allocColumn, assertCanonical, type Column } from './column.js';
import { FieldError } from './errors.js';
import { add, mul, P, sub } from './m31.js';
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

/**
 * out = a ⊙ b, row by row (out may be a or b). The product is written out in the loop rather
 * than called (qm31MulInto is too large for V8 to inline into its callers' loops, and the
 * call cost more than the arithmetic in the LogUp loops).
 */
export function qm31ColumnMul(a: QM31Column, b: QM31Column, out: QM31Column): void {
  const [a0, a1, a2, a3] = a;
  const [b0, b1, b2, b3] = b;
  const [o0, o1, o2, o3] = out;
  const n = a0.length;
  for (let i = 0; i < n; i++) {
    const x0 = a0[i]!;
    const x1 = a1[i]!;
    const x2 = a2[i]!;
    const x3 = a3[i]!;
    const y0 = b0[i]!;
    const y1 = b1[i]!;
    const y2 = b2[i]!;
    const y3 = b3[i]!;
    // (x0 + x1·i + (x2 + x3·i)·u)(y0 + y1·i + (y2 + y3·i)·u), u² = 2 + i; each sum below
    // lies in (-5p, 7p) (plus < p where an accumulator is added): one remainder after 8p.
    const ac0 = mul(x0, y0) - mul(x1, y1);
    const ac1 = mul(x0, y1) + mul(x1, y0);
    const bd0 = mul(x2, y2) - mul(x3, y3);
    const bd1 = mul(x2, y3) + mul(x3, y2);
    const ad0 = mul(x0, y2) - mul(x1, y3);
    const ad1 = mul(x0, y3) + mul(x1, y2);
    const bc0 = mul(x2, y0) - mul(x3, y1);
    const bc1 = mul(x2, y1) + mul(x3, y0);
    o0[i] = (ac0 + 2 * bd0 - bd1 + 8 * P) % P;
    o1[i] = (ac1 + bd0 + 2 * bd1 + 8 * P) % P;
    o2[i] = (ad0 + bc0 + 8 * P) % P;
    o3[i] = (ad1 + bc1 + 8 * P) % P;
  }
}

/** out = a ⊙ s for a base-field column s, row by row (out may be a). */
export function qm31ColumnMulM31(a: QM31Column, s: Column, out: QM31Column): void {
  const n = s.length;
  for (let c = 0; c < 4; c++) {
    const x = a[c]!;
    const o = out[c]!;
    for (let i = 0; i < n; i++) o[i] = mul(x[i]!, s[i]!);
  }
}

/** acc += k·a for a constant k, row by row. */
export function qm31ColumnScaleAdd(acc: QM31Column, a: QM31Column, k: QM31): void {
  const [a0, a1, a2, a3] = a;
  const [k0, k1, k2, k3] = k;
  const [o0, o1, o2, o3] = acc;
  const n = a0.length;
  for (let i = 0; i < n; i++) {
    const x0 = a0[i]!;
    const x1 = a1[i]!;
    const x2 = a2[i]!;
    const x3 = a3[i]!;
    const ac0 = mul(k0, x0) - mul(k1, x1);
    const ac1 = mul(k0, x1) + mul(k1, x0);
    const bd0 = mul(k2, x2) - mul(k3, x3);
    const bd1 = mul(k2, x3) + mul(k3, x2);
    const ad0 = mul(k0, x2) - mul(k1, x3);
    const ad1 = mul(k0, x3) + mul(k1, x2);
    const bc0 = mul(k2, x0) - mul(k3, x1);
    const bc1 = mul(k2, x1) + mul(k3, x0);
    o0[i] = (o0[i]! + ac0 + 2 * bd0 - bd1 + 8 * P) % P;
    o1[i] = (o1[i]! + ac1 + bd0 + 2 * bd1 + 8 * P) % P;
    o2[i] = (o2[i]! + ad0 + bc0 + 8 * P) % P;
    o3[i] = (o3[i]! + ad1 + bc1 + 8 * P) % P;
  }
}

/**
 * out_k[r] = c_k + Σ_i alphas[i]_k · columns[i][r] for k = 0..3: a QM31 combination of
 * base-field columns (the LogUp denominator v0 + Σ α^i·v_i - z is one, with alphas[0] = 1 and
 * c = -z). Per coordinate, float sums of reduced products (each < p) stay exact below 2^22
 * columns and are reduced once.
 */
export function qm31ColumnLinearCombination(
  columns: readonly Column[],
  alphas: readonly QM31[],
  c: QM31,
  out: QM31Column,
): void {
  const n = out[0].length;
  if (columns.length >= 1 << 22) {
    throw new FieldError(`too many columns for one combination: ${columns.length}`);
  }
  const acc = new Float64Array(n);
  for (let k = 0; k < 4; k++) {
    acc.fill(c[k]!);
    for (let i = 0; i < columns.length; i++) {
      const a = alphas[i]![k]!;
      if (a === 0) continue;
      const v = columns[i]!;
      for (let r = 0; r < n; r++) acc[r] = acc[r]! + mul(a, v[r]!);
    }
    const o = out[k]!;
    for (let r = 0; r < n; r++) o[r] = acc[r]! % P;
  }
}

/**
 * out = a ⊙ m + b ⊙ l row by row, for base-field columns m and l (out may be a or b): the
 * LogUp numerator n0·d1 + n1·d0 of a batch of two fractions.
 */
export function qm31ColumnMulM31Pair(
  a: QM31Column,
  m: Column,
  b: QM31Column,
  l: Column,
  out: QM31Column,
): void {
  const n = m.length;
  for (let c = 0; c < 4; c++) {
    const x = a[c]!;
    const y = b[c]!;
    const o = out[c]!;
    for (let r = 0; r < n; r++) {
      const s = (mul(x[r]!, m[r]!) + mul(y[r]!, l[r]!) - P) | 0;
      o[r] = s + ((s >> 31) & P);
    }
  }
}

/** out = a ⊙ b - c row by row (out may be any of them): a LogUp constraint value·D - N. */
export function qm31ColumnMulSub(
  a: QM31Column,
  b: QM31Column,
  c: QM31Column,
  out: QM31Column,
): void {
  const n = a[0].length;
  const t: QM31Column = [
    new Uint32Array(n),
    new Uint32Array(n),
    new Uint32Array(n),
    new Uint32Array(n),
  ];
  qm31ColumnMul(a, b, t);
  for (let k = 0; k < 4; k++) {
    const x = t[k]!;
    const y = c[k]!;
    const o = out[k]!;
    for (let r = 0; r < n; r++) {
      const d = (x[r]! - y[r]!) | 0;
      o[r] = d + ((d >> 31) & P);
    }
  }
}

/** acc += a ⊙ s row by row, for a base-field column s (the division by the vanishing polynomial). */
export function qm31ColumnMulM31Add(acc: QM31Column, a: QM31Column, s: Column): void {
  const n = s.length;
  for (let k = 0; k < 4; k++) {
    const x = a[k]!;
    const o = acc[k]!;
    for (let r = 0; r < n; r++) {
      const t = (o[r]! + mul(x[r]!, s[r]!) - P) | 0;
      o[r] = t + ((t >> 31) & P);
    }
  }
}

/**
 * One FRI fold of a QM31 evaluation: out[j] = (v[2j] + v[2j+1]) + alpha·((v[2j] - v[2j+1])·t[j])
 * for j < half = length / 2, t the pairs' inverse twiddles (the circle fold's 1/y, a line
 * fold's 1/x).
 */
export function qm31ColumnFoldPairs(
  values: QM31Column,
  inverseTwiddles: Column,
  alpha: QM31,
): QM31Column {
  const half = values[0].length / 2;
  const out = allocQM31Column(half);
  const f1 = [0, 0, 0, 0];
  const [v0, v1, v2, v3] = values;
  for (let j = 0; j < half; j++) {
    const t = inverseTwiddles[j]!;
    const a = 2 * j;
    const b = a + 1;
    const d0 = mul(sub(v0[a]!, v0[b]!), t);
    const d1 = mul(sub(v1[a]!, v1[b]!), t);
    const d2 = mul(sub(v2[a]!, v2[b]!), t);
    const d3 = mul(sub(v3[a]!, v3[b]!), t);
    qm31MulInto(alpha[0], alpha[1], alpha[2], alpha[3], d0, d1, d2, d3, f1, 0);
    out[0][j] = add(add(v0[a]!, v0[b]!), f1[0]!);
    out[1][j] = add(add(v1[a]!, v1[b]!), f1[1]!);
    out[2][j] = add(add(v2[a]!, v2[b]!), f1[2]!);
    out[3][j] = add(add(v3[a]!, v3[b]!), f1[3]!);
  }
  return out;
}
