import type { Column } from '@nexus/field';
import {
  busEntryCode,
  type ComponentAir,
  type EvaluatedEntry,
  evaluateEntriesAt,
} from '@nexus/kernel';
import { compiledCodePool, type ProverPool, rowChunk } from './pool.js';
import { share, sharedU32 } from './shared.js';

/**
 * Every bus entry's multiplicity and tuple values at n points, as kernel evaluateEntriesAt
 * gives them, with the compiled code's rows split over the pool where one thread would run
 * compiled code too (pool.ts compiledCodePool). The columns are then over shared memory, ready
 * for the LogUp jobs that read them.
 */
export function entriesOn(
  pool: ProverPool | null,
  air: ComponentAir,
  n: number,
  column: (key: string) => Column,
  idx: (offset: number) => Int32Array | null,
): EvaluatedEntry[] {
  const parallel = compiledCodePool(pool, n);
  if (parallel === null || air.entries.length === 0) return evaluateEntriesAt(air, n, column, idx);
  const compiled = busEntryCode(air);
  const outs = air.entries.flatMap((e) => [e.multiplicity, ...e.values]).map(() => sharedU32(n));
  const chunk = rowChunk(parallel, n);
  const args = {
    cols: compiled.slots.map((key) => share(column(key))),
    idx: compiled.offsets.map((o) => {
      const map = idx(o);
      return map === null ? null : share(map);
    }),
    params: new Uint32Array(0),
    outs,
  };
  parallel.run(
    {
      kind: 'entries',
      count: Math.ceil(n / chunk),
      sources: compiled.sources,
      rows: n,
      chunk,
      args,
    },
    (i) =>
      compiled.run({
        ...args,
        start: i * chunk,
        end: Math.min(n, (i + 1) * chunk),
        strategy: 'compiled',
      }),
  );
  let k = 0;
  return air.entries.map((entry) => {
    const multiplicity = outs[k++]!;
    const values = entry.values.map(() => outs[k++]!);
    return { entry, multiplicity, values };
  });
}
