import {
  col,
  defineLayout,
  type Lookups,
  RANGE11,
  type ZkvmComponent,
  zkvmPlugin,
} from '@nexus/air-common';
import { type EvalContext, fixedSize, type Plugin, type Relation } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

/** A counter table's columns: the counter and the lookups' count of each value. */
const layout = defineLayout({ value: col('value'), multiplicity: col('multiplicity') });

/**
 * A range table of 2^bits rows as a self-checking counter: the value column starts at 0 and
 * grows by one per row, so row r holds r, and the rows yield exactly [0, 2^bits) with a count
 * column for the lookups. Nothing is preprocessed, so the verifier commits to no table: the
 * two constraints are all it needs to know the values.
 */
function counterTable(
  name: string,
  rel: Relation,
  bits: number,
  counts: (l: Lookups) => Uint32Array,
): ZkvmComponent {
  const values = Uint32Array.from({ length: 2 ** bits }, (_, r) => r);
  return {
    name,
    version: VERSION,
    columns: layout.names,
    // The range argument is exactly as wide as the table: 2^bits rows, never a claimed size.
    size: fixedSize(bits),
    tracePhase: 'tables',
    evaluate(e: EvalContext) {
      const { value, multiplicity } = layout.exprs(e);
      // is_first one row ahead is 1 on the last row, where the next row wraps to row 0.
      const notLast = e.constant(1).sub(e.preprocessed('is_first', 1));
      e.constraint(e.preprocessed('is_first').mul(value), 'the counter starts at 0');
      e.constraint(
        notLast.mul(layout.exprs(e, 1).value.sub(value).sub(1)),
        'the counter counts by one',
      );
      e.yield(rel, [value], multiplicity, { table: true });
    },
    traceFor(ctx) {
      const t = layout.trace(bits);
      t.cols.value.set(values);
      t.cols.multiplicity.set(counts(ctx.lookups));
      return t.finish();
    },
  };
}

export const range11Component = counterTable('range-check-11', RANGE11, 11, (l) => l.range11);

/**
 * Range checks of 11-bit values, as LogUp lookups into a counter table of exactly 2^11 rows.
 * (16-bit values are looked up in the byte-pair table of `@nexus/bitwise`, which is as long as
 * the run needs: a 2^16-row counter was most of a small proof's work.)
 */
export function rangeCheck(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [range11Component] });
}
