import {
  bindCpu,
  bindRegisterAccesses,
  fillLink,
  logRowsFor,
  TraceWriter,
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
  const cpuRow = bindCpu(w, cpu, ctx);
  const access = bindRegisterAccesses(w, { rd }, R, ctx.lookups);
  const r = result.map((c) => w.col(c));
  const lookups = ctx.lookups;
  for (let i = 0; i < n; i++) {
    const clk = R.clk[i]!;
    const pc = R.pc[i]!;
    const rdi = R.rd[i]!;
    cpuRow(i, { clk, pc, op: Op.JAL, rd: rdi, rs1: 0, rs2: 0, imm: R.imm[i]! | 0 });
    fillLink(r, i, pc, lookups);
    access.rd(i);
  }
  return w.finish();
}
