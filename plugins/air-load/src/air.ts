import {
  accessExprs,
  cpuExprs,
  evalBytes,
  evalCpu,
  evalRamAccess,
  evalRegisterAccess,
  ramExprs,
  TS_RAM,
  TS_RD,
  TS_RS1,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { address, cpu, mem, rd, result, rs1, sign, top } from './columns.js';

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
 * (q, 4·q), (s1, s2), (s3, 2·(top - 128·sgn)), (r0, r1), (r2, r3).
 */
export function checkedBytes(
  a: AddressExprs,
  topByte: Expr,
  sgn: Expr,
  r: readonly Expr[],
): Expr[] {
  return [
    a.q,
    a.q.mul(4),
    a.s[0]!,
    a.s[1]!,
    a.s[2]!,
    topByte.sub(sgn.mul(128)).mul(2),
    r[0]!,
    r[1]!,
    r[2]!,
    r[3]!,
  ];
}

/**
 * The address rs1 + imm (mod 2^32) and the word it falls in. The sum is byte by byte with
 * boolean carries, a_k + imm_k + c_(k-1) = s_k + 256·c_k, dropping c_3; byte 0 is
 * s_0 = o0 + 2·o1 + 4·q with bits o0, o1 and q in [0, 63] (q and 4·q looked up as bytes: q is an
 * integer below 256, so 4·q is an integer below 1024 < p, a byte only when q <= 63), so s_0 is
 * a byte and (o0, o1) are its two low bits, the byte offset in the word. The word index
 * address >> 2 = q + 2^6·s1 + 2^14·s2 + 2^22·s3 is an integer below 2^30 < p: no aliasing, and a
 * word above mapped memory has no RAM token (the VM faults there).
 *
 * The lane selectors L_k = [offset = k] are linear in o0, o1 and o01 = o0·o1:
 * L0 = 1 - o0 - o1 + o01, L1 = o0 - o01, L2 = o1 - o01, L3 = o01 (one-hot for bits o0, o1).
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
 * LB, LH, LW, LBU, LHU: rd = the byte/halfword/word at rs1 + imm, sign- or zero-extended.
 *
 * Alignment: LW needs o0 = o1 = 0 and LH/LHU o0 = 0, so a misaligned access (a VM fault) has no
 * witness. The word m is read at 4·clk + 3 (next = prev), with its writable flag as a column:
 * a load may read any mapped word, and the flag only has to match the token.
 *
 * Result bytes, with the one-hot op flags and the lane selectors:
 *   r0 = Σ L_k·m_k: the byte at the offset (for LW and the halves the offset is 0 or 2, so this
 *        is also their low byte);
 *   r1 = LW·m1 + (LH + LHU)·((1 - o1)·m1 + o1·m3) + LB·255·sgn;
 *   r2 = LW·m2 + (LB + LH)·255·sgn,  r3 = LW·m3 + (LB + LH)·255·sgn.
 * The sign: top = LB·r0 + LH·r1 is the byte whose bit 7 extends (0 for the other ops); sgn is a
 * bit with top - 128·sgn in [0, 127] (2·(top - 128·sgn) looked up as a byte; top is a byte, so
 * top - 128·sgn is an integer in [-128, 255] whose double is a byte only on [0, 127]); and
 * sgn·(sel - LB - LH) = 0 keeps it 0 where nothing is extended. The result bytes are bytes by
 * construction (selections of bytes, 0 or 255) and are range-checked all the same, as every
 * written byte is.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  const clk4 = c.clk.mul(4);
  const x = accessExprs(e, rs1);
  const w = accessExprs(e, rd);
  const m = ramExprs(e, mem);
  const a: AddressExprs = {
    o0: e.col(address.o0),
    o1: e.col(address.o1),
    o01: e.col(address.o01),
    q: e.col(address.q),
    s: address.s.map((n) => e.col(n)),
    carry: address.carry.map((n) => e.col(n)),
  };
  const r = result.map((n) => e.col(n));
  const topByte = e.col(top);
  const sgn = e.col(sign);
  const isLb = c.flags.get(Op.LB)!;
  const isLh = c.flags.get(Op.LH)!;
  const isLw = c.flags.get(Op.LW)!;
  const isLhu = c.flags.get(Op.LHU)!;

  evalCpu(e, c, c.pc.add(4));
  evalRegisterAccess(
    e,
    {
      reg: c.rs1,
      prev: x.value,
      next: x.value,
      ts: clk4.add(TS_RS1),
      prevTs: x.prevTs,
      lo: x.lo,
      hi: x.hi,
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

  const { widx, lanes } = evalAddress(e, x.value, c.imm, a);
  evalRamAccess(
    e,
    {
      widx,
      prev: m.prev,
      next: m.prev,
      writable: m.writable,
      ts: clk4.add(TS_RAM),
      prevTs: m.prevTs,
      lo: m.lo,
      hi: m.hi,
      multiplicity: c.sel,
    },
    'ram',
  );
  e.constraint(isLw.mul(a.o0), 'LW is word-aligned (bit 0)');
  e.constraint(isLw.mul(a.o1), 'LW is word-aligned (bit 1)');
  e.constraint(isLh.add(isLhu).mul(a.o0), 'LH/LHU is halfword-aligned');

  const mw = m.prev;
  const ext = isLb.add(isLh).mul(sgn).mul(255);
  let byte: Expr = e.constant(0);
  for (let k = 0; k < 4; k++) byte = byte.add(lanes[k]!.mul(mw[k]!));
  const one = e.constant(1);
  const halfHigh = one.sub(a.o1).mul(mw[1]!).add(a.o1.mul(mw[3]!));
  e.constraint(r[0]!.sub(byte), 'r0 = the byte at the offset');
  e.constraint(
    r[1]!.sub(isLw.mul(mw[1]!)).sub(isLh.add(isLhu).mul(halfHigh)).sub(isLb.mul(sgn).mul(255)),
    'r1',
  );
  e.constraint(r[2]!.sub(isLw.mul(mw[2]!)).sub(ext), 'r2');
  e.constraint(r[3]!.sub(isLw.mul(mw[3]!)).sub(ext), 'r3');
  e.constraint(topByte.sub(isLb.mul(r[0]!)).sub(isLh.mul(r[1]!)), 'top = the byte LB/LH extend');
  e.constraint(sgn.mul(sgn.sub(1)), 'sgn is boolean');
  e.constraint(sgn.mul(c.sel.sub(isLb).sub(isLh)), 'sgn is 0 unless LB/LH');
  evalBytes(e, checkedBytes(a, topByte, sgn, r), c.sel);
}
