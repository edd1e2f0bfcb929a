import { bindCpu, logRowsFor, TraceWriter, type ZkvmTraceContext } from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { cpu, layout } from './columns.js';

/** Rows from the fence family's records; null when no FENCE ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const rec = ctx.records.families.fence;
  const n = rec.length;
  if (n === 0) return null;
  const w = new TraceWriter(layout, logRowsFor(n));
  const R = rec.columns;
  const cpuRow = bindCpu(w, cpu, ctx);
  const { program } = ctx;
  for (let i = 0; i < n; i++) {
    const pc = R.pc[i]!;
    // The records carry no immediate for FENCE; the program table's decoding is the source.
    const k = program.indexOfPc(pc);
    if (k < 0) throw new Error(`no instruction at pc 0x${pc.toString(16)} in the program table`);
    const imm = program.instructions.imm[k]!;
    cpuRow(i, { clk: R.clk[i]!, pc, op: Op.FENCE, rd: 0, rs1: 0, rs2: 0, imm });
  }
  return w.finish();
}
