import {
  bindAccess,
  bindCpu,
  bindRamAccess,
  isWritableWord,
  logRowsFor,
  TS_RD,
  TS_RS1,
  writeWord,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op, PRECOMPILE_READ_SLOT, PRECOMPILE_WRITE_SLOT, type PrecompileRecords } from '@nexus/vm';
import { layout } from './columns.js';
import { INPUT_WORDS } from './compute.js';

/**
 * The rows of the calls, from the VM's records (@nexus/vm `syscallColumns`: clk, pc, a7Ts, a0,
 * a0Ts, a1, a1Ts, and per region word k its m{k}Addr, m{k}Prev, m{k}PrevTs, m{k}Val).
 * Lookups are counted from the component's bus entries (`lookups: 'from-entries'`), so nothing
 * here counts them. Null when the guest made no call (the component is then left out of the
 * proof).
 */
export function traceOf(
  ctx: ZkvmTraceContext,
  rec: PrecompileRecords | undefined,
): ComponentTrace | null {
  const n = rec?.length ?? 0;
  if (rec === undefined || n === 0) return null;
  const col = (name: string) => {
    const c = rec.columns[name];
    if (c === undefined) throw new Error(`the records of ${rec.table} have no column ${name}`);
    return c;
  };
  const clk = col('clk');
  const t = layout.trace(logRowsFor(n));
  const cols = t.cols;
  const cpuRow = bindCpu(cols.cpu, ctx, { clk, pc: col('pc') });
  const a0 = bindAccess(cols.a0, ctx.lookups);
  const a1 = bindAccess(cols.a1, ctx.lookups);
  const out = bindRamAccess(cols.out, ctx.lookups);
  const { prevTs: a7PrevTs, lo: a7Lo, hi: a7Hi } = cols.a7;
  const { outQ, inQ, result, carry } = cols;
  const inputs = cols.input.map((c, k) => ({
    ...c,
    addr: col(`m${k}Addr`),
    value: col(`m${k}Prev`),
    valueTs: col(`m${k}PrevTs`),
  }));
  const a0v = col('a0');
  const a0Ts = col('a0Ts');
  const a1v = col('a1');
  const a1Ts = col('a1Ts');
  const a7Ts = col('a7Ts');
  const outPrev = col(`m${INPUT_WORDS}Prev`);
  const outPrevTs = col(`m${INPUT_WORDS}PrevTs`);
  for (let i = 0; i < n; i++) {
    const ts = 4 * clk[i]!;
    cpuRow(i, Op.ECALL, 0);
    a7PrevTs[i] = a7Ts[i]!;
    ctx.lookups.timestampInto(ts + TS_RS1 - a7Ts[i]! - 1, a7Lo, a7Hi, i);
    a1(i, a1v[i]!, a1Ts[i]!, ts + TS_RS1);
    a0(i, a0v[i]!, a0Ts[i]!, ts + TS_RD);
    outQ[i] = (a0v[i]! & 0xff) >>> 2;
    inQ[i] = (a1v[i]! & 0xff) >>> 2;
    for (const input of inputs) {
      writeWord(input.bytes, i, input.value[i]!);
      input.prevTs[i] = input.valueTs[i]!;
      ctx.lookups.timestampInto(
        ts + PRECOMPILE_READ_SLOT - input.valueTs[i]! - 1,
        input.lo,
        input.hi,
        i,
      );
      input.writable[i] = isWritableWord(ctx.program, input.addr[i]! >>> 2) ? 1 : 0;
    }
    // The byte-wise sum with its carries (what the constraints check).
    let c = 0;
    for (let b = 0; b < 4; b++) {
      const s = inputs[0]!.bytes[b]![i]! + inputs[1]!.bytes[b]![i]! + c;
      result[b]![i] = s & 0xff;
      c = s >>> 8;
      carry[b]![i] = c;
    }
    out(i, outPrev[i]!, outPrevTs[i]!, ts + PRECOMPILE_WRITE_SLOT, true);
  }
  return t.finish();
}
