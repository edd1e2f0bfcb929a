import type { Family, FamilyRecords } from '@nexus/vm';
import type { ZkvmTraceContext } from './context.js';
import { bindCpu, type CpuColumns, type CpuFiller, type CpuRecords } from './gadgets/cpu.js';
import {
  type AccessColumns,
  type AccessRecords,
  bindRegisterAccesses,
  type RegisterFillers,
} from './gadgets/registers.js';
import { type ColumnLayout, logRowsFor, TraceWriter } from './layout.js';

/** What an instruction family's trace generation starts from. */
export interface FamilyTrace<F extends Family> {
  /** The family's rows: record row i is trace row i. */
  readonly n: number;
  readonly w: TraceWriter;
  readonly R: FamilyRecords<F>['columns'];
  /** The instruction-row filler (bindCpu). */
  readonly cpuRow: CpuFiller;
  /** The rs1/rs2/rd fillers (bindRegisterAccesses) of the accesses given. */
  readonly access: RegisterFillers;
}

/**
 * Starts a family's trace: null when the family never ran (its component is then left out),
 * else a writer of 2^k rows for its n records and the bound fillers every family uses.
 */
export function startFamilyTrace<F extends Family>(
  ctx: ZkvmTraceContext,
  family: F,
  layout: ColumnLayout,
  cpu: CpuColumns,
  registers: {
    readonly rs1?: AccessColumns;
    readonly rs2?: AccessColumns;
    readonly rd?: AccessColumns;
  } = {},
): FamilyTrace<F> | null {
  const rec = ctx.records.families[family] as FamilyRecords<F>;
  const n = rec.length;
  if (n === 0) return null;
  const w = new TraceWriter(layout, logRowsFor(n));
  // Every family's records start with the execution columns and name their register fields
  // alike (@nexus/vm records.ts); the generic mapped type cannot show it.
  const R = rec.columns as FamilyRecords<F>['columns'] & CpuRecords & AccessRecords;
  return {
    n,
    w,
    R,
    cpuRow: bindCpu(w, cpu, ctx, R),
    access: bindRegisterAccesses(w, registers, R, ctx.lookups),
  };
}
