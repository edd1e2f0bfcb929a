import {
  accessExprs,
  addCpuColumns,
  addReadColumns,
  BITWISE,
  BITWISE_PAIR,
  bindAccess,
  bindCpu,
  ColumnLayout,
  cpuExprs,
  evalCpu,
  evalRegisterAccess,
  evalTimestampIncrease,
  logRowsFor,
  REG,
  TraceWriter,
  TS_RD,
  TS_RS1,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace, EvalContext, Expr } from '@nexus/kernel';
import { Op, type PrecompileRecords } from '@nexus/vm';
import { SHA256_CALL } from './relations.js';

/** The syscall number, and its bytes as a7 holds them. */
export const SHA256_COMPRESS = 0x1001;
const A7_BYTES = [SHA256_COMPRESS & 0xff, SHA256_COMPRESS >>> 8, 0, 0];

/** The layout of `sha256` (23 columns): one row per sha256_compress call. */
export const layout = new ColumnLayout();
const cpu = addCpuColumns(layout, { is_ecall: Op.ECALL }, {});
/** a7's read: its value is the constant 0x1001, so only the timestamp columns. */
const A7_PREV_TS = layout.add('a7_prev_ts');
const A7_LO = layout.add('a7_lo');
const A7_HI = layout.add('a7_hi');
const a0 = addReadColumns(layout, 'a0');
const a1 = addReadColumns(layout, 'a1');
/** Byte 0 of each pointer divided by 4 (the pointers are word-aligned). */
const STATE_Q = layout.add('state_q');
const BLOCK_Q = layout.add('block_q');

/** The word index of a pointer whose byte 0 is 4·q: q + 2^6·b1 + 2^14·b2 + 2^22·b3 (< 2^30). */
const wordIndex = (q: Expr, bytes: readonly Expr[]) =>
  q
    .add(bytes[1]!.mul(64))
    .add(bytes[2]!.mul(1 << 14))
    .add(bytes[3]!.mul(1 << 22));

/**
 * `sha256`: the ecall row of a sha256_compress call. It executes the ecall at pc (program and
 * exec buses, like every instruction row), reads a7 = 0x1001 and the pointers a0 (state) and
 * a1 (block) at 4·clk, writes a0 := 0 at 4·clk + 2, and hands (clk, state, block) to the 68
 * rows of `sha256-rounds` that compute the compression and access the memory.
 *
 * The pointers are aligned: byte 0 is 4·q with q a checked byte, so q < 64 and the word index
 * q + 2^6·b1 + 2^14·b2 + 2^22·b3 is the pointer / 4 (register bytes are bytes: the register
 * file's invariant). Both indices are below 2^30, so the rounds' index arithmetic (at most
 * + 15) never wraps; a word the memory map does not have has no token on the memory bus.
 */
export function evaluate(e: EvalContext): void {
  const c = cpuExprs(e, cpu);
  evalCpu(e, c, c.pc.add(4));
  const clk4 = c.clk.mul(4);
  const a7 = A7_BYTES.map((b) => e.constant(b));
  e.use(REG, [e.constant(17), ...a7, e.col(A7_PREV_TS)], c.sel);
  e.yield(REG, [e.constant(17), ...a7, clk4.add(TS_RS1)], c.sel);
  evalTimestampIncrease(
    e,
    {
      ts: clk4.add(TS_RS1),
      prevTs: e.col(A7_PREV_TS),
      lo: e.col(A7_LO),
      hi: e.col(A7_HI),
      multiplicity: c.sel,
    },
    'a7',
  );
  const r0 = accessExprs(e, a0);
  const r1 = accessExprs(e, a1);
  for (const [reg, r, label] of [
    [10, r0, 'a0'],
    [11, r1, 'a1'],
  ] as const) {
    evalRegisterAccess(
      e,
      {
        reg: e.constant(reg),
        prev: r.value,
        next: r.value,
        ts: clk4.add(TS_RS1),
        prevTs: r.prevTs,
        lo: r.lo,
        hi: r.hi,
        multiplicity: c.sel,
      },
      label,
    );
  }
  // a0 := 0 ("done"), right after its read at 4·clk.
  e.use(REG, [e.constant(10), ...r0.value, clk4.add(TS_RS1)], c.sel);
  e.yield(REG, [10, 0, 0, 0, 0, clk4.add(TS_RD)], c.sel);

  const qs = e.col(STATE_Q);
  const qb = e.col(BLOCK_Q);
  e.constraint(r0.value[0]!.sub(qs.mul(4)), 'the state pointer is word-aligned');
  e.constraint(r1.value[0]!.sub(qb.mul(4)), 'the block pointer is word-aligned');
  e.use(BITWISE, [BITWISE_PAIR, qs, qb, 0], c.sel);
  e.yield(SHA256_CALL, [c.clk, wordIndex(qs, r0.value), wordIndex(qb, r1.value)], c.sel);
}

/** One row per call, from the precompile's records. */
export function callTrace(
  ctx: ZkvmTraceContext,
  rec: PrecompileRecords | undefined,
): ComponentTrace | null {
  const n = rec?.length ?? 0;
  if (rec === undefined || n === 0) return null;
  const R = rec.columns as Record<string, Uint32Array>;
  const w = new TraceWriter(layout, logRowsFor(n));
  const cpuRow = bindCpu(w, cpu, ctx, { clk: R.clk!, pc: R.pc! });
  const read0 = bindAccess(w, a0, ctx.lookups);
  const read1 = bindAccess(w, a1, ctx.lookups);
  const a7PrevTs = w.col(A7_PREV_TS);
  const a7Lo = w.col(A7_LO);
  const a7Hi = w.col(A7_HI);
  const qs = w.col(STATE_Q);
  const qb = w.col(BLOCK_Q);
  for (let i = 0; i < n; i++) {
    const clk = R.clk![i]!;
    cpuRow(i, Op.ECALL, 0);
    a7PrevTs[i] = R.a7Ts![i]!;
    ctx.lookups.timestampInto(4 * clk + TS_RS1 - R.a7Ts![i]! - 1, a7Lo, a7Hi, i);
    read0(i, R.a0![i]!, R.a0Ts![i]!, 4 * clk + TS_RS1);
    read1(i, R.a1![i]!, R.a1Ts![i]!, 4 * clk + TS_RS1);
    qs[i] = (R.a0![i]! & 0xff) >>> 2;
    qb[i] = (R.a1![i]! & 0xff) >>> 2;
    ctx.lookups.bytePair(qs[i]!, qb[i]!);
  }
  return w.finish();
}
