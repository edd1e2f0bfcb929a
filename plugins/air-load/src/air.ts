import {
  cpuExprs,
  evalAddress,
  evalBytes,
  evalCpu,
  evalRamAccess,
  evalRdWrite,
  evalRs1Read,
  evalTopBit,
  TS_RAM,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * LB, LH, LW, LBU, LHU: rd = the byte/halfword/word at rs1 + imm, sign- or zero-extended. The
 * address, its word index, offset bits and lane selectors come from evalAddress.
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
 * The sign: top = LB·r0 + LH·r1 is the byte whose bit 7 extends (0 for the other ops); sgn is
 * its top bit (evalTopBit: top is r0, r1 or 0, checked bytes); and sgn·(sel - LB - LH) = 0
 * keeps it 0 where nothing is extended. The result bytes are bytes by construction
 * (selections of bytes, 0 or 255) and are range-checked all the same, as every written byte is.
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const x = cols.rs1;
  const m = cols.mem;
  const a = cols.address;
  const r = cols.result;
  const topByte = cols.top;
  const sgn = cols.sign;
  const isLb = c.flag.is_lb;
  const isLh = c.flag.is_lh;
  const isLw = c.flag.is_lw;
  const isLhu = c.flag.is_lhu;

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, x);
  evalRdWrite(e, c, cols.rd, r);

  const { widx, lanes, s3 } = evalAddress(e, x.value, c.imm, a, c.sel);
  evalRamAccess(
    e,
    {
      widx,
      prev: m.prev,
      next: m.prev,
      writable: m.writable,
      ts: c.clk.mul(4).add(TS_RAM),
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
  const low2 = evalTopBit(e, topByte, sgn, undefined, { byte: 'top', bit: 'sgn' });
  e.constraint(sgn.mul(c.sel.sub(isLb).sub(isLh)), 'sgn is 0 unless LB/LH');
  // Pairs (s3, 2·(top - 128·sgn)), (r0, r1), (r2, r3): trace.ts counts the same.
  evalBytes(e, [s3, low2, ...r], c.sel);
}
