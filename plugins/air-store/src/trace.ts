import {
  addressCells,
  fillAccess,
  fillAddress,
  fillCpu,
  globalOps,
  logRowsFor,
  TraceWriter,
  TS_RAM,
  TS_RS1,
  TS_RS2,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { address, cpu, layout, mem, next, rs1, rs2 } from './columns.js';

const OPS = globalOps('store');

/** Rows from the store family's records; null when no store ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const rec = ctx.records.families.store;
  const n = rec.length;
  if (n === 0) return null;
  const w = new TraceWriter(layout, logRowsFor(n));
  const R = rec.columns;
  const addrCells = addressCells(w, address);
  const prev = mem.prev.map((c) => w.col(c));
  const prevTs = w.col(mem.prevTs);
  const lo = w.col(mem.lo);
  const hi = w.col(mem.hi);
  const nc = next.map((c) => w.col(c));
  const lookups = ctx.lookups;
  for (let i = 0; i < n; i++) {
    const clk = R.clk[i]!;
    const imm = R.imm[i]! | 0;
    fillCpu(
      w,
      cpu,
      i,
      { clk, pc: R.pc[i]!, op: OPS[R.op[i]!]!, rd: 0, rs1: R.rs1[i]!, rs2: R.rs2[i]!, imm },
      ctx,
    );
    const a = R.rs1Val[i]!;
    fillAccess(w, rs1, i, { value: a, prevTs: R.rs1Ts[i]!, ts: 4 * clk + TS_RS1 }, lookups);
    fillAccess(
      w,
      rs2,
      i,
      { value: R.rs2Val[i]!, prevTs: R.rs2Ts[i]!, ts: 4 * clk + TS_RS2 },
      lookups,
    );

    const addr = fillAddress(addrCells, i, a, imm, lookups);

    // The RAM access: the old word and the new one (the VM's), with the timestamp gap.
    const old = R.memPrev[i]!;
    const now = R.memVal[i]!;
    for (let k = 0; k < 4; k++) {
      prev[k]![i] = (old >>> (8 * k)) & 0xff;
      nc[k]![i] = (now >>> (8 * k)) & 0xff;
    }
    prevTs[i] = R.memPrevTs[i]!;
    const [l, h] = lookups.timestamp(4 * clk + TS_RAM - R.memPrevTs[i]! - 1);
    lo[i] = l;
    hi[i] = h;

    // The pairs of air.ts (those of the address counted by fillAddress).
    lookups.bytePair(addr >>> 24, now & 0xff);
    lookups.bytePair((now >>> 8) & 0xff, (now >>> 16) & 0xff);
    lookups.bytePair(now >>> 24, 0);
  }
  return w.finish();
}
