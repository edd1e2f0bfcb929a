import { ColumnLayout, RANGE11, RANGE16, type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import type { EvalContext, Plugin, PreprocessedColumn } from '@nexus/kernel';

export const NAME = '@nexus/range-check';
export const VERSION = '0.1.0';
export const LOG_ROWS = 16;

const layout = new ColumnLayout();
const M16 = layout.add('multiplicity16');
const M11 = layout.add('multiplicity11');
const R16 = 'range.r16';
const R11 = 'range.r11';

/**
 * One table of 2^16 rows yields every 16-bit value (r) and every 11-bit value (r mod 2^11, 32
 * rows each) with multiplicity columns counting the lookups. The values are preprocessed, so
 * any row yields a value in range whatever the multiplicities.
 */
function evaluate(e: EvalContext): void {
  e.yield(RANGE16, [e.preprocessed(R16)], e.col(M16), { table: true });
  e.yield(RANGE11, [e.preprocessed(R11)], e.col(M11), { table: true });
}

const fixed = (id: string, f: (r: number) => number): PreprocessedColumn => ({
  id,
  generate(_s, logSize) {
    if (logSize !== LOG_ROWS)
      throw new RangeError(`the range table has 2^${LOG_ROWS} rows, not 2^${logSize}`);
    return Uint32Array.from({ length: 2 ** LOG_ROWS }, (_, r) => f(r));
  },
});

export const rangeCheckComponent: ZkvmComponent = {
  name: 'range-check',
  version: VERSION,
  columns: layout.names,
  tracePhase: 'tables',
  evaluate,
  traceFor(ctx) {
    const m16 = ctx.lookups.range16.slice();
    const m11 = new Uint32Array(2 ** LOG_ROWS);
    m11.set(ctx.lookups.range11);
    return { logSize: LOG_ROWS, columns: [m16, m11] };
  },
};

/** Range checks: 16-bit and 11-bit values, as LogUp lookups into one 2^16-row table. */
export function rangeCheck(): Plugin {
  return zkvmPlugin(NAME, VERSION, {
    components: [rangeCheckComponent],
    preprocessed: [fixed(R16, (r) => r), fixed(R11, (r) => r & 0x7ff)],
  });
}
