import type { Column } from '@nexus/field';
import {
  busEntryCode,
  type ComponentAir,
  type EvaluatedEntry,
  entryColumns,
  evaluateEntriesAt,
} from '@nexus/kernel';
import { constraintPool, runConstraintJob } from './constraint-jobs.js';
import { type ProverPool, poolFor } from './pool.js';
import { share, sharedU32 } from './shared.js';

/**
 * Every bus entry's multiplicity and tuple values at n points, as kernel evaluateEntriesAt
 * gives them. With a pool, the columns are over shared memory, ready for the LogUp jobs that
 * read them (a copy of each otherwise), and their rows are split over the pool where that
 * pays (constraint-jobs.ts).
 */
export function entriesOn(
  pool: ProverPool | null,
  air: ComponentAir,
  n: number,
  column: (key: string) => Column,
  idx: (offset: number) => Int32Array | null,
): EvaluatedEntry[] {
  if (poolFor(pool, n) === null || air.entries.length === 0) {
    return evaluateEntriesAt(air, n, column, idx);
  }
  const parallel = constraintPool(pool, n);
  if (parallel === null) return evaluateEntriesAt(air, n, column, idx, sharedU32);
  const compiled = busEntryCode(air);
  const { outs, entries } = entryColumns(air, n, sharedU32);
  const args = {
    cols: compiled.slots.map((key) => share(column(key))),
    idx: compiled.offsets.map((o) => {
      const map = idx(o);
      return map === null ? null : share(map);
    }),
    params: new Uint32Array(0),
    outs,
  };
  runConstraintJob(parallel, 'entries', compiled, args, n);
  return entries;
}
