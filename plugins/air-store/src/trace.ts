import {
  bindRamAccess,
  fillAddress,
  globalOps,
  READS_IMM,
  READS_RS2,
  startFamilyTrace,
  TS_RAM,
  writeWord,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { layout } from './columns.js';

const OPS = globalOps('store');

/** Rows from the store family's records; null when no store ran. */
export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'store', layout);
  if (t === null) return null;
  const { n, R, cpuRow, access } = t;
  const cols = t.cols;
  const addrCells = cols.address;
  const ram = bindRamAccess(cols.mem, ctx.lookups);
  const nc = cols.next;
  const lookups = ctx.lookups;
  for (let i = 0; i < n; i++) {
    const clk = R.clk[i]!;
    const imm = R.imm[i]! | 0;
    cpuRow(i, OPS[R.op[i]!]!, READS_RS2 | READS_IMM);
    const a = R.rs1Val[i]!;
    access.rs1(i);
    access.rs2(i);

    const addr = fillAddress(addrCells, i, a, imm, lookups);

    // The RAM access (the old word; the new one is the VM's) and the word after the store.
    ram(i, R.memPrev[i]!, R.memPrevTs[i]!, 4 * clk + TS_RAM, true);
    const now = R.memVal[i]!;
    writeWord(nc, i, now);

    // The pairs of air.ts (those of the address counted by fillAddress).
    lookups.bytePair(addr >>> 24, now & 0xff);
    lookups.bytePair((now >>> 8) & 0xff, (now >>> 16) & 0xff);
    lookups.bytePair(now >>> 24, 0);
  }
  return t.finish();
}
