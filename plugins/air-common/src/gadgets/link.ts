import type { EvalContext, Expr } from '@nexus/kernel';
import { evalBytes, wordOf, writeWord } from './bytes.js';
import type { CpuExprs } from './cpu.js';

/**
 * The link value of a jump, rd = pc + 4, as bytes r0..r3: pc + 4·sel = r0 + 2^8·r1 + 2^16·r2 +
 * 2^24·r3 as field elements, with r0..r3 looked up as bytes and 2·r3 too (r3 < 128). The right
 * side is then an integer in [0, 2^31 - 1] = [0, p]; pc is a program pc (the program lookup
 * pins it, and program pcs lie below 2^30), so pc + 4 is an integer in [4, 2^30 + 4), not 0
 * mod p. Two integers in [0, p] that agree mod p and are not 0 mod p are equal, so the bytes
 * are the 32-bit value pc + 4 exactly. The constraint is linear in sel (4·sel) to keep degree 1
 * and hold on all-zero padding rows. Lookups: (r0, r1), (r2, r3), (2·r3, 0).
 */
export function evalLink(e: EvalContext, c: CpuExprs, r: readonly Expr[]): void {
  e.constraint(c.pc.add(c.sel.mul(4)).sub(wordOf(r)), 'rd = pc + 4');
  evalBytes(e, [r[0]!, r[1]!, r[2]!, r[3]!, r[3]!.mul(2)], c.sel);
}

/** Writes row `row`'s link bytes (pc < 2^30: no wrap, r3 < 128) and counts evalLink's lookups. */
export function fillLink(
  r: readonly Uint32Array[],
  row: number,
  pc: number,
  lookups: { bytePair(a: number, b: number): void },
): void {
  writeWord(r, row, pc + 4);
  lookups.bytePair(r[0]![row]!, r[1]![row]!);
  lookups.bytePair(r[2]![row]!, r[3]![row]!);
  lookups.bytePair(2 * r[3]![row]!, 0);
}
