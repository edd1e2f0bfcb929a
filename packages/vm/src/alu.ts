/**
 * The M-extension operations JavaScript has no single operator for, on int32 inputs, returning
 * int32 (the register representation of both passes). No BigInt: the 64-bit products are built
 * from 16-bit limbs whose partial products stay below 2^32, exact in doubles.
 */

/** High 32 bits of the unsigned 64-bit product a * b (MULHU). */
export function mulhu(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  // Carry out of the low word: (p00 >> 16) + low halves of the cross products, < 3 * 2^16.
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/**
 * High 32 bits of the signed product (MULH). With a_s = a_u - 2^32·[a<0], the signed product is
 * a_u·b_u - 2^32·([a<0]·b_u + [b<0]·a_u) mod 2^64, so only the high word changes.
 */
export function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** High 32 bits of signed a times unsigned b (MULHSU). */
export function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}

/**
 * Signed division, RISC-V semantics: x/0 = -1, INT_MIN/-1 = INT_MIN (overflow), otherwise
 * truncation toward zero. `(a / b) | 0` is exact here: for |a|, |b| < 2^31 the double quotient's
 * rounding error (< 2^-22 / |b|) is smaller than its distance to the next integer (>= 1/|b|).
 */
export function div(a: number, b: number): number {
  if (b === 0) return -1;
  if (a === -0x80000000 && b === -1) return a;
  return (a / b) | 0;
}

/** Unsigned division: x/0 = 2^32 - 1. */
export function divu(a: number, b: number): number {
  if (b === 0) return -1;
  return ((a >>> 0) / (b >>> 0)) | 0;
}

/** Signed remainder: x%0 = x, INT_MIN % -1 = 0; the sign follows the dividend (like JS `%`). */
export function rem(a: number, b: number): number {
  if (b === 0) return a;
  if (b === -1) return 0;
  return (a % b) | 0;
}

/** Unsigned remainder: x%0 = x. */
export function remu(a: number, b: number): number {
  if (b === 0) return a;
  return ((a >>> 0) % (b >>> 0)) | 0;
}
