/*
 * M31 arithmetic on v128 lanes (4 elements) and on scalars, all inline: V8 does not inline
 * WebAssembly calls, so a helper that stayed a call would cost more than the arithmetic.
 *
 * Every value is canonical, in [0, p). Reductions use i32x4.min_u: for s in [0, 2p), s - p
 * wraps around to a large unsigned value exactly when s < p, so min_u(s, s - p) is s mod p
 * with no branch and no compare mask.
 */

export const P: u32 = 0x7fffffff;

// @ts-expect-error: decorator
@inline
export function reduceV(s: v128): v128 {
  return i32x4.min_u(s, i32x4.sub(s, i32x4.splat(P)));
}

// @ts-expect-error: decorator
@inline
export function addV(a: v128, b: v128): v128 {
  return reduceV(i32x4.add(a, b));
}

// a - b: if a >= b the difference is in [0, p) and adding p gives more; otherwise it wrapped
// to >= 2^32 - p and adding p gives the residue, which is the smaller one.
// @ts-expect-error: decorator
@inline
export function subV(a: v128, b: v128): v128 {
  const d = i32x4.sub(a, b);
  return i32x4.min_u(d, i32x4.add(d, i32x4.splat(P)));
}

/**
 * a·b mod p lane by lane. The 62-bit products of lanes 0-1 and 2-3 come from the two widening
 * multiplies; x = hi·2^31 + lo ≡ hi + lo (mod p) with hi + lo < 2p, so one min_u finishes.
 */
// @ts-expect-error: decorator
@inline
export function mulV(a: v128, b: v128): v128 {
  const x01 = i64x2.extmul_low_i32x4_u(a, b);
  const x23 = i64x2.extmul_high_i32x4_u(a, b);
  const p64 = i64x2.splat(<i64>P);
  const r01 = i64x2.add(v128.and(x01, p64), i64x2.shr_u(x01, 31));
  const r23 = i64x2.add(v128.and(x23, p64), i64x2.shr_u(x23, 31));
  // the low 32 bits of each 64-bit lane, in lane order
  const r = i8x16.shuffle(r01, r23, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  return reduceV(r);
}

// @ts-expect-error: decorator
@inline
export function add(a: u32, b: u32): u32 {
  const s = a + b;
  const t = s - P;
  return t < s ? t : s;
}

// @ts-expect-error: decorator
@inline
export function sub(a: u32, b: u32): u32 {
  const d = a - b;
  const t = d + P;
  return t < d ? t : d;
}

// @ts-expect-error: decorator
@inline
export function mul(a: u32, b: u32): u32 {
  const x = <u64>a * <u64>b;
  return add(<u32>(x & <u64>P), <u32>(x >> 31));
}
