import type { EvalContext, Expr } from '@nexus/kernel';
import { RANGE11 } from '../relations.js';

/** How a chain's constraints are labelled: `byte k of <sum>`, `<carry> k is boolean`. */
export interface ChainLabels {
  /** What the bytes are, e.g. 'the sum' (labels read `byte k of the sum`). */
  readonly of: string;
  /** The name of the carries or borrows, e.g. 'carry' (`carry k is boolean`). */
  readonly carry: string;
  /** The byte number of the chain's first byte in the labels (default 0). */
  readonly first?: number;
}

/**
 * s = x + y byte by byte with boolean carries:
 *   x_k + y_k + c_(k-1) = s_k + 256·c_k,   c_k boolean,   c_(-1) = 0.
 * Soundness, given bytes x_k, y_k (from the register bus, the program table or checked by the
 * caller) and bytes s_k that the caller range-checks: every term is below 2^10, far below p,
 * so each equation holds over the integers and fixes s_k and c_k in turn; weighted by 256^k
 * they sum to x + y = s + 256^n·c_(n-1), so s is x + y mod 256^n (dropping the last carry is
 * the reduction).
 */
export function evalByteAdd(
  e: EvalContext,
  x: readonly Expr[],
  y: readonly Expr[],
  s: readonly Expr[],
  carry: readonly Expr[],
  labels: ChainLabels,
): void {
  const first = labels.first ?? 0;
  for (let k = 0; k < s.length; k++) {
    const carryIn = k === 0 ? e.constant(0) : carry[k - 1]!;
    e.constraint(
      x[k]!.add(y[k]!).add(carryIn).sub(s[k]!).sub(carry[k]!.mul(256)),
      `byte ${first + k} of ${labels.of}`,
    );
    e.constraint(carry[k]!.mul(carry[k]!.sub(1)), `${labels.carry} ${first + k} is boolean`);
  }
}

/**
 * d = x - y byte by byte with boolean borrows:
 *   x_k - y_k - w_(k-1) = d_k - 256·w_k,   w_k boolean,   w_(-1) = 0,
 * each equation times `when` (default 1: on every row). As for evalByteAdd, with bytes x_k, y_k
 * and range-checked d_k every equation holds over the integers (terms in [-512, 512]), and
 * they sum to x - y = d - 256^n·w_(n-1): d is x - y mod 256^n and the last borrow is x <u y.
 * A caller may pass an adjusted top byte in x (e.g. SLT's sign flip) when its bound argument
 * covers it.
 */
export function evalByteSub(
  e: EvalContext,
  x: readonly Expr[],
  y: readonly Expr[],
  d: readonly Expr[],
  borrow: readonly Expr[],
  labels: ChainLabels,
  when?: Expr,
): void {
  const first = labels.first ?? 0;
  for (let k = 0; k < d.length; k++) {
    const borrowIn = k === 0 ? e.constant(0) : borrow[k - 1]!;
    const eq = x[k]!.sub(y[k]!).sub(borrowIn).sub(d[k]!).add(borrow[k]!.mul(256));
    e.constraint(when ? when.mul(eq) : eq, `byte ${first + k} of ${labels.of}`);
    e.constraint(borrow[k]!.mul(borrow[k]!.sub(1)), `${labels.carry} ${first + k} is boolean`);
  }
}

/**
 * A 32-bit value's bytes extended to 8 with a sign bit s: byte i >= 4 is 255·s. The extended
 * value is x + (2^64 - 2^32)·s, which is x - 2^32·s (x read as signed when s is its top bit)
 * modulo 2^64.
 */
export function signExtended(bytes: readonly Expr[], s: Expr): (i: number) => Expr {
  return (i) => (i < 4 ? bytes[i]! : s.mul(255));
}

/**
 * The schoolbook product of two 8-byte (sign-extended) values plus an 8-byte addend, column by
 * column in base 256 against the 8 bytes of `result`:
 *   Σ_(i+j=k) X_i·Y_j + Z_k + c_(k-1) = R_k + 256·c_k,   c_(-1) = 0,   k = 0..7,
 * with every carry looked up in range11 on real rows (`sel`), c_7 included: without that
 * check the last equation would hold for any R_7. Bounds, given bytes X, Y, Z (or Z = 0), R:
 * the left side is at most 8·255² + 255 + 2047 and the right side 255 + 256·2047, both far
 * below p, so every equation holds over the integers and they sum to X·Y + Z ≡ R (mod 2^64).
 * An honest carry is at most (8·255² + 255 + 2040) / 256 < 2041, so it passes the check.
 * Bound relied on: carries < 2^11, i.e. range-check-11 has exactly 2^11 rows (its fixedSize
 * rule; a 2^24-row table would let 256·c_k exceed p and the equations wrap).
 */
export function evalProduct8(
  e: EvalContext,
  x: (i: number) => Expr,
  y: (i: number) => Expr,
  addend: ((k: number) => Expr) | undefined,
  result: (k: number) => Expr,
  carry: readonly Expr[],
  sel: Expr,
  label: string,
): void {
  for (let k = 0; k < 8; k++) {
    let lhs: Expr = addend ? addend(k) : e.constant(0);
    if (k > 0) lhs = lhs.add(carry[k - 1]!);
    for (let i = 0; i <= k; i++) lhs = lhs.add(x(i).mul(y(k - i)));
    e.constraint(lhs.sub(result(k)).sub(carry[k]!.mul(256)), `${label} ${k}`);
    e.use(RANGE11, [carry[k]!], sel);
  }
}

/** Bytes of a u32 sign-extended to 8 into `out` (trace generation's twin of signExtended). */
export function extendBytes(out: Int32Array, v: number, s: number): void {
  for (let k = 0; k < 4; k++) {
    out[k] = (v >>> (8 * k)) & 0xff;
    out[k + 4] = 255 * s;
  }
}

/** Column k of the schoolbook product of two 8-byte vectors: Σ_(i+j=k) x_i·y_j (exact). */
export function productColumn(x: Int32Array, y: Int32Array, k: number): number {
  let s = 0;
  for (let i = 0; i <= k; i++) s += x[i]! * y[k - i]!;
  return s;
}
