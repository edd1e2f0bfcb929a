import type { ComponentTrace } from '@nexus/kernel';
import type { Family, FamilyRecords } from '@nexus/vm';
import type { ZkvmTraceContext } from './context.js';
import { bindCpu, type CpuCols, type CpuFiller, type CpuRecords } from './gadgets/cpu.js';
import {
  type AccessCols,
  type AccessRecords,
  bindRegisterAccesses,
  type RegisterFillers,
} from './gadgets/registers.js';
import { type Bound, type Col, type Layout, logRowsFor } from './layout.js';

/**
 * The shape of an instruction family's layout: its instruction row under `cpu` and its
 * register accesses, where it has them, under `rs1`, `rs2` and `rd` (startFamilyTrace binds
 * their fillers); the family's own columns beside them.
 */
export interface FamilyShape {
  readonly cpu: CpuCols<Col>;
  readonly rs1?: AccessCols<Col>;
  readonly rs2?: AccessCols<Col>;
  readonly rd?: AccessCols<Col>;
}

/** What an instruction family's trace generation starts from. */
export interface FamilyTrace<F extends Family, S> {
  /** The family's rows: record row i is trace row i. */
  readonly n: number;
  /** The trace's columns in the layout's shape. */
  readonly cols: Bound<S, Uint32Array>;
  readonly R: FamilyRecords<F>['columns'];
  /** The instruction-row filler (bindCpu). */
  readonly cpuRow: CpuFiller;
  /** The rs1/rs2/rd fillers (bindRegisterAccesses) of the accesses the layout has. */
  readonly access: RegisterFillers;
  finish(): ComponentTrace;
}

/**
 * Starts a family's trace: null when the family never ran (its component is then left out),
 * else the columns of 2^k rows for its n records and the bound fillers every family uses.
 */
export function startFamilyTrace<F extends Family, S extends FamilyShape>(
  ctx: ZkvmTraceContext,
  family: F,
  layout: Layout<S>,
): FamilyTrace<F, S> | null {
  const rec = ctx.records.families[family] as FamilyRecords<F>;
  const n = rec.length;
  if (n === 0) return null;
  const t = layout.trace(logRowsFor(n));
  // Every family's records start with the execution columns and name their register fields
  // alike (@nexus/vm records.ts); the generic mapped type cannot show it.
  const R = rec.columns as FamilyRecords<F>['columns'] & CpuRecords & AccessRecords;
  // Bound<S, Uint32Array> of a FamilyShape is a FamilyShape over Uint32Array; the generic
  // conditional type cannot show it either.
  const c = t.cols as unknown as Bound<FamilyShape, Uint32Array>;
  return {
    n,
    cols: t.cols,
    R,
    cpuRow: bindCpu(c.cpu, ctx, R),
    access: bindRegisterAccesses(c, R, ctx.lookups),
    finish: t.finish,
  };
}
