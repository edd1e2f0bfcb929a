import {
  cpuExprs,
  evalAddress,
  evalBytes,
  evalCpu,
  evalRamAccess,
  evalRs1Read,
  evalRs2Read,
  TS_RAM,
} from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout } from './columns.js';

/**
 * SB, SH, SW: the word at rs1 + imm gets rs2's low byte, low half or all of it. The address,
 * its word index, offset bits and lane selectors come from evalAddress.
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
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const x = cols.rs1;
  const y = cols.rs2;
  const m = cols.mem.prev;
  const n = cols.next;
  const a = cols.address;
  const isSb = c.flag.is_sb;
  const isSh = c.flag.is_sh;
  const isSw = c.flag.is_sw;

  evalCpu(e, c, c.pc.add(4));
  evalRs1Read(e, c, x);
  evalRs2Read(e, c, y);

  const { widx, lanes, s3 } = evalAddress(e, x.value, c.imm, a, c.sel);
  evalRamAccess(
    e,
    {
      widx,
      prev: m,
      next: n,
      writable: e.constant(1),
      ts: c.clk.mul(4).add(TS_RAM),
      prevTs: cols.mem.prevTs,
      lo: cols.mem.lo,
      hi: cols.mem.hi,
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
  // Pairs (s3, n0), (n1, n2), (n3, 0): trace.ts counts the same.
  evalBytes(e, [s3, ...n], c.sel);
}
