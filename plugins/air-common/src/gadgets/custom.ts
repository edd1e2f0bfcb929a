import type { ComponentTrace, EvalContext, Expr } from '@nexus/kernel';
import { Op, type PrecompileRecords } from '@nexus/vm';
import type { ZkvmTraceContext } from '../context.js';
import { type ColumnLayout, logRowsFor, TraceWriter } from '../layout.js';
import { addCpuColumns, bindCpu, type CpuColumns, cpuExprs, evalCpu, READS_RS2 } from './cpu.js';
import {
  type AccessColumns,
  type AccessExprs,
  accessExprs,
  addReadColumns,
  addWriteColumns,
  bindRegisterAccesses,
  evalRdWrite,
  evalRs1Read,
  evalRs2Read,
} from './registers.js';

/**
 * The instruction row of a plugin's custom instruction (riscv.md section 6; the VM side is an
 * `InstructionExtension` of @nexus/vm): sel, clk, pc, the op flag, rd, rs1, rs2, the reads of
 * rs1 (4·clk) and rs2 (4·clk + 1) and the write of rd (4·clk + 2, skipped for x0). The key of
 * the instruction (opcode, funct3, funct7) is a constant of the program tuple, so a row can
 * only execute a word of the program that is this very instruction. The plugin adds its own
 * columns after these and states how rd's bytes follow from rs1's and rs2's.
 */
export interface CustomColumns {
  readonly cpu: CpuColumns;
  readonly rs1: AccessColumns;
  readonly rs2: AccessColumns;
  readonly rd: AccessColumns;
}

export function addCustomColumns(layout: ColumnLayout): CustomColumns {
  return {
    cpu: addCpuColumns(layout, { is_custom: Op.CUSTOM }, { rd: true, rs1: true, rs2: true }),
    rs1: addReadColumns(layout, 'rs1'),
    rs2: addReadColumns(layout, 'rs2'),
    rd: addWriteColumns(layout, 'rd'),
  };
}

/** What a custom instruction's evaluate works with: the selector and both operands' bytes. */
export interface CustomRow {
  readonly sel: Expr;
  /** rs1 and rs2 as bytes (bytes by the register file's invariant). */
  readonly a: readonly Expr[];
  readonly b: readonly Expr[];
}

/**
 * The instruction row's constraints and bus entries; `result` are rd's new bytes, which the
 * caller must pin completely and range-check (they go onto the register bus).
 *
 * @param key customKey(opcode, funct3, funct7) of the instruction
 */
export function evalCustomRow(
  e: EvalContext,
  c: CustomColumns,
  key: number,
  result: readonly Expr[],
): CustomRow {
  const cpu = {
    ...cpuExprs(e, c.cpu),
    imm: [key & 0xff, key >>> 8, 0, 0].map((v) => e.constant(v)),
    immField: e.constant(key),
  };
  const a: AccessExprs = accessExprs(e, c.rs1);
  const b: AccessExprs = accessExprs(e, c.rs2);
  evalCpu(e, cpu, cpu.pc.add(4));
  evalRs1Read(e, cpu, a);
  evalRs2Read(e, cpu, b);
  evalRdWrite(e, cpu, accessExprs(e, c.rd), result);
  return { sel: cpu.sel, a: a.value, b: b.value };
}

/** The trace of a custom instruction's rows, and the records they come from. */
export interface CustomTrace {
  readonly n: number;
  readonly w: TraceWriter;
  /** The records' columns (extensions.ts CUSTOM_COLUMNS). */
  readonly R: Readonly<Record<string, Uint32Array>>;
  /** Fills row i's instruction row and register accesses from record row i. */
  row(i: number): void;
  finish(): ComponentTrace;
}

/** Starts a custom instruction's trace: null when it never ran (the component is absent). */
export function startCustomTrace(
  ctx: ZkvmTraceContext,
  records: PrecompileRecords | undefined,
  layout: ColumnLayout,
  c: CustomColumns,
): CustomTrace | null {
  const n = records?.length ?? 0;
  if (records === undefined || n === 0) return null;
  const w = new TraceWriter(layout, logRowsFor(n));
  const R = records.columns;
  const rec = R as unknown as Parameters<typeof bindCpu>[3] &
    Parameters<typeof bindRegisterAccesses>[2];
  const cpuRow = bindCpu(w, c.cpu, ctx, rec);
  const access = bindRegisterAccesses(w, c, rec, ctx.lookups);
  return {
    n,
    w,
    R,
    row(i) {
      cpuRow(i, Op.CUSTOM, READS_RS2);
      access.rs1(i);
      access.rs2(i);
      access.rd(i);
    },
    finish: () => w.finish(),
  };
}
