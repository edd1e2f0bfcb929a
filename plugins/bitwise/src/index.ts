import {
  BITWISE,
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_PAIR,
  BITWISE_XOR,
  col,
  cols,
  defineLayout,
  type Lookups,
  logRowsFor,
  RANGE16,
  type ZkvmComponent,
  zkvmPlugin,
} from '@nexus/air-common';
import {
  type ComponentTrace,
  type EvalContext,
  type Expr,
  freeSize,
  type Plugin,
  sum,
} from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;
/** At most one row per byte pair: 2^16. */
export const MAX_LOG_ROWS = 16;

const OPS = [BITWISE_PAIR, BITWISE_AND, BITWISE_OR, BITWISE_XOR];
const layout = defineLayout({
  aBits: cols('a_bit', 8),
  bBits: cols('b_bit', 8),
  and: col('and'),
  /** The count column of each op of OPS, in that order. */
  multiplicity: [
    col('multiplicity_pair'),
    col('multiplicity_and'),
    col('multiplicity_or'),
    col('multiplicity_xor'),
  ],
  multiplicityRange16: col('multiplicity_range16'),
});

/**
 * Each row holds two bytes a and b as boolean bits, and a & b as their bitwise product, and
 * yields (op, a, b, a op b) for the byte pair range check (op 0, c = 0), AND, OR (a + b - and)
 * and XOR (a + b - 2·and), and the 16-bit value a + 256·b on range16, each with its own count
 * column. The bits alone make every yielded tuple correct whatever the prover puts in a row,
 * so the table needs no fixed contents and no fixed size: the prover writes one row per byte
 * pair the run looks up (pairs and 16-bit values share rows), and a short run pays for a short
 * table. The size rule (at most 2^16 rows, one per pair) only bounds the verifier's work; the
 * count columns are lookup-table counts (SOUNDNESS.md 3.1), which need no bound.
 */
function evaluate(e: EvalContext): void {
  const c = layout.exprs(e);
  const { aBits: a, bBits: b, and } = c;
  for (const [i, bit] of [...a, ...b].entries()) {
    e.constraint(bit.mul(bit.sub(1)), `${i < 8 ? 'a' : 'b'} bit ${i % 8} is boolean`);
  }
  const byteOf = (bs: readonly Expr[]) => sum(bs.map((bit, i) => bit.mul(2 ** i)));
  e.constraint(and.sub(sum(a.map((bit, i) => bit.mul(b[i]!).mul(2 ** i)))), 'and = Σ 2^i·a_i·b_i');
  const A = byteOf(a);
  const B = byteOf(b);
  const result = [e.constant(0), and, A.add(B).sub(and), A.add(B).sub(and.mul(2))];
  for (const [k, op] of OPS.entries()) {
    e.yield(BITWISE, [op, A, B, result[k]!], c.multiplicity[k]!, { table: true });
  }
  e.yield(RANGE16, [A.add(B.mul(256))], c.multiplicityRange16, { table: true });
}

/**
 * One row per pair p = a | (b << 8) that some count names, in increasing order, then padding
 * rows of zeros (the pair (0, 0) with no counts). The range16 value v is the pair v.
 * One scan of the 2^16 pairs, reading the five counts together, lists the used pairs; the rows
 * are then written from that list (a short run uses a few thousand pairs: a cold pass over all
 * 2^16 per count, and a second full pass to write, was ~10 ms of every small proof).
 */
export function bytePairTrace(lookups: Lookups): ComponentTrace {
  const [pair, and_, or, xor] = OPS.map((op) => lookups.bitwise[op]!) as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  const range16 = lookups.range16;
  const used = new Uint32Array(1 << 16);
  let rows = 0;
  for (let p = 0; p < 1 << 16; p++) {
    if ((pair[p]! | and_[p]! | or[p]! | xor[p]! | range16[p]!) !== 0) used[rows++] = p;
  }
  const t = layout.trace(logRowsFor(rows));
  const { aBits, bBits, and } = t.cols;
  const [mPair, mAnd, mOr, mXor] = t.cols.multiplicity;
  const mRange16 = t.cols.multiplicityRange16;
  for (let r = 0; r < rows; r++) {
    const p = used[r]!;
    const a = p & 0xff;
    const b = p >>> 8;
    for (let i = 0; i < 8; i++) {
      aBits[i]![r] = (a >>> i) & 1;
      bBits[i]![r] = (b >>> i) & 1;
    }
    and[r] = a & b;
    mPair[r] = pair[p]!;
    mAnd[r] = and_[p]!;
    mOr[r] = or[p]!;
    mXor[r] = xor[p]!;
    mRange16[r] = range16[p]!;
  }
  return t.finish();
}

export const bitwiseComponent: ZkvmComponent = {
  name: 'bitwise',
  version: VERSION,
  columns: layout.names,
  size: freeSize(MAX_LOG_ROWS),
  tracePhase: 'tables',
  evaluate,
  traceFor: (ctx) => bytePairTrace(ctx.lookups),
};

/**
 * Byte-level AND, OR, XOR, byte-pair and 16-bit range checks as lookups into one table of
 * self-checking byte pairs, as long as the run needs (at most 2^16 rows).
 */
export function bitwise(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [bitwiseComponent] });
}
