import {
  BITWISE,
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_PAIR,
  BITWISE_XOR,
  ColumnLayout,
  TraceWriter,
  type ZkvmComponent,
  zkvmPlugin,
} from '@nexus/air-common';
import { type EvalContext, type Expr, fixedSize, type Plugin, sum } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;
export const LOG_ROWS = 16;

const layout = new ColumnLayout();
const A_BITS = layout.addMany('a_bit', 8);
const B_BITS = layout.addMany('b_bit', 8);
const AND = layout.add('and');
const OPS = [BITWISE_PAIR, BITWISE_AND, BITWISE_OR, BITWISE_XOR];
const MULTIPLICITY = [
  'multiplicity_pair',
  'multiplicity_and',
  'multiplicity_or',
  'multiplicity_xor',
].map((name) => layout.add(name));

/**
 * Each row holds two bytes a and b as boolean bits, and a & b as their bitwise product, and
 * yields (op, a, b, a op b) for the byte pair range check (op 0, c = 0), AND, OR (a + b - and)
 * and XOR (a + b - 2·and), each with its own count column. The bits alone make every yielded
 * tuple correct whatever the prover puts in them, so the verifier commits to no table; the
 * prover fills row a + 256·b with the pair (a, b) so that every pair has a row to count on.
 */
function evaluate(e: EvalContext): void {
  const bits = (names: readonly string[]) => names.map((n) => e.col(n));
  const a = bits(A_BITS);
  const b = bits(B_BITS);
  const and = e.col(AND);
  for (const [i, bit] of [...a, ...b].entries()) {
    e.constraint(bit.mul(bit.sub(1)), `${i < 8 ? 'a' : 'b'} bit ${i % 8} is boolean`);
  }
  const byteOf = (bs: readonly Expr[]) => sum(bs.map((bit, i) => bit.mul(2 ** i)));
  e.constraint(and.sub(sum(a.map((bit, i) => bit.mul(b[i]!).mul(2 ** i)))), 'and = Σ 2^i·a_i·b_i');
  const A = byteOf(a);
  const B = byteOf(b);
  const result = [e.constant(0), and, A.add(B).sub(and), A.add(B).sub(and.mul(2))];
  for (const [k, op] of OPS.entries()) {
    e.yield(BITWISE, [op, A, B, result[k]!], e.col(MULTIPLICITY[k]!), { table: true });
  }
}

/** The fixed part of the trace: row r = a + 256·b holds the bits of a and b and a & b. */
function pairColumns(): TraceWriter {
  const w = new TraceWriter(layout, LOG_ROWS);
  const aBits = A_BITS.map((n) => w.col(n));
  const bBits = B_BITS.map((n) => w.col(n));
  const and = w.col(AND);
  for (let r = 0; r < 2 ** LOG_ROWS; r++) {
    const a = r & 0xff;
    const b = r >>> 8;
    for (let i = 0; i < 8; i++) {
      aBits[i]![r] = (a >>> i) & 1;
      bBits[i]![r] = (b >>> i) & 1;
    }
    and[r] = a & b;
  }
  return w;
}

export const bitwiseComponent: ZkvmComponent = {
  name: 'bitwise',
  version: VERSION,
  columns: layout.names,
  size: fixedSize(LOG_ROWS),
  tracePhase: 'tables',
  evaluate,
  traceFor(ctx) {
    const w = pairColumns();
    for (const [k, op] of OPS.entries()) w.col(MULTIPLICITY[k]!).set(ctx.lookups.bitwise[op]!);
    return w.finish();
  },
};

/** Byte-level AND, OR, XOR and byte-pair range checks as lookups into one 2^16-row table. */
export function bitwise(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [bitwiseComponent] });
}
