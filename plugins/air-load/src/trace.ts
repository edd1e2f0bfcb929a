import {
  bindRamAccess,
  fillAddress,
  globalOps,
  isWritableWord,
  READS_IMM,
  startFamilyTrace,
  TS_RAM,
  writeWord,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

const OPS = globalOps('load');

/** The value a load writes to rd (RISC-V: LB/LH sign-extend, LBU/LHU zero-extend). */
export function loadedValue(op: number, word: number, offset: number): number {
  switch (op) {
    case Op.LW:
      return word >>> 0;
    case Op.LH:
      return ((word << (16 - 8 * offset)) >> 16) >>> 0;
    case Op.LHU:
      return (word >>> (8 * offset)) & 0xffff;
    case Op.LB:
      return ((word << (24 - 8 * offset)) >> 24) >>> 0;
    default:
      return (word >>> (8 * offset)) & 0xff;
  }
}

/** Rows from the load family's records; null when no load ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'load', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const addrCells = cols.address;
  const ram = bindRamAccess(cols.mem, ctx.lookups);
  const res = cols.result;
  const topc = cols.top;
  const sgnc = cols.sign;
  const lookups = ctx.lookups;
  for (let i = 0; i < n; i++) {
    const clk = R.clk[i]!;
    const op = OPS[R.op[i]!]!;
    const imm = R.imm[i]! | 0;
    cpuRow(i, op, READS_IMM);
    const a = R.rs1Val[i]!;
    access.rs1(i);

    const addr = fillAddress(addrCells, i, a, imm, lookups);
    const offset = addr & 3;

    const word = R.memPrev[i]!;
    ram(i, word, R.memPrevTs[i]!, 4 * clk + TS_RAM, isWritableWord(ctx.program, addr >>> 2));

    // The result (also for rd = x0, whose write is skipped but whose row still proves it).
    writeWord(res, i, loadedValue(op, word, offset));
    const t = op === Op.LB ? res[0]![i]! : op === Op.LH ? res[1]![i]! : 0;
    const sg = t >>> 7;
    topc[i] = t;
    sgnc[i] = sg;
    // The pairs of air.ts (those of the address counted by fillAddress).
    lookups.bytePair(addr >>> 24, 2 * (t - 128 * sg));
    lookups.bytePair(res[0]![i]!, res[1]![i]!);
    lookups.bytePair(res[2]![i]!, res[3]![i]!);

    access.rd(i);
  }
  return t.finish();
}
