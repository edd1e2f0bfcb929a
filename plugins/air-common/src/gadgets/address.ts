import type { EvalContext, Expr } from '@nexus/kernel';
import { col, cols } from '../layout.js';
import { evalByteAdd } from './arith.js';
import { evalBytes } from './bytes.js';

/**
 * The address rs1 + imm (mod 2^32) of a load or store: byte 0 as o0 + 2·o1 + 4·q (the offset
 * bits within the word and the word index's low six bits), bytes 1..3 (s1..s3), o01 = o0·o1,
 * and the carries of the sum.
 */
export interface AddressCols<T> {
  readonly o0: T;
  readonly o1: T;
  readonly o01: T;
  readonly q: T;
  readonly s: readonly T[];
  readonly carry: readonly T[];
}

/** The address columns: a_o0, a_o1, a_o01, a_q, a_s1..a_s3, a_c0..a_c3. */
export function addressColumns() {
  return {
    o0: col('a_o0'),
    o1: col('a_o1'),
    o01: col('a_o01'),
    q: col('a_q'),
    s: [col('a_s1'), col('a_s2'), col('a_s3')] as const,
    carry: cols('a_c', 4),
  };
}

/** The address columns bound to expressions. */
export type AddressExprs = AddressCols<Expr>;

/**
 * The address rs1 + imm (mod 2^32) and the word it falls in. The sum is byte by byte with
 * boolean carries (evalByteAdd), dropping c_3; byte 0 is s_0 = o0 + 2·o1 + 4·q with bits o0,
 * o1 and q in [0, 63] (q and 4·q looked up as bytes: q is an integer below 256, so 4·q is an
 * integer below 1024 < p, a byte only when q <= 63), so s_0 is a byte and (o0, o1) are its two
 * low bits, the byte offset in the word. s1 and s2 are looked up here; s3 is returned for the
 * caller to check with its own bytes (the pair lookups take two values, and 5 is odd). The
 * word index address >> 2 = q + 2^6·s1 + 2^14·s2 + 2^22·s3 is an integer below 2^30 < p: no
 * aliasing, and a word above mapped memory has no RAM token (the VM faults there).
 *
 * The lane selectors L_k = [offset = k] are linear in o0, o1 and o01 = o0·o1:
 * L0 = 1 - o0 - o1 + o01, L1 = o0 - o01, L2 = o1 - o01, L3 = o01 (one-hot for bits o0, o1).
 */
export function evalAddress(
  e: EvalContext,
  rs1Bytes: readonly Expr[],
  imm: readonly Expr[],
  a: AddressExprs,
  sel: Expr,
): { widx: Expr; lanes: Expr[]; s3: Expr } {
  const sumBytes = [a.o0.add(a.o1.mul(2)).add(a.q.mul(4)), ...a.s];
  evalByteAdd(e, rs1Bytes, imm, sumBytes, a.carry, { of: 'the address', carry: 'address carry' });
  e.constraint(a.o0.mul(a.o0.sub(1)), 'offset bit 0 is boolean');
  e.constraint(a.o1.mul(a.o1.sub(1)), 'offset bit 1 is boolean');
  e.constraint(a.o01.sub(a.o0.mul(a.o1)), 'o01 = o0·o1');
  evalBytes(e, [a.q, a.q.mul(4), a.s[0]!, a.s[1]!], sel);
  const widx = a.q.add(a.s[0]!.mul(64)).add(a.s[1]!.mul(16384)).add(a.s[2]!.mul(4194304));
  const one = e.constant(1);
  const lanes = [one.sub(a.o0).sub(a.o1).add(a.o01), a.o0.sub(a.o01), a.o1.sub(a.o01), a.o01];
  return { widx, lanes, s3: a.s[2]! };
}

/** The address columns of a trace. */
export type AddressCells = AddressCols<Uint32Array>;

/**
 * Writes row `row`'s address witnesses for rs1 value `a` and immediate `imm`, counts the
 * lookups of evalAddress (the pairs (q, 4·q) and (s1, s2)) and returns the address (a u32).
 */
export function fillAddress(
  cells: AddressCells,
  row: number,
  a: number,
  imm: number,
  lookups: { bytePair(a: number, b: number): void },
): number {
  const b = imm >>> 0;
  let cin = 0;
  let addr = 0;
  for (let k = 0; k < 4; k++) {
    const t = ((a >>> (8 * k)) & 0xff) + ((b >>> (8 * k)) & 0xff) + cin;
    cin = t >>> 8;
    cells.carry[k]![row] = cin;
    addr |= (t & 0xff) << (8 * k);
  }
  addr >>>= 0;
  const offset = addr & 3;
  const q = (addr & 0xff) >>> 2;
  const s1 = (addr >>> 8) & 0xff;
  const s2 = (addr >>> 16) & 0xff;
  cells.o0[row] = offset & 1;
  cells.o1[row] = offset >>> 1;
  cells.o01[row] = offset === 3 ? 1 : 0;
  cells.q[row] = q;
  cells.s[0]![row] = s1;
  cells.s[1]![row] = s2;
  cells.s[2]![row] = addr >>> 24;
  lookups.bytePair(q, 4 * q);
  lookups.bytePair(s1, s2);
  return addr;
}
