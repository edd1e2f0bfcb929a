import { BITWISE_AND, BITWISE_OR, BITWISE_PAIR, BITWISE_XOR } from '@nexus/air-common';
import {
  checkMutations,
  IO_PRIVATE_INPUT,
  IO_PUBLIC_INPUT,
  inFixedTable,
  ioProgram,
  traceRun,
  xorshift32,
} from '@nexus/air-testing';
import {
  analyzeComponent,
  type ComponentTrace,
  findConstraintFailures,
  findUnbalancedTuples,
  isFirstColumn,
} from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { bitwiseComponent } from '../src/index.js';

const run = traceRun(ioProgram(), { publicInput: IO_PUBLIC_INPUT, privateInput: IO_PRIVATE_INPUT });
const ctx = run.context();
// Counts as the row components would leave them, indexed by a | b << 8.
const COUNTS: [op: number, a: number, b: number, count: number][] = [
  [BITWISE_PAIR, 0, 0, 2],
  [BITWISE_PAIR, 255, 255, 1],
  [BITWISE_AND, 0xf0, 0x3c, 3],
  [BITWISE_OR, 0x81, 0x18, 1],
  [BITWISE_XOR, 0xff, 0x0f, 4],
  [BITWISE_XOR, 0x12, 0x34, 1],
];
for (const [op, a, b, c] of COUNTS) ctx.lookups.bitwise[op]![a | (b << 8)] = c;
// 16-bit range checks: 0x3cf0 shares its row with the AND pair (0xf0, 0x3c).
const COUNTS16: [value: number, count: number][] = [
  [0x3cf0, 2],
  [65535, 1],
  [40000, 7],
];
for (const [v, c] of COUNTS16) ctx.lookups.range16[v] = c;

const air = analyzeComponent(bitwiseComponent);
const honest = bitwiseComponent.traceFor(ctx)!;
const isFirst = isFirstColumn(honest.logSize);
const pre = (id: string) => {
  if (id !== 'is_first') throw new Error(`unexpected preprocessed column ${id}`);
  return isFirst;
};
const failures = (trace: ComponentTrace) =>
  findConstraintFailures(air, { trace, preprocessed: pre }, 100).map((f) => f.label);
const yielded = (trace: ComponentTrace) =>
  findUnbalancedTuples([{ air, trace, preprocessed: pre }], [], Number.POSITIVE_INFINITY);
const col = (name: string) => bitwiseComponent.columns.indexOf(name);
/** The row holding the pair (a, b): the one whose bits spell it. */
const rowOf = (a: number, b: number) => {
  const n = 2 ** honest.logSize;
  for (let r = 0; r < n; r++) {
    let pa = 0;
    let pb = 0;
    for (let i = 0; i < 8; i++) {
      pa |= honest.columns[col(`a_bit${i}`)]![r]! << i;
      pb |= honest.columns[col(`b_bit${i}`)]![r]! << i;
    }
    if (pa === a && pb === b) return r;
  }
  throw new Error(`no row holds (${a}, ${b})`);
};

/** The honest trace with row `row` holding the given cell values. */
function withRow(row: number, cells: Record<string, number>): ComponentTrace {
  const columns = honest.columns.slice();
  for (const [name, v] of Object.entries(cells)) {
    columns[col(name)] = honest.columns[col(name)]!.slice();
    columns[col(name)]![row] = v;
  }
  return { logSize: honest.logSize, columns };
}

const bitsOf = (prefix: string, byte: number) =>
  Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`${prefix}${i}`, (byte >>> i) & 1]));

