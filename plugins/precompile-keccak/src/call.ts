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
import { KECCAK_CALL } from './relations.js';

/** The syscall number, and its bytes as a7 holds them. */
export const KECCAKF = 0x1002;
const A7_BYTES = [KECCAKF & 0xff, KECCAKF >>> 8, 0, 0];

/** The layout of `keccak` (15 columns): one row per keccakf call. */
export const layout = new ColumnLayout();
const cpu = addCpuColumns(layout, { is_ecall: Op.ECALL }, {});
/** a7's read: its value is the constant 0x1002, so only the timestamp columns. */
const A7_PREV_TS = layout.add('a7_prev_ts');
const A7_LO = layout.add('a7_lo');
const A7_HI = layout.add('a7_hi');
const a0 = addReadColumns(layout, 'a0');
/** Byte 0 of the state pointer divided by 4 (the pointer is word-aligned). */
const STATE_Q = layout.add('state_q');

/** The word index of a pointer whose byte 0 is 4·q: q + 2^6·b1 + 2^14·b2 + 2^22·b3 (< 2^30). */
const wordIndex = (q: Expr, bytes: readonly Expr[]) =>
  q
    .add(bytes[1]!.mul(64))
    .add(bytes[2]!.mul(1 << 14))
    .add(bytes[3]!.mul(1 << 22));

/**
 * `keccak`: the ecall row of a keccakf call. It executes the ecall at pc (program and exec
 * buses, like every instruction row), reads a7 = 0x1002 and the state pointer a0 at 4·clk,
 * writes a0 := 0 at 4·clk + 2, and hands (clk, state word index) to the 25 rows of
 * `keccak-rounds` that compute the permutation and access the memory.
 *
 * The pointer is aligned: byte 0 is 4·q with q range-checked as a byte (a bitwise pair
 * lookup, bound 2^8) and byte 0 a byte (the register file's invariant), so 4·q < 256, q < 64
 * and the word index q + 2^6·b1 + 2^14·b2 + 2^22·b3 is the pointer / 4. It is below 2^30, so
 * the rounds' index arithmetic (at most + 49) never wraps; a word the memory map does not have
 * has no token on the memory bus.
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
  evalRegisterAccess(
    e,
    {
      reg: e.constant(10),
      prev: r0.value,
      next: r0.value,
      ts: clk4.add(TS_RS1),
      prevTs: r0.prevTs,
      lo: r0.lo,
      hi: r0.hi,
      multiplicity: c.sel,
    },
    'a0',
  );
  // a0 := 0 ("done"), right after its read at 4·clk.
  e.use(REG, [e.constant(10), ...r0.value, clk4.add(TS_RS1)], c.sel);
  e.yield(REG, [10, 0, 0, 0, 0, clk4.add(TS_RD)], c.sel);

  const q = e.col(STATE_Q);
  e.constraint(r0.value[0]!.sub(q.mul(4)), 'the state pointer is word-aligned');
  e.use(BITWISE, [BITWISE_PAIR, q, 0, 0], c.sel);
  e.yield(KECCAK_CALL, [c.clk, wordIndex(q, r0.value)], c.sel);
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
  const a7PrevTs = w.col(A7_PREV_TS);
  const a7Lo = w.col(A7_LO);
  const a7Hi = w.col(A7_HI);
  const qs = w.col(STATE_Q);
  for (let i = 0; i < n; i++) {
    const clk = R.clk![i]!;
    cpuRow(i, Op.ECALL, 0);
    a7PrevTs[i] = R.a7Ts![i]!;
    ctx.lookups.timestampInto(4 * clk + TS_RS1 - R.a7Ts![i]! - 1, a7Lo, a7Hi, i);
    read0(i, R.a0![i]!, R.a0Ts![i]!, 4 * clk + TS_RS1);
    qs[i] = (R.a0![i]! & 0xff) >>> 2;
    ctx.lookups.bytePair(qs[i]!, 0);
  }
  return w.finish();
}
