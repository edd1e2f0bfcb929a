import type { ZkvmComponent } from '@nexus/air-common';
import { type EvalContext, fixedSize, type PreprocessedColumn } from '@nexus/kernel';
import { K } from './compress.js';
import { ROWS_PER_CALL, SHA256_SCHEDULE } from './relations.js';
import { VERSION } from './version.js';

/** The schedule table has 2^7 = 128 rows; rows 68..127 are invalid (they yield nothing). */
const LOG_ROWS = 7;
const FIELDS = ['idx', 'start', 'init', 'msg', 'sched', 'k_lo', 'k_hi', 'valid'] as const;
type Field = (typeof FIELDS)[number];
const id = (f: Field) => `sha256.${f}`;

/** The value of a schedule field at row r of a compression (rows >= 68: all 0). */
function fieldAt(f: Field, r: number): number {
  if (r >= ROWS_PER_CALL) return 0;
  const t = r - 4;
  switch (f) {
    case 'idx':
      return r;
    case 'start':
      return r === 0 ? 1 : 0;
    case 'init':
      return r < 4 ? 1 : 0;
    case 'msg':
      return r >= 4 && r < 20 ? 1 : 0;
    case 'sched':
      return r >= 20 ? 1 : 0;
    case 'k_lo':
      return t >= 0 ? K[t]! & 0xffff : 0;
    case 'k_hi':
      return t >= 0 ? K[t]! >>> 16 : 0;
    case 'valid':
      return 1;
  }
}

/** The preprocessed columns: the verifier builds them itself (they depend on nothing). */
export const schedulePreprocessed: PreprocessedColumn[] = FIELDS.map((f) => ({
  id: id(f),
  generate(_statement, logSize) {
    if (logSize !== LOG_ROWS)
      throw new RangeError(`the sha256 schedule has 2^${LOG_ROWS} rows, not 2^${logSize}`);
    return Uint32Array.from({ length: 2 ** LOG_ROWS }, (_, r) => fieldAt(f, r));
  },
}));

const MULTIPLICITY = 'multiplicity';

/**
 * The kinds of the rows of a compression, as a lookup table: fixed at 128 rows (the size rule:
 * the table the verifier builds is the table), the tuple of row r preprocessed, and one
 * multiplicity column, which must be 0 on the 60 rows past the schedule.
 */
export const scheduleComponent: ZkvmComponent = {
  name: 'sha256-schedule',
  version: VERSION,
  columns: [MULTIPLICITY],
  size: fixedSize(LOG_ROWS),
  tracePhase: 'tables',
  evaluate(e: EvalContext) {
    const m = e.col(MULTIPLICITY);
    const p = (f: Field) => e.preprocessed(id(f));
    e.constraint(e.constant(1).sub(p('valid')).mul(m), 'rows past the schedule are never used');
    e.yield(
      SHA256_SCHEDULE,
      [p('idx'), p('start'), p('init'), p('msg'), p('sched'), p('k_lo'), p('k_hi')],
      m,
      { table: true },
    );
  },
  traceFor(ctx) {
    // A fixed table is always present: with no call its multiplicities are all 0.
    const calls = ctx.records.precompiles.sha256?.length ?? 0;
    const m = new Uint32Array(2 ** LOG_ROWS);
    m.fill(calls, 0, ROWS_PER_CALL);
    return { logSize: LOG_ROWS, columns: [m] };
  },
};
