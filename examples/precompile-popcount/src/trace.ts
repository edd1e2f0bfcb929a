import {
  bindAccess,
  bindCpu,
  bindRamAccess,
  isWritableWord,
  logRowsFor,
  TS_RD,
  TS_RS1,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace } from '@nexus/kernel';
import { Op, PRECOMPILE_READ_SLOT, PRECOMPILE_WRITE_SLOT, type PrecompileRecords } from '@nexus/vm';
import { layout } from './columns.js';
import { INPUT_WORDS, popcount32 } from './popcount.js';

/**
 * The trace of `popcount256`: one row per call, from the VM's records of the call (@nexus/vm
 * `syscallColumns`: clk, pc, a7Ts, a0, a0Ts, a1, a1Ts, and per region word k = 0..8 its
 * m{k}Addr, m{k}Prev, m{k}PrevTs, m{k}Val; words 0..7 are the input, word 8 the result).
 * Lookups are counted from the component's bus entries (`lookups: 'from-entries'`), so the
 * gadgets' own counting goes to a scratch copy. Null when the guest made no call: the component
 * is then left out of the proof.
 */
export function popcountTrace(
  ctx: ZkvmTraceContext,
  rec: PrecompileRecords | undefined,
): ComponentTrace | null {
  const n = rec?.length ?? 0;
  if (rec === undefined || n === 0) return null;
  const R = rec.columns;
  const col = (name: string) => {
    const c = R[name];
    if (c === undefined) throw new Error(`the popcount256 records have no column ${name}`);
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
  const { outQ, inQ, bits, countLo, countHi } = cols;
  const inputs = cols.input.map((c, k) => ({
    ...c,
    addr: col(`m${k}Addr`),
    value: col(`m${k}Prev`),
    valueTs: col(`m${k}PrevTs`),
  }));
  const [a0v, a0Ts, a1v, a1Ts, a7Ts] = ['a0', 'a0Ts', 'a1', 'a1Ts', 'a7Ts'].map(col) as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
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
    let count = 0;
    for (const [k, input] of inputs.entries()) {
      const v = input.value[i]!;
      for (let j = 0; j < 32; j++) bits[32 * k + j]![i] = (v >>> j) & 1;
      count += popcount32(v);
      input.prevTs[i] = input.valueTs[i]!;
      ctx.lookups.timestampInto(
        ts + PRECOMPILE_READ_SLOT - input.valueTs[i]! - 1,
        input.lo,
        input.hi,
        i,
      );
      input.writable[i] = isWritableWord(ctx.program, input.addr[i]! >>> 2) ? 1 : 0;
    }
    countLo[i] = count & 0xff;
    countHi[i] = count >>> 8;
    out(i, outPrev[i]!, outPrevTs[i]!, ts + PRECOMPILE_WRITE_SLOT, true);
  }
  return t.finish();
}
