import {
  fillAccess,
  fillCpu,
  logRowsFor,
  TAPE_TS_SLOT,
  TraceWriter,
  TS_RS1,
  tapeHistory,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import { inv } from '@nexus/field';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import {
  a0,
  a1,
  a2,
  a7,
  BORROW,
  cpu,
  D,
  ENDED,
  IS_EXIT,
  IS_LOG,
  IS_PUBLIC,
  IS_READ,
  IS_WRITE,
  layout,
  N,
  NEW_ENDED,
  POS,
  PUBLIC_SHORT,
  SHORT,
  SHORT_INV,
  TAPE_HI,
  TAPE_LO,
  TAPE_PREV_TS,
  TAPE_REG,
} from './columns.js';

export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const rec = ctx.records.families.ecall;
  const n = rec.length;
  if (n === 0) return null;
  const w = new TraceWriter(layout, logRowsFor(n));
  const R = rec.columns;
  const tapes = tapeHistory(ctx.records);
  const { lookups } = ctx;
  const col = (name: string) => w.col(name);
  const nC = N.map(col);
  const dC = D.map(col);
  const bC = BORROW.map(col);
  for (let i = 0; i < n; i++) {
    const clk = R.clk[i]!;
    fillCpu(w, cpu, i, { clk, pc: R.pc[i]!, op: Op.ECALL, rd: 0, rs1: 0, rs2: 0, imm: 0 }, ctx);
    const local = R.op[i]!;
    col([IS_EXIT, IS_READ, IS_WRITE][local]!)[i] = 1;
    const ts = 4 * clk + TS_RS1;
    fillAccess(w, a7, i, { value: R.a7[i]!, prevTs: R.a7Ts[i]!, ts }, lookups);
    fillAccess(w, a0, i, { value: R.a0[i]!, prevTs: R.a0Ts[i]!, ts }, lookups);
    fillAccess(w, a1, i, { value: R.a1[i]!, prevTs: R.a1Ts[i]!, ts }, lookups);
    fillAccess(w, a2, i, { value: R.a2[i]!, prevTs: R.a2Ts[i]!, ts }, lookups);
    if (local === 0) continue;
    const fd = R.a0[i]!;
    if (local === 1) col(IS_PUBLIC)[i] = fd === 3 ? 1 : 0;
    else col(IS_LOG)[i] = fd === 2 ? 1 : 0;
    const moved = R.ioLen[i]!;
    const len = R.a2[i]! >>> 0;
    let borrow = 0;
    let dsum = 0;
    for (let k = 0; k < 4; k++) {
      const nk = (moved >>> (8 * k)) & 0xff;
      let dk = ((len >>> (8 * k)) & 0xff) - nk - borrow;
      borrow = dk < 0 ? 1 : 0;
      if (dk < 0) dk += 256;
      nC[k]![i] = nk;
      dC[k]![i] = dk;
      bC[k]![i] = borrow;
      dsum += dk;
    }
    lookups.bytePair(nC[0]![i]!, nC[1]![i]!);
    lookups.bytePair(nC[2]![i]!, nC[3]![i]!);
    lookups.bytePair(dC[0]![i]!, dC[1]![i]!);
    lookups.bytePair(dC[2]![i]!, dC[3]![i]!);
    lookups.bytePair(2 * nC[3]![i]!, 0);
    lookups.bytePair(2 * ((R.a1[i]! >>> 24) & 0xff), 0);
    const short = dsum === 0 ? 0 : 1;
    col(SHORT)[i] = short;
    if (short) col(SHORT_INV)[i] = inv(dsum);
    const reg = tapes.register[i]!;
    col(TAPE_REG)[i] = reg;
    const pos = tapes.prevValue[i]!;
    col(POS)[i] = pos;
    col(ENDED)[i] = tapes.prevEnded[i]!;
    col(NEW_ENDED)[i] = tapes.prevEnded[i]! | short;
    col(TAPE_PREV_TS)[i] = tapes.prevTs[i]!;
    const [lo, hi] = lookups.timestamp(4 * clk + TAPE_TS_SLOT - tapes.prevTs[i]! - 1);
    col(TAPE_LO)[i] = lo;
    col(TAPE_HI)[i] = hi;
    if (local === 1 && fd === 3 && short) {
      col(PUBLIC_SHORT)[i] = 1;
      lookups.publicInput[pos + moved]!++;
    }
  }
  return w.finish();
}
