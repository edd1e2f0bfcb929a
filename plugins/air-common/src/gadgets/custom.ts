import type { ComponentTrace, EvalContext, Expr } from '@nexus/kernel';
import { Op, type PrecompileRecords } from '@nexus/vm';
import type { ZkvmTraceContext } from '../context.js';
import { type Bound, type Layout, logRowsFor } from '../layout.js';
import { bindCpu, type CpuCols, cpuColumns, cpuExprs, evalCpu, READS_RS2 } from './cpu.js';
import {
  type AccessCols,
  bindRegisterAccesses,
  evalRdWrite,
  evalRs1Read,
  evalRs2Read,
  readColumns,
  writeColumns,
} from './registers.js';

/**
 * The instruction row of a plugin's custom instruction (riscv.md section 6; the VM side is an
 * `InstructionExtension` of @nexus/vm): sel, clk, pc, the op flag, rd, rs1, rs2, the reads of
 * rs1 (4·clk) and rs2 (4·clk + 1) and the write of rd (4·clk + 2, skipped for x0). The key of
 * the instruction (opcode, funct3, funct7) is a constant of the program tuple, so a row can
 * only execute a word of the program that is this very instruction. The plugin adds its own
 * columns after these and states how rd's bytes follow from rs1's and rs2's.
 */
export interface CustomCols<T> {
  readonly cpu: CpuCols<T>;
  readonly rs1: AccessCols<T>;
  readonly rs2: AccessCols<T>;
  readonly rd: AccessCols<T>;
}

/**
 * The instruction row's columns; spread them first into the plugin's layout shape.
 *
 * @example
 * export const layout = defineLayout({ ...customColumns(), result: cols('r', 4) });
 */
export function customColumns() {
  return {
    cpu: cpuColumns({ is_custom: Op.CUSTOM }, { rd: true, rs1: true, rs2: true }),
    rs1: readColumns('rs1'),
    rs2: readColumns('rs2'),
    rd: writeColumns('rd'),
  };
}

/** The shape `customColumns()` declares. */
export type CustomShape = ReturnType<typeof customColumns>;

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
  c: CustomCols<Expr>,
  key: number,
  result: readonly Expr[],
): CustomRow {
  const cpu = {
    ...cpuExprs(e, c.cpu),
    imm: [key & 0xff, key >>> 8, 0, 0].map((v) => e.constant(v)),
    immField: e.constant(key),
  };
  evalCpu(e, cpu, cpu.pc.add(4));
  evalRs1Read(e, cpu, c.rs1);
  evalRs2Read(e, cpu, c.rs2);
  evalRdWrite(e, cpu, c.rd, result);
  return { sel: cpu.sel, a: c.rs1.value, b: c.rs2.value };
}

/** The trace of a custom instruction's rows, and the records they come from. */
export interface CustomTrace<S> {
  readonly n: number;
  /** The trace's columns in the layout's shape. */
  readonly cols: Bound<S, Uint32Array>;
  /** The records' columns (extensions.ts CUSTOM_COLUMNS). */
  readonly R: Readonly<Record<string, Uint32Array>>;
  /** Fills row i's instruction row and register accesses from record row i. */
  row(i: number): void;
  finish(): ComponentTrace;
}

/** Starts a custom instruction's trace: null when it never ran (the component is absent). */
export function startCustomTrace<S extends CustomShape>(
  ctx: ZkvmTraceContext,
  records: PrecompileRecords | undefined,
  layout: Layout<S>,
): CustomTrace<S> | null {
  const n = records?.length ?? 0;
  if (records === undefined || n === 0) return null;
  const t = layout.trace(logRowsFor(n));
  const R = records.columns;
  const rec = R as unknown as Parameters<typeof bindCpu>[2] &
    Parameters<typeof bindRegisterAccesses>[1];
  // The generic conditional type cannot show that S's bound columns hold a CustomCols.
  const c = t.cols as unknown as CustomCols<Uint32Array>;
  const cpuRow = bindCpu(c.cpu, ctx, rec);
  const access = bindRegisterAccesses(c, rec, ctx.lookups);
  return {
    n,
    cols: t.cols,
    R,
    row(i) {
      cpuRow(i, Op.CUSTOM, READS_RS2);
      access.rs1(i);
      access.rs2(i);
      access.rd(i);
    },
    finish: t.finish,
  };
}
