import type { ComponentTrace, EvalContext, Expr } from '@nexus/kernel';
import { Op, type PrecompileRecords } from '@nexus/vm';
import type { ZkvmTraceContext } from '../context.js';
import { type Bound, type Col, col, type Layout, logRowsFor } from '../layout.js';
import { BITWISE, BITWISE_PAIR, REG, TS_RD, TS_RS1 } from '../relations.js';
import { bindCpu, type CpuCols, cpuColumns, cpuExprs, evalCpu } from './cpu.js';
import {
  type AccessCols,
  bindAccess,
  evalRegisterAccess,
  evalTimestampIncrease,
  readColumns,
} from './registers.js';

/**
 * The ecall row of a precompile call (riscv.md section 6; the VM side is a `SyscallExtension`
 * of @nexus/vm, whose records it reads): one row per call that executes the ecall at pc
 * (program and exec buses, like every instruction row), reads a7 as the precompile's number
 * (constant bytes: no other call's row can be taken for this one) and the argument registers at
 * 4·clk, and writes a0 := 0 ("done") at 4·clk + 2. Each pointer argument is word-aligned and
 * turned into its word index for the rows that access the memory: byte 0 = 4·q with q a
 * checked byte, so q < 64 and the index q + 2^6·b1 + 2^14·b2 + 2^22·b3 is the pointer / 4, below
 * 2^30 (register bytes are bytes: the register file's invariant), so an index plus a region's
 * length never wraps; a word the memory map lacks has no token on the memory bus.
 *
 * The component hands (clk, word indices...) to the rows that compute the call, on a relation
 * of its own, so no computation exists without a call and no call without its computation.
 */
export interface PrecompileCallCols<T> {
  readonly cpu: CpuCols<T>;
  readonly a7: { readonly prevTs: T; readonly lo: T; readonly hi: T };
  /** The reads of a0 and of every pointer register, by argument number (0..5). */
  readonly args: readonly { readonly arg: number; readonly read: AccessCols<T> }[];
  /** q of every pointer argument (byte 0 / 4), by argument number. */
  readonly q: readonly { readonly arg: number; readonly q: T }[];
}

/**
 * The columns of a call row whose pointers are in the given argument registers (a0..a5): the
 * instruction row, a7's timestamp witnesses, the reads `a${i}_*` of a0 and the pointers (in
 * register order) and each pointer's `a${i}_q`.
 */
export function precompileCallColumns(pointerArgs: readonly number[]): PrecompileCallCols<Col> {
  for (const a of pointerArgs) {
    if (!Number.isInteger(a) || a < 0 || a > 5)
      throw new RangeError(`a precompile's pointer arguments are a0..a5, got a${a}`);
  }
  return {
    cpu: cpuColumns({ is_ecall: Op.ECALL }),
    a7: { prevTs: col('a7_prev_ts'), lo: col('a7_lo'), hi: col('a7_hi') },
    args: [...new Set([0, ...pointerArgs])]
      .sort()
      .map((arg) => ({ arg, read: readColumns(`a${arg}`) })),
    q: pointerArgs.map((arg) => ({ arg, q: col(`a${arg}_q`) })),
  };
}

/** What a call row gives the rest of the component. */
export interface PrecompileCall {
  readonly sel: Expr;
  readonly clk: Expr;
  /** The word index of each pointer argument, by argument number. */
  readonly wordIndex: ReadonlyMap<number, Expr>;
}

