import {
  accessExprs,
  cpuExprs,
  evalBytes,
  evalCpu,
  evalRegisterAccess,
  TS_RD,
  TS_RS1,
  wordOf,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { carry, cpu, rd, result, rs1, sum, targetBit0, targetLow } from './columns.js';

/**
 * The values the row range-checks, in pair order (trace.ts counts the same pairs):
 * (t_lo, 4·t_lo), (s1, s2), (s3, 4·s3), (r0, r1), (r2, r3), (2·r3, 0).
 */
export function checkedBytes(lo: Expr, s: readonly Expr[], r: readonly Expr[]): Expr[] {
  return [
    lo,
    lo.mul(4),
    s[0]!,
    s[1]!,
    s[2]!,
    s[2]!.mul(4),
    r[0]!,
    r[1]!,
    r[2]!,
    r[3]!,
    r[3]!.mul(2),
  ];
}

/**
 * JALR: target = (rs1 + imm) & ~1, rd = pc + 4, next pc = target.
 *
 * The sum s = rs1 + imm mod 2^32 byte by byte: a_k + imm_k + c_(k-1) = s_k + 256·c_k with
 * boolean carries and bytes s_k (rs1's bytes come from the register bus, the immediate's from the
 * program table), dropping c_3. Byte 0 is not a column: s_0 = 4·t_lo + t_b0 with t_b0 a bit and
 * t_lo in [0, 63]: t_lo is looked up as a byte, so it is an integer below 256 and 4·t_lo an
 * integer below 1024 < p, and 4·t_lo is looked up as a byte too. So s_0 is a byte whose bit 1
 * is 0: a sum with bit 1 set has no witness at all, which is the VM's misaligned-jump fault.
 *
 * The target drops t_b0: 4·t_lo + 2^8·s1 + 2^16·s2 + 2^24·s3. With s3 < 64 (4·s3 is a byte) it
 * is below 2^30, so the field element is the integer target and cannot alias a program pc mod p;
 * a real target at or above 2^30 is no code (the zkVM's code lies below 2^30) and the VM faults.
 *
 * The link: pc + 4 = Σ 2^(8k)·r_k as field elements with bytes r_k and r3 < 128; pc is a program
 * pc (below 2^30) so pc + 4 is in [4, 2^30 + 4) and the decomposition is unique (see air-jal).
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const clk4 = c.clk.mul(4);
  const a = accessExprs(e, rs1);
  const w = accessExprs(e, rd);
  const lo = e.col(targetLow);
  const b0 = e.col(targetBit0);
  const s = sum.map((n) => e.col(n));
  const cr = carry.map((n) => e.col(n));
  const r = result.map((n) => e.col(n));

  const target = lo.mul(4).add(s[0]!.mul(256)).add(s[1]!.mul(65536)).add(s[2]!.mul(16777216));
  evalCpu(e, c, target);
  evalRegisterAccess(
    e,
    {
      reg: c.rs1,
      prev: a.value,
      next: a.value,
      ts: clk4.add(TS_RS1),
      prevTs: a.prevTs,
      lo: a.lo,
      hi: a.hi,
      multiplicity: c.sel,
    },
    'rs1',
  );
  evalRegisterAccess(
    e,
    {
      reg: c.rd,
      prev: w.prev,
      next: r,
      ts: clk4.add(TS_RD),
      prevTs: w.prevTs,
      lo: w.lo,
      hi: w.hi,
      multiplicity: c.sel.mul(c.rdNonZero),
    },
    'rd',
  );

  const sumBytes = [lo.mul(4).add(b0), ...s];
  for (let k = 0; k < 4; k++) {
    const carryIn = k === 0 ? e.constant(0) : cr[k - 1]!;
    e.constraint(
      a.value[k]!.add(c.imm[k]!).add(carryIn).sub(sumBytes[k]!).sub(cr[k]!.mul(256)),
      `byte ${k} of rs1 + imm`,
    );
    e.constraint(cr[k]!.mul(cr[k]!.sub(1)), `carry ${k} is boolean`);
  }
  e.constraint(b0.mul(b0.sub(1)), 'bit 0 of the sum is boolean');
  e.constraint(c.pc.add(c.sel.mul(4)).sub(wordOf(r)), 'rd = pc + 4');
  evalBytes(e, checkedBytes(lo, s, r), c.sel);
}
