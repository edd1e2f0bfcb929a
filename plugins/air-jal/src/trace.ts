import {
  fillAccess,
  fillCpu,
  logRowsFor,
  TraceWriter,
  TS_RD,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { cpu, layout, rd, result } from './columns.js';

/** Rows from the jal family's records; null when no JAL ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const rec = ctx.records.families.jal;
  const n = rec.length;
  if (n === 0) return null;
  const w = new TraceWriter(layout, logRowsFor(n));
  const R = rec.columns;
  const [r0, r1, r2, r3] = result.map((c) => w.col(c)) as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  const lookups = ctx.lookups;
  for (let i = 0; i < n; i++) {
    const clk = R.clk[i]!;
    const pc = R.pc[i]!;
    const rdi = R.rd[i]!;
    fillCpu(w, cpu, i, { clk, pc, op: Op.JAL, rd: rdi, rs1: 0, rs2: 0, imm: R.imm[i]! | 0 }, ctx);
    // pc < 2^30, so the link fits in 31 bits: no wrap, and r3 < 128.
    const link = pc + 4;
    const b0 = link & 0xff;
    const b1 = (link >>> 8) & 0xff;
    const b2 = (link >>> 16) & 0xff;
    const b3 = link >>> 24;
    r0[i] = b0;
    r1[i] = b1;
    r2[i] = b2;
    r3[i] = b3;
    // The pairs of air.ts checkedBytes: (r0, r1), (r2, r3), (2·r3, 0).
    lookups.bytePair(b0, b1);
    lookups.bytePair(b2, b3);
    lookups.bytePair(2 * b3, 0);
    if (rdi !== 0) {
      fillAccess(
        w,
        rd,
        i,
        { prev: R.rdPrev[i]!, value: 0, prevTs: R.rdPrevTs[i]!, ts: 4 * clk + TS_RD },
        lookups,
      );
    }
  }
  return w.finish();
}