/** The call row's constraints and bus entries for syscall `number`. */
export function evalPrecompileCall(
  e: EvalContext,
  c: PrecompileCallCols<Expr>,
  number: number,
): PrecompileCall {
  const cpu = cpuExprs(e, c.cpu);
  evalCpu(e, cpu, cpu.pc.add(4));
  const ts = cpu.clk.mul(4).add(TS_RS1);
  const a7 = [number & 0xff, (number >>> 8) & 0xff, (number >>> 16) & 0xff, number >>> 24].map(
    (b) => e.constant(b),
  );
  e.use(REG, [e.constant(17), ...a7, c.a7.prevTs], cpu.sel);
  e.yield(REG, [e.constant(17), ...a7, ts], cpu.sel);
  const a7Gap = { ts, prevTs: c.a7.prevTs, lo: c.a7.lo, hi: c.a7.hi };
  evalTimestampIncrease(e, { ...a7Gap, multiplicity: cpu.sel }, 'a7');
  const values = new Map<number, readonly Expr[]>();
  for (const { arg, read: r } of c.args) {
    values.set(arg, r.value);
    evalRegisterAccess(
      e,
      {
        reg: e.constant(10 + arg),
        prev: r.value,
        next: r.value,
        ts,
        prevTs: r.prevTs,
        lo: r.lo,
        hi: r.hi,
        multiplicity: cpu.sel,
      },
      `a${arg}`,
    );
  }
  // a0 := 0 ("done"), right after its read at 4·clk.
  e.use(REG, [e.constant(10), ...values.get(0)!, ts], cpu.sel);
  e.yield(REG, [10, 0, 0, 0, 0, cpu.clk.mul(4).add(TS_RD)], cpu.sel);

  const wordIndex = new Map<number, Expr>();
  const qs: Expr[] = [];
  for (const { arg, q } of c.q) {
    const b = values.get(arg)!;
    e.constraint(b[0]!.sub(q.mul(4)), `a${arg} (a pointer) is word-aligned`);
    qs.push(q);
    wordIndex.set(
      arg,
      q
        .add(b[1]!.mul(64))
        .add(b[2]!.mul(1 << 14))
        .add(b[3]!.mul(1 << 22)),
    );
  }
  // q < 256 by a byte-pair lookup, two q's per lookup.
  for (let i = 0; i < qs.length; i += 2)
    e.use(BITWISE, [BITWISE_PAIR, qs[i]!, qs[i + 1] ?? e.constant(0), 0], cpu.sel);
  return { sel: cpu.sel, clk: cpu.clk, wordIndex };
}

/** The call rows' trace from the precompile's records: one row per call, null without calls. */
export function precompileCallTrace(
  ctx: ZkvmTraceContext,
  rec: PrecompileRecords | undefined,
  layout: Layout<PrecompileCallCols<Col>>,
): ComponentTrace | null {
  const n = rec?.length ?? 0;
  if (rec === undefined || n === 0) return null;
  const R = rec.columns;
  const record = (name: string) => {
    const v = R[name];
    if (v === undefined) throw new Error(`the records of ${rec.table} have no column ${name}`);
    return v;
  };
  const t = layout.trace(logRowsFor(n));
  const c: Bound<PrecompileCallCols<Col>, Uint32Array> = t.cols;
  const clk = record('clk');
  const cpuRow = bindCpu(c.cpu, ctx, { clk, pc: record('pc') });
  const a7Ts = record('a7Ts');
  const { prevTs: a7PrevTs, lo: a7Lo, hi: a7Hi } = c.a7;
  const reads = c.args.map(({ arg, read }) => ({
    fill: bindAccess(read, ctx.lookups),
    value: record(`a${arg}`),
    ts: record(`a${arg}Ts`),
  }));
  const qs = c.q.map(({ arg, q }) => ({ value: record(`a${arg}`), out: q }));
  for (let i = 0; i < n; i++) {
    const ts = 4 * clk[i]! + TS_RS1;
    cpuRow(i, Op.ECALL, 0);
    a7PrevTs[i] = a7Ts[i]!;
    ctx.lookups.timestampInto(ts - a7Ts[i]! - 1, a7Lo, a7Hi, i);
    for (const r of reads) r.fill(i, r.value[i]!, r.ts[i]!, ts);
    for (const q of qs) q.out[i] = (q.value[i]! & 0xff) >>> 2;
    for (let k = 0; k < qs.length; k += 2)
      ctx.lookups.bytePair(qs[k]!.out[i]!, qs[k + 1]?.out[i] ?? 0);
  }
  return t.finish();
}
