import type { Column } from '@nexus/field';
import {
  busEntryCode,
  type ComponentAir,
  type EvaluatedEntry,
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
  const compiled = busEntryCode(air);
  const roots = air.entries.reduce((count, e) => count + 1 + e.values.length, 0);
  const block = sharedU32(roots * n);
  const outs = Array.from({ length: roots }, (_, k) => block.subarray(k * n, (k + 1) * n));
  const parallel = constraintPool(pool, n);
  if (parallel === null) {
    compiled.run({
      start: 0,
      end: n,
      cols: compiled.slots.map(column),
      idx: compiled.offsets.map(idx),
      params: new Uint32Array(0),
      outs,
    });
  } else {
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
  }
  let k = 0;
  return air.entries.map((entry) => {
    const multiplicity = outs[k++]!;
    const values = entry.values.map(() => outs[k++]!);
    return { entry, multiplicity, values };
  });
}
