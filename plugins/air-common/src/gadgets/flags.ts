import { mul, neg, P } from '@nexus/field';
import type { EvalContext, Expr } from '@nexus/kernel';

/**
 * The top bit of a byte: a boolean `bit` with byte - 128·bit in [0, 127]. The caller
 * range-checks the returned expression 2·(byte - 128·bit) as a byte: byte is a byte, so
 * byte - 128·bit is an integer in [-128, 255], and its double is a byte only on [0, 127], which
 * fixes bit = bit 7 of byte. With a `rest` column, rest = byte - 128·bit is a constraint and
 * 2·rest is what is checked (rest is then the low 7 bits).
 *
 * @param names labels: `<bit> is boolean` and, with a rest column, `<byte>_3 = 128·<bit> +
 *   <rest>` (the top byte of a word, as the families use it)
 */
export function evalTopBit(
  e: EvalContext,
  byte: Expr,
  bit: Expr,
  rest: Expr | undefined,
  names: { readonly byte: string; readonly bit: string; readonly rest?: string },
): Expr {
  e.constraint(bit.mul(bit.sub(1)), `${names.bit} is boolean`);
  const low = byte.sub(bit.mul(128));
  if (rest === undefined) return low.mul(2);
  e.constraint(low.sub(rest), `${names.byte}_3 = 128·${names.bit} + ${names.rest}`);
  return rest.mul(2);
}

/**
 * A flag z that is 1 exactly when a small value v (an integer below p, e.g. a sum of bytes) is
 * 0, on real rows (sel = 1), with an inverse witness w:
 *   z·v = 0,   v·w = sel - z,   z·w = 0.
 * If v ≠ 0: z = 0 and w = 1/v. If v = 0: z = sel and then w = 0. So z and w are determined, and
 * an all-zero padding row satisfies the three.
 *
 * @param names labels `<z>·<v> = 0`, `<v>·<w> = sel - <z>`, `<z>·<w> = 0`
 */
export function evalZeroFlag(
  e: EvalContext,
  v: Expr,
  z: Expr,
  w: Expr,
  sel: Expr,
  names: { readonly v: string; readonly z: string; readonly w: string },
): void {
  e.constraint(z.mul(v), `${names.z}·${names.v} = 0`);
  e.constraint(v.mul(w).sub(sel).add(z), `${names.v}·${names.w} = sel - ${names.z}`);
  e.constraint(z.mul(w), `${names.z}·${names.w} = 0`);
}

/** Inverses of the sums of four bytes (1..1020; 0 for 0), computed on first use. */
let byteSumInverses: Uint32Array | undefined;

/**
 * The inverses of 1..n mod p (index 0 holds 0), by the recurrence
 * 1/k = -(p div k) · 1/(p mod k), whose right side needs only an inverse of a smaller number
 * (p mod k < k): one multiplication per entry, where an exponentiation per entry cost ~40
 * (~5 ms of every cold proof, for 1,020 entries).
 *
 * @example
 * inversesUpTo(4)[3] // 1431655765 (3 · 1431655765 = 1 mod 2^31 - 1)
 */
export function inversesUpTo(n: number): Uint32Array {
  const out = new Uint32Array(n + 1);
  if (n >= 1) out[1] = 1;
  for (let k = 2; k <= n; k++) out[k] = neg(mul(Math.floor(P / k), out[P % k]!));
  return out;
}

/** The field inverse of a sum of four bytes, 0 for 0 (evalZeroFlag's witness w). */
export function inverseOfByteSum(s: number): number {
  byteSumInverses ??= inversesUpTo(4 * 255);
  return byteSumInverses[s]!;
}
