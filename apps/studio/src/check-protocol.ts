import type { CellRef } from './cell-edit.js';
import type { CheckSummary, CycleRows, RunBusCheck } from './check-service.js';
import type { CellEdit, RowRef } from './constraint-check.js';

/** A guest as the check worker opens it. */
export interface CheckGuest {
  readonly elf: Uint8Array;
  readonly publicInput: Uint8Array;
  readonly privateInput: Uint8Array;
}

/** What the check worker does: CheckService's methods, and `open` to start one. */
export interface CheckMethods {
  open(guest: CheckGuest): { readonly cycles: number; readonly windowCount: number };
  check(cycle: number, edits: readonly CellEdit[]): CheckSummary;
  rows(cycle: number, row?: Omit<RowRef, 'cycle'>): CycleRows;
  honest(ref: CellRef): number;
  /** Adds the next windows of a long run to the run's bus check (CheckService.checkRunBuses). */
  checkRunBuses(windows: number): RunBusCheck;
}

export type CheckMethod = keyof CheckMethods;

/** A call to the worker; its answer carries the same id. */
export interface CheckRequest {
  readonly id: number;
  readonly method: CheckMethod;
  readonly args: readonly unknown[];
}

export type CheckResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };
