import {
  BITWISE,
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_PAIR,
  BITWISE_XOR,
  ColumnLayout,
  type ZkvmComponent,
  zkvmPlugin,
} from '@nexus/air-common';
import type { EvalContext, Plugin, PreprocessedColumn } from '@nexus/kernel';

export const NAME = '@nexus/bitwise';
export const VERSION = '0.1.0';
export const LOG_ROWS = 16;

const layout = new ColumnLayout();
const OPS = [
  { op: BITWISE_PAIR, column: layout.add('multiplicity_pair'), f: (_a: number, _b: number) => 0 },
  { op: BITWISE_AND, column: layout.add('multiplicity_and'), f: (a: number, b: number) => a & b },
  { op: BITWISE_OR, column: layout.add('multiplicity_or'), f: (a: number, b: number) => a | b },
  { op: BITWISE_XOR, column: layout.add('multiplicity_xor'), f: (a: number, b: number) => a ^ b },
];
const A = 'bitwise.a';
const B = 'bitwise.b';
const result = (op: number) => `bitwise.c${op}`;

/**
 * Row r = a + 256·b of a 2^16-row table yields (op, a, b, a op b) for the byte pair range
 * check (op 0, c = 0), AND, OR and XOR, each with its own multiplicity column. All tuple
 * values are preprocessed.
 */
function evaluate(e: EvalContext): void {
  const a = e.preprocessed(A);
  const b = e.preprocessed(B);
  for (const { op, column } of OPS) {
    const c = op === BITWISE_PAIR ? e.constant(0) : e.preprocessed(result(op));
    e.yield(BITWISE, [op, a, b, c], e.col(column), { table: true });
  }
}

const fixed = (id: string, f: (r: number) => number): PreprocessedColumn => ({
  id,
  generate(_s, logSize) {
    if (logSize !== LOG_ROWS)
      throw new RangeError(`the bitwise table has 2^${LOG_ROWS} rows, not 2^${logSize}`);
    return Uint32Array.from({ length: 2 ** LOG_ROWS }, (_, r) => f(r));
  },
});

export const bitwiseComponent: ZkvmComponent = {
  name: 'bitwise',
  version: VERSION,
  columns: layout.names,
  tracePhase: 'tables',
  evaluate,
  traceFor(ctx) {
    return { logSize: LOG_ROWS, columns: OPS.map(({ op }) => ctx.lookups.bitwise[op]!.slice()) };
  },
};

/** Byte-level AND, OR, XOR and byte-pair range checks as lookups into one 2^16-row table. */
export function bitwise(): Plugin {
  return zkvmPlugin(NAME, VERSION, {
    components: [bitwiseComponent],
    preprocessed: [
      fixed(A, (r) => r & 0xff),
      fixed(B, (r) => r >>> 8),
      ...OPS.filter(({ op }) => op !== BITWISE_PAIR).map(({ op, f }) =>
        fixed(result(op), (r) => f(r & 0xff, r >>> 8)),
      ),
    ],
  });
}
