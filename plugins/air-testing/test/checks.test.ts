import { BITWISE, BITWISE_PAIR, RANGE11, type ZkvmComponent } from '@nexus/air-common';
import { type Expr, freeSize } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import {
  buildElf,
  checkMutations,
  exit,
  forge,
  inFixedTable,
  plusMinusOne,
  traceRun,
} from '../src/index.js';

/**
 * A component of two real rows and two padding rows: each real row range-checks the byte
 * pair (a, b) and the value c below 2^11, and a + b = s is its one constraint. Enough to tell
 * the outcomes apart: s is pinned by the constraint, a byte pushed out of range is caught by the
 * bitwise table, an in-range change only changes the bus tuples.
 */
const probe: ZkvmComponent = {
  name: 'probe',
  version: '0',
  columns: ['sel', 'a', 'b', 's', 'c'],
  size: freeSize(),
  tracePhase: 'rows',
  evaluate(e) {
    const [sel, a, b, s, c] = ['sel', 'a', 'b', 's', 'c'].map((n) => e.col(n)) as Expr[] as [
      Expr,
      Expr,
      Expr,
      Expr,
      Expr,
    ];
    e.constraint(sel.mul(sel.sub(1)), 'sel is boolean');
    e.constraint(a.add(b).sub(s), 'a + b = s');
    e.use(BITWISE, [BITWISE_PAIR, a, b, 0], sel);
    e.use(RANGE11, [c], sel);
  },
  traceFor: () => ({
    logSize: 2,
    columns: [
      Uint32Array.of(1, 1, 0, 0),
      Uint32Array.of(3, 255, 0, 0),
      Uint32Array.of(4, 0, 0, 0),
      Uint32Array.of(7, 255, 0, 0),
      Uint32Array.of(2047, 5, 0, 0),
    ],
  }),
};

const ctx = () => traceRun(buildElf({ code: exit(0) })).context();

describe('fixed tables', () => {
  it('hold exactly the range and bitwise rows', () => {
    expect(inFixedTable('range16', [65535])).toBe(true);
    expect(inFixedTable('range16', [65536])).toBe(false);
    expect(inFixedTable('range11', [2047])).toBe(true);
    expect(inFixedTable('range11', [2048])).toBe(false);
    expect(inFixedTable('bitwise', [0, 255, 255, 0])).toBe(true);
    expect(inFixedTable('bitwise', [0, 256, 0, 0])).toBe(false);
    expect(inFixedTable('bitwise', [0, 1, 2, 3])).toBe(false);
    expect(inFixedTable('bitwise', [1, 0x0f, 0x3c, 0x0c])).toBe(true);
    expect(inFixedTable('bitwise', [2, 0x0f, 0x3c, 0x3f])).toBe(true);
    expect(inFixedTable('bitwise', [3, 0x0f, 0x3c, 0x33])).toBe(true);
    expect(inFixedTable('bitwise', [3, 0x0f, 0x3c, 0x3f])).toBe(false);
    expect(inFixedTable('bitwise', [4, 0, 0, 0])).toBe(false);
    // Other relations have no fixed content.
    expect(inFixedTable('reg', [40, 1000, 0, 0, 0, 1])).toBe(true);
  });
});

describe('checkMutations outcomes', () => {
  const report = checkMutations(probe, ctx(), {
    rows: [0, 1, 3],
    alternatives: plusMinusOne,
    pinned: ['s'],
  });
  const outcome = (column: string, row: number, to: number) =>
    report.results.find((r) => r.column === column && r.row === row && r.to === to)?.outcome;

  it('tells a broken constraint, a lookup outside its table, a changed tuple and nothing', () => {
    expect(outcome('s', 0, 8)).toBe('constraint');
    expect(outcome('a', 1, 256)).toBe('constraint');
    expect(outcome('c', 0, 2048)).toBe('table');
    expect(outcome('c', 0, 2046)).toBe('bus');
    expect(outcome('c', 1, 4)).toBe('bus');
    // Padding rows look nothing up.
    expect(outcome('c', 3, 1)).toBe('unobservable');
    expect(report.unpinned).toEqual([]);
    expect(report.unobservable).toEqual([]);
  });
});

describe('forge', () => {
  it('reports the broken constraints, sorted, and lookups that leave their table', () => {
    expect(forge(probe, ctx(), [{ column: 'a', row: 0, value: 4 }])).toEqual({
      constraints: ['a + b = s'],
      outsideTables: false,
    });
    expect(forge(probe, ctx(), [{ column: 'a', row: 1, value: 256 }])).toEqual({
      constraints: ['a + b = s'],
      outsideTables: true,
    });
    // 256 + (-1) = 255: every constraint holds; the pair (256, p - 1) is no table row.
    expect(
      forge(probe, ctx(), [
        { column: 'a', row: 1, value: 256 },
        { column: 'b', row: 1, value: -1 },
      ]),
    ).toEqual({ constraints: [], outsideTables: true });
    expect(
      forge(probe, ctx(), [
        { column: 'sel', row: 3, value: 2 },
        { column: 's', row: 0, value: 0 },
      ]).constraints,
    ).toEqual(['a + b = s', 'sel is boolean']);
  });
});