describe('bitwise table', () => {
  it('has one row per pair looked up (pairs and 16-bit values share rows), padded with zeros', () => {
    // 6 pairs and 3 values, one of them on an AND pair's row: 8 rows, padded to 2^4.
    expect(honest.logSize).toBe(4);
    const n = 2 ** honest.logSize;
    for (let r = 8; r < n; r++) {
      for (const c of honest.columns) expect(c[r]).toBe(0);
    }
  });

  it('writes the rows a plain pass per count would: used pairs ascending, their counts', () => {
    const lookups = traceRun(ioProgram(), {
      publicInput: IO_PUBLIC_INPUT,
      privateInput: IO_PRIVATE_INPUT,
    }).context().lookups;
    const counts = [...lookups.bitwise, lookups.range16];
    const rand = xorshift32(7);
    // Sparse random counts in every array, some pairs used by several of them.
    for (let k = 0; k < 3000; k++) counts[k % 5]![(rand() >>> 0) & 0xffff] = (rand() >>> 0) % 9;
    const trace = bitwiseComponent.traceFor({ ...ctx, lookups })!;
    const pairs: number[] = [];
    for (let p = 0; p < 1 << 16; p++) if (counts.some((c) => c[p] !== 0)) pairs.push(p);
    expect(trace.logSize).toBe(Math.max(4, Math.ceil(Math.log2(pairs.length))));
    const names = [
      'multiplicity_pair',
      'multiplicity_and',
      'multiplicity_or',
      'multiplicity_xor',
      'multiplicity_range16',
    ];
    for (let r = 0; r < 2 ** trace.logSize; r++) {
      const p = pairs[r];
      for (let i = 0; i < 8; i++) {
        expect(trace.columns[col(`a_bit${i}`)]![r]).toBe(p === undefined ? 0 : (p >>> i) & 1);
        expect(trace.columns[col(`b_bit${i}`)]![r]).toBe(p === undefined ? 0 : (p >>> (8 + i)) & 1);
      }
      expect(trace.columns[col('and')]![r]).toBe(p === undefined ? 0 : p & 0xff & (p >>> 8));
      for (const [k, name] of names.entries())
        expect(trace.columns[col(name)]![r]).toBe(p === undefined ? 0 : counts[k]![p]);
    }
  });

  it('is free at most 2^16 rows: a wider table only repeats pairs (bounded verifier work)', () => {
    expect(bitwiseComponent.size).toEqual({ kind: 'free', maxLogSize: 16 });
  });

  it('yields exactly the counted tuples, each a true byte operation or 16-bit value', () => {
    expect(failures(honest)).toEqual([]);
    const net = yielded(honest);
    expect(net).toHaveLength(COUNTS.length + COUNTS16.length);
    for (const [op, a, b, count] of COUNTS) {
      const t = net.find(
        (u) =>
          u.relation === 'bitwise' && u.values[0] === op && u.values[1] === a && u.values[2] === b,
      );
      expect(t?.net).toBe(-count);
      expect(inFixedTable('bitwise', t!.values)).toBe(true);
    }
    for (const [v, count] of COUNTS16) {
      const t = net.find((u) => u.relation === 'range16' && u.values[0] === v);
      expect(t?.net).toBe(-count);
    }
    expect(air.entries.map((e) => e.relation.name)).toEqual([
      'bitwise',
      'bitwise',
      'bitwise',
      'bitwise',
      'range16',
    ]);
    expect(air.entries.every((e) => e.sign === -1 && e.bound === 'table')).toBe(true);
    // Nothing for the verifier to commit to: the built-in is_first is computed in closed form.
    expect([...air.preprocessedMasks.keys()]).toEqual([]);
  });

  it('any row that satisfies the constraints yields only true tuples', () => {
    // A prover may put any pair on any row: with consistent bits and `and` it stays correct.
    const rand = xorshift32(7);
    const row = rowOf(0xf0, 0x3c); // counted for AND
    for (let k = 0; k < 50; k++) {
      const a = rand() & 0xff;
      const b = rand() & 0xff;
      const forged = withRow(row, { ...bitsOf('a_bit', a), ...bitsOf('b_bit', b), and: a & b });
      expect(failures(forged)).toEqual([]);
      for (const t of yielded(forged)) expect(inFixedTable(t.relation, t.values)).toBe(true);
    }
  });

  it('rejects a wrong AND, and a non-boolean bit with `and` re-solved to match', () => {
    const row = rowOf(0xf0, 0x3c);
    expect(failures(withRow(row, { and: 0x31 }))).toEqual(['and = Σ 2^i·a_i·b_i']);
    expect(failures(withRow(row, { and: 0x30 + 0x7ffffffe }))).toEqual(['and = Σ 2^i·a_i·b_i']);
    // Bit 0 of a = 1/2 (in M31) with `and` following it satisfies the AND equation and would
    // yield a tuple of no byte pair: only the boolean constraint stands in the way.
    const half = 2 ** 30; // (p + 1) / 2
    const forged = withRow(rowOf(0xff, 0x0f), { a_bit0: half, and: 0x0e + half });
    expect(failures(forged)).toEqual(['a bit 0 is boolean']);
    expect(yielded(forged).some((t) => t.net < 0 && !inFixedTable(t.relation, t.values))).toBe(
      true,
    );
  });

  it('every single-cell change breaks a constraint or the bus', () => {
    const rows = COUNTS.map(([, a, b]) => rowOf(a, b));
    const report = checkMutations(bitwiseComponent, ctx, {
      selector: 'none',
      rows,
      alternatives: (_c, v) => [v + 1, v + 2, (v + 0x7fffffff - 1) % 0x7fffffff],
    });
    expect(report.checked).toBeGreaterThan(rows.length * 40);
    for (const r of report.results) {
      if (r.column === 'and') expect(r.outcome).toBe('constraint');
      else if (r.column.startsWith('multiplicity')) expect(r.outcome).toBe('bus');
      // A bit flipped to the other boolean is a true pair on the wrong row: the counts catch it.
      else expect(['constraint', 'bus']).toContain(r.outcome);
    }
  });
});
