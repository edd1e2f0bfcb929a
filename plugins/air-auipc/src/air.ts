import {
  BITWISE,
  BITWISE_PAIR,
  cpuExprs,
  evalByteAdd,
  evalCpu,
  evalRdWrite,
  wordOf,
} from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * AUIPC rd = pc + (imm << 12) modulo 2^32.
 *
 * pc is a field element, pinned by the program lookup to a real instruction address, and every
 * program address is below 2^30 (air-common program.ts). Its bytes p0..p3 are range-checked,
 * and 4·p3 is a byte too, so p3 < 64 and p0 + 2^8·p1 + 2^16·p2 + 2^24·p3 < 2^30 < p: the
 * constraint "pc is its bytes" then holds over the integers, so the bytes are pc's (without the
 * p3 bound, pc + p < 2^32 would be a second decomposition).
 *
 * The sum is byte-wise with boolean carries (evalByteAdd), as for ADD. Byte 0 of the immediate
 * is 0 for every U-type instruction (the program tuple carries the constant 0 there), so byte 0
 * of the result is p0 with no carry out, and the chain covers bytes 1..3 (r_k range-checked). The eight range-checked bytes (p0..p3, 4·p3, r1..r3) go in four pair
 * lookups.
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const zero = e.constant(0);
  const immBytes = [zero, ...cols.imm];
  const c = { ...cpuExprs(e, cols.cpu), imm: immBytes, immField: cols.immField };
  const p = cols.pcBytes;
  const r = cols.result;
  const cr = cols.carry;

  evalCpu(e, c, c.pc.add(4));
  evalRdWrite(e, c, cols.rd, [p[0]!, ...r]);

  e.constraint(c.pc.sub(wordOf(p)), 'pc is its bytes');
  evalByteAdd(e, p.slice(1), immBytes.slice(1), r, cr, { of: 'the sum', carry: 'carry', first: 1 });
  const pairs = [
    [p[0]!, p[1]!],
    [p[2]!, p[3]!],
    [p[3]!.mul(4), r[0]!],
    [r[1]!, r[2]!],
  ] as const;
  for (const [x, y] of pairs) e.use(BITWISE, [BITWISE_PAIR, x, y, 0], c.sel);
}
