import type { ZkvmComponent } from '@nexus/air-common';
import { type EvalContext, fixedSize, type PreprocessedColumn } from '@nexus/kernel';
import { RC_BIT_POSITIONS, ROUNDS, rcBit } from './keccak.js';
import { KECCAK_ROUND, ROWS_PER_CALL } from './relations.js';
import { VERSION } from './version.js';

/** The table has 2^5 = 32 rows; rows 25..31 are invalid (they yield nothing). */
const LOG_ROWS = 5;
const RC_FIELDS = RC_BIT_POSITIONS.map((_, j) => `rc${j}` as const);
const FIELDS = ['idx', 'start', 'round', ...RC_FIELDS, 'valid'] as const;
type Field = (typeof FIELDS)[number];
const id = (f: Field) => `keccak.${f}`;

/** The value of a field at row r of a permutation (rows >= 25: all 0). */
function fieldAt(f: Field, r: number): number {
  if (r >= ROWS_PER_CALL) return 0;
  switch (f) {
    case 'idx':
      return r;
    case 'start':
      return r === 0 ? 1 : 0;
    case 'round':
      return r < ROUNDS ? 1 : 0;
    case 'valid':
      return 1;
    default: {
      // rc_j: bit 2^j - 1 of RC[r] (the output row r = 24 has no round: 0).
      const j = Number(f.slice(2));
      return r < ROUNDS ? rcBit(r, RC_BIT_POSITIONS[j]!) : 0;
    }
  }
}

/** The preprocessed columns: the verifier builds them itself (they depend on nothing). */
export const roundConstantsPreprocessed: PreprocessedColumn[] = FIELDS.map((f) => ({
  id: id(f),
  generate(_statement, logSize) {
    if (logSize !== LOG_ROWS)
      throw new RangeError(`the keccak round table has 2^${LOG_ROWS} rows, not 2^${logSize}`);
    return Uint32Array.from({ length: 2 ** LOG_ROWS }, (_, r) => fieldAt(f, r));
  },
}));

const MULTIPLICITY = 'multiplicity';

/**
 * The kinds of the rows of a permutation, as a lookup table: fixed at 32 rows (the size rule:
 * the table the verifier builds is the table), the tuple of row r preprocessed, and one
 * multiplicity column, which must be 0 on the 7 rows past the 25 kinds.
 */
export const roundConstantsComponent: ZkvmComponent = {
  name: 'keccak-round-constants',
  version: VERSION,
  columns: [MULTIPLICITY],
  size: fixedSize(LOG_ROWS),
  tracePhase: 'tables',
  evaluate(e: EvalContext) {
    const m = e.col(MULTIPLICITY);
    const p = (f: Field) => e.preprocessed(id(f));
    e.constraint(e.constant(1).sub(p('valid')).mul(m), 'rows past the 25 kinds are never used');
    e.yield(KECCAK_ROUND, [p('idx'), p('start'), p('round'), ...RC_FIELDS.map(p)], m, {
      table: true,
    });
  },
  traceFor(ctx) {
    // A fixed table is always present: with no call its multiplicities are all 0.
    const calls = ctx.records.precompiles.keccak?.length ?? 0;
    const m = new Uint32Array(2 ** LOG_ROWS);
    m.fill(calls, 0, ROWS_PER_CALL);
    return { logSize: LOG_ROWS, columns: [m] };
  },
};
