import {
  fillAccess,
  fillCpu,
  globalOps,
  logRowsFor,
  TraceWriter,
  TS_RD,
  TS_RS1,
  TS_RS2,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { carry, cpu, layout, rd, result, rs1, rs2 } from './columns.js';

const OPS = globalOps('add');

/** Rows from the add family's records; null when no ADD/ADDI ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const rec = ctx.records.families.add;
  const n = rec.length;
  if (n === 0) return null;
  const w = new TraceWriter(layout, logRowsFor(n));
  const R = rec.columns;
  const res = result.map((c) => w.col(c));
  const car = carry.map((c) => w.col(c));
  for (let i = 0; i < n; i++) {
    const op = OPS[R.op[i]!]!;
    const clk = R.clk[i]!;
    const isAdd = op === Op.ADD;
    fillCpu(
      w,
      cpu,
      i,
      {
        clk,
        pc: R.pc[i]!,
        op,
        rd: R.rd[i]!,
        rs1: R.rs1[i]!,
        rs2: isAdd ? R.rs2[i]! : 0,
        imm: isAdd ? 0 : R.imm[i]! | 0,
      },
      ctx,
    );
    const a = R.rs1Val[i]!;
    const b = isAdd ? R.rs2Val[i]! : R.imm[i]! >>> 0;
    fillAccess(w, rs1, i, { value: a, prevTs: R.rs1Ts[i]!, ts: 4 * clk + TS_RS1 }, ctx.lookups);
    if (isAdd)
      fillAccess(w, rs2, i, { value: b, prevTs: R.rs2Ts[i]!, ts: 4 * clk + TS_RS2 }, ctx.lookups);
    let c = 0;
    const bytes: number[] = [];
    for (let k = 0; k < 4; k++) {
      const s = ((a >>> (8 * k)) & 0xff) + ((b >>> (8 * k)) & 0xff) + c;
      bytes.push(s & 0xff);
      c = s >>> 8;
      res[k]![i] = s & 0xff;
      car[k]![i] = c;
    }
    ctx.lookups.bytePair(bytes[0]!, bytes[1]!);
    ctx.lookups.bytePair(bytes[2]!, bytes[3]!);
    if (R.rd[i] !== 0) {
      fillAccess(
        w,
        rd,
        i,
        { prev: R.rdPrev[i]!, value: 0, prevTs: R.rdPrevTs[i]!, ts: 4 * clk + TS_RD },
        ctx.lookups,
      );
    }
  }
  return w.finish();
}
