import {
  cpuExprs,
  evalByteAdd,
  evalBytes,
  evalCpu,
  evalLink,
  evalRdWrite,
  evalRs1Read,
} from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * JALR: target = (rs1 + imm) & ~1, rd = pc + 4, next pc = target.
 *
 * The sum s = rs1 + imm mod 2^32 byte by byte with boolean carries (evalByteAdd; rs1's bytes
 * come from the register bus, the immediate's from the program table). Byte 0 is not a column:
 * s_0 = 4·t_lo + t_b0 with t_b0 a bit and t_lo in [0, 63]: t_lo is looked up as a byte, so it
 * is an integer below 256 and 4·t_lo an integer below 1024 < p, and 4·t_lo is looked up as a
 * byte too. So s_0 is a byte whose bit 1 is 0: a sum with bit 1 set has no witness at all,
 * which is the VM's misaligned-jump fault.
 *
 * The target drops t_b0: 4·t_lo + 2^8·s1 + 2^16·s2 + 2^24·s3. With s3 < 64 (4·s3 is a byte) it
 * is below 2^30, so the field element is the integer target and cannot alias a program pc mod p;
 * a real target at or above 2^30 is no code (the zkVM's code lies below 2^30) and the VM faults.
 *
 * The link: r0..r3 are the bytes of pc + 4 (evalLink).
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const a = cols.rs1;
  const lo = cols.targetLow;
  const b0 = cols.targetBit0;
  const s = cols.sum;
  const r = cols.result;

  const target = lo.mul(4).add(s[0]!.mul(256)).add(s[1]!.mul(65536)).add(s[2]!.mul(16777216));
  evalCpu(e, c, target);
  evalRs1Read(e, c, a);
  evalRdWrite(e, c, cols.rd, r);

  const cr = cols.carry;
  evalByteAdd(e, a.value, c.imm, [lo.mul(4).add(b0), ...s], cr, {
    of: 'rs1 + imm',
    carry: 'carry',
  });
  e.constraint(b0.mul(b0.sub(1)), 'bit 0 of the sum is boolean');
  // Pairs (t_lo, 4·t_lo), (s1, s2), (s3, 4·s3); then the link's: trace.ts counts the same.
  evalBytes(e, [lo, lo.mul(4), s[0]!, s[1]!, s[2]!, s[2]!.mul(4)], c.sel);
  evalLink(e, c, r);
}
