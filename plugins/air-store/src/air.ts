import {
  accessExprs,
  cpuExprs,
  evalBytes,
  evalCpu,
  evalRamAccess,
  evalRegisterAccess,
  TS_RAM,
  TS_RS1,
  TS_RS2,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { address, cpu, mem, next, rs1, rs2 } from './columns.js';

/** The address witnesses of a row as expressions. */
export interface AddressExprs {
  readonly o0: Expr;
  readonly o1: Expr;
  readonly o01: Expr;
  readonly q: Expr;
  readonly s: readonly Expr[];
  readonly carry: readonly Expr[];
}

/**
 * The values the row range-checks, in pair order (trace.ts counts the same pairs):
 * (q, 4·q), (s1, s2), (s3, n0), (n1, n2), (n3, 0).
 */
export function checkedBytes(a: AddressExprs, n: readonly Expr[]): Expr[] {
  return [a.q, a.q.mul(4), a.s[0]!, a.s[1]!, a.s[2]!, n[0]!, n[1]!, n[2]!, n[3]!];
}

/**
 * The address rs1 + imm (mod 2^32) and the word it falls in (the same gadget as
 * @nexus/air-load). The sum is byte by byte with boolean carries, dropping c_3; byte 0 is
 * s_0 = o0 + 2·o1 + 4·q with bits o0, o1 and q in [0, 63] (q and 4·q looked up as bytes: q is an
 * integer below 256, so 4·q is an integer below 1024 < p, a byte only when q <= 63), so (o0, o1)
 * are the two low bits of the address. The word index q + 2^6·s1 + 2^14·s2 + 2^22·s3 is an
 * integer below 2^30 < p: no aliasing, and a word outside mapped memory has no RAM token.
 *
 * The lane selectors L_k = [offset = k] are linear in o0, o1 and o01 = o0·o1.
 */
export function evalAddress(
  e: EvalContext,
  rs1Bytes: readonly Expr[],
  imm: readonly Expr[],
  a: AddressExprs,
): { widx: Expr; lanes: Expr[] } {
  const sumBytes = [a.o0.add(a.o1.mul(2)).add(a.q.mul(4)), ...a.s];
  for (let k = 0; k < 4; k++) {
    const carryIn = k === 0 ? e.constant(0) : a.carry[k - 1]!;
    e.constraint(
      rs1Bytes[k]!.add(imm[k]!).add(carryIn).sub(sumBytes[k]!).sub(a.carry[k]!.mul(256)),
      `byte ${k} of the address`,
    );
    e.constraint(a.carry[k]!.mul(a.carry[k]!.sub(1)), `address carry ${k} is boolean`);
  }
  e.constraint(a.o0.mul(a.o0.sub(1)), 'offset bit 0 is boolean');
  e.constraint(a.o1.mul(a.o1.sub(1)), 'offset bit 1 is boolean');
  e.constraint(a.o01.sub(a.o0.mul(a.o1)), 'o01 = o0·o1');
  const widx = a.q.add(a.s[0]!.mul(64)).add(a.s[1]!.mul(16384)).add(a.s[2]!.mul(4194304));
  const one = e.constant(1);
  const lanes = [one.sub(a.o0).sub(a.o1).add(a.o01), a.o0.sub(a.o01), a.o1.sub(a.o01), a.o01];
  return { widx, lanes };
}

/**
 * SB, SH, SW: the word at rs1 + imm gets rs2's low byte, low half or all of it.
 *
 * Alignment: SW needs o0 = o1 = 0 and SH o0 = 0, so a misaligned store (a VM fault) has no
 * witness. The RAM access consumes the old word m and produces the new word n at 4·clk + 3,
 * both with writable = 1: only tokens of writable words exist with that flag, so a store to
 * code or read-only data cannot balance (the VM faults there too).
 *
 * New word, byte k, with the one-hot op flags:
 *   n_k = m_k + SW·(b_k - m_k) + SH·H_k·(b_(k mod 2) - m_k) + SB·L_k·(b_0 - m_k)
 * where H_k = 1 - o1 for k < 2 and o1 for k >= 2 (the half's lanes; SH has o0 = 0) and L_k the
 * lane selector: every byte is either kept or replaced by the rs2 byte that lands there, and
 * the coefficient of the replacement is a product of booleans, so n_k is a byte by
 * construction (it is range-checked all the same, as every written byte is). Degree 3.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const clk4 = c.clk.mul(4);
  const x = accessExprs(e, rs1);
  const y = accessExprs(e, rs2);
  const m = mem.prev.map((n) => e.col(n));
  const n = next.map((name) => e.col(name));
  const a: AddressExprs = {
    o0: e.col(address.o0),
    o1: e.col(address.o1),
    o01: e.col(address.o01),
    q: e.col(address.q),
    s: address.s.map((name) => e.col(name)),
    carry: address.carry.map((name) => e.col(name)),
  };
  const isSb = c.flags.get(Op.SB)!;
  const isSh = c.flags.get(Op.SH)!;
  const isSw = c.flags.get(Op.SW)!;

  evalCpu(e, c, c.pc.add(4));
  for (const [v, reg, ts, label] of [
    [x, c.rs1, TS_RS1, 'rs1'],
    [y, c.rs2, TS_RS2, 'rs2'],
  ] as const) {
    evalRegisterAccess(
      e,
      {
        reg,
        prev: v.value,
        next: v.value,
        ts: clk4.add(ts),
        prevTs: v.prevTs,
        lo: v.lo,
        hi: v.hi,
        multiplicity: c.sel,
      },
      label,
    );
  }

  const { widx, lanes } = evalAddress(e, x.value, c.imm, a);
  evalRamAccess(
    e,
    {
      widx,
      prev: m,
      next: n,
      writable: e.constant(1),
      ts: clk4.add(TS_RAM),
      prevTs: e.col(mem.prevTs),
      lo: e.col(mem.lo),
      hi: e.col(mem.hi),
      multiplicity: c.sel,
    },
    'ram',
  );
  e.constraint(isSw.mul(a.o0), 'SW is word-aligned (bit 0)');
  e.constraint(isSw.mul(a.o1), 'SW is word-aligned (bit 1)');
  e.constraint(isSh.mul(a.o0), 'SH is halfword-aligned');

  const b = y.value;
  const one = e.constant(1);
  for (let k = 0; k < 4; k++) {
    const half = k < 2 ? one.sub(a.o1) : a.o1;
    e.constraint(
      n[k]!.sub(m[k]!)
        .sub(isSw.mul(b[k]!.sub(m[k]!)))
        .sub(isSh.mul(half).mul(b[k % 2]!.sub(m[k]!)))
        .sub(isSb.mul(lanes[k]!).mul(b[0]!.sub(m[k]!))),
      `byte ${k} of the stored word`,
    );
  }
  evalBytes(e, checkedBytes(a, n), c.sel);
}
