import { aluProgram, asm, buildElf, exit, familyChecks, li, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { inv } from '@nexus/field';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { slt, sltComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(sltComponent, slt(), TABLES);

const INT_MIN = 0x80000000 | 0;
const INT_MAX = 0x7fffffff;
type OpName = 'slt' | 'sltu' | 'slti' | 'sltiu';

// [op, a, b (rs2 value or 12-bit immediate)]: equal, below and above by one, values differing
// only in the low or only in the top byte, and every sign combination around 0, -1, INT_MIN,
// INT_MAX (where signed and unsigned answers differ).
const pairs: [number, number][] = [
  [0, 0],
  [0, 1],
  [1, 0],
  [-1, 0],
  [0, -1],
  [-1, -1],
  [INT_MIN, INT_MAX],
  [INT_MAX, INT_MIN],
  [INT_MIN, 0],
  [INT_MIN, INT_MIN],
  [0x12345678, 0x12345679],
  [0x02000000, 0x01ffffff],
  [-2, -1],
];
const immPairs: [number, number][] = [
  [0, 0],
  [0, 1], // sltiu rd, rs, 1: seqz
  [5, -1], // sltiu with imm -1 is 0xffffffff: true unless a = -1
  [-1, -1],
  [-2048, -2048],
  [-2049, -2048],
  [2047, 2047],
  [2046, 2047],
  [INT_MIN, -2048],
  [INT_MAX, 2047],
  [-1, 0],
];
const cases: [OpName, number, number][] = [
  ...pairs.flatMap(([a, b]): [OpName, number, number][] => [
    ['slt', a, b],
    ['sltu', a, b],
  ]),
  ...immPairs.flatMap(([a, b]): [OpName, number, number][] => [
    ['slti', a, b],
    ['sltiu', a, b],
  ]),
];

const expected = (op: OpName, a: number, b: number) =>
  op === 'slt' || op === 'slti' ? Number((a | 0) < (b | 0)) : Number(a >>> 0 < b >>> 0);

// x0 as a source and as the destination (rows after the cases, in this order).
const x0Cases = [
  ...li(22, -7),
  asm.slt(6, 0, 22), // 0 < -7 signed: 0
  asm.sltu(7, 0, 22), // snez: 1
  asm.slt(8, 22, 0), // -7 < 0: 1
  asm.sltiu(9, 0, 1), // seqz x0: 1
  asm.slt(0, 22, 0), // dropped write
  asm.sltu(22, 22, 22), // rd = rs1 = rs2: 0
];
const tail: [number, number][] = [
  [6, 0],
  [7, 1],
  [8, 1],
  [9, 1],
  [0, 0],
  [22, 0],
];
const program = aluProgram(
  cases.map(([op, a, b]) => ({ op, rd: 5, a, b })),
  x0Cases,
);

describe('SLT / SLTU / SLTI / SLTIU AIR', () => {
  const run = traceRun(program);
  const rows = run.records.families.slt.length;
  const trace = () => sltComponent.traceFor(run.context())!;

  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(sltComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(sltComponent.columns.length).toBe(47);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'bitwise']),
    );
  });

  it('computes the architectural results', () => {
    expect(rows).toBe(cases.length + tail.length);
    const R = run.records.families.slt.columns;
    const t = trace();
    const d0 = checks.column(t, 'w3');
    cases.forEach(([op, a, b], i) => {
      const want = expected(op, a, b);
      expect(R.rs1Val[i], `row ${i} reads a`).toBe(a >>> 0);
      expect(d0[i], `row ${i}: ${op} ${a} ${b}`).toBe(want);
      expect(R.rdVal[i], `row ${i}: the VM agrees`).toBe(want);
    });
    // Spot checks that do not go through `expected`.
    expect(d0[cases.findIndex(([o, a, b]) => o === 'slt' && a === -1 && b === 0)]).toBe(1);
    expect(d0[cases.findIndex(([o, a, b]) => o === 'sltu' && a === -1 && b === 0)]).toBe(0);
    expect(d0[cases.findIndex(([o, a, b]) => o === 'sltiu' && a === 5 && b === -1)]).toBe(1);
    const x = run.records.registersFinal.value;
    for (const [reg, v] of tail) expect(x[reg], `x${reg}`).toBe(v);
  });

  it("writes the VM's values", () => {
    const R = run.records.families.slt.columns;
    const t = trace();
    for (let i = 0; i < rows; i++) {
      if (R.rd[i] === 0) continue; // rdVal is 0 for a dropped write
      expect(checks.column(t, 'w3')[i], `row ${i}`).toBe(R.rdVal[i]);
    }
    expect(checks.column(t, 'sel')[rows]).toBe(0);
  });

  it('looks up exactly what it counts, and only program rows that exist', () => {
    expect(checks.tableImbalance(run)).toEqual([]);
  });

  it('the honest trace passes, and every single-cell mutation is caught', () => {
    const t = trace();
    const n = 2 ** t.logSize;
    expect(n).toBeGreaterThan(rows);
    const computed = ['d0', 'd1', 'd2', 'd3', 'w0', 'w1', 'w2', 'w3', 'sa', 'sb'];
    const report = checks.mutations(run.context(), {
      rows: [...Array.from({ length: rows }, (_, i) => i), n - 1],
      pinned: [...computed, 'rs2_v0', 'rs2_v1', 'rs2_v2', 'rs2_v3'],
    });
    expect(report.checked).toBe(47 * (rows + 1));
    // The sign bits are pinned by the bitwise table (a wrong one is a lookup the table lacks),
    // the rest by constraints; rs2's value cells hold the immediate on immediate ops.
    const signed = (row: number) =>
      checks.column(t, 'is_slt')[row] === 1 || checks.column(t, 'is_slti')[row] === 1;
    const imm = (row: number) =>
      checks.column(t, 'is_slti')[row] === 1 || checks.column(t, 'is_sltiu')[row] === 1;
    // What no constraint and no table catches: only the sign bits of unsigned ops, which no
    // constraint or lookup reads there.
    const left = report.unpinned.filter((m) => m.outcome !== 'table');
    expect(left.length).toBeGreaterThan(0);
    for (const m of left) {
      const ok = (m.column === 'sa' || m.column === 'sb') && !signed(m.row);
      expect(ok, `${m.column} at row ${m.row} is not pinned`).toBe(true);
    }
    // Unobservable on real rows, only: the sign bits on unsigned ops, the rs2 access (but not
    // its value cells) on immediate ops, and rd's old value when the write to x0 is dropped.
    for (const m of report.unobservable) {
      const ok =
        ((m.column === 'sa' || m.column === 'sb') && !signed(m.row)) ||
        (imm(m.row) && ['rs2_prev_ts', 'rs2_lo', 'rs2_hi'].includes(m.column)) ||
        checks.inSkippedRdWrite(t, m);
      expect(ok, `${m.column} at row ${m.row} is unobservable`).toBe(true);
    }
  });

  it('needs boolean borrows, byte checks and true sign bits (forged multi-cell witnesses)', () => {
    const R = run.records.families.slt.columns;
    // slt -1 < 0 is true: a' = 0x7fffffff, b' = 0x80000000 after the sign flip, so
    // d = a' - b' = 0xffffffff with a borrow out of the top byte only.
    const row = cases.findIndex(([o, a, b]) => o === 'slt' && a === -1 && b === 0);
    expect(R.rs1Val[row]).toBe(0xffffffff);
    const t = trace();
    expect(checks.column(t, 'w3')[row]).toBe(1);
    expect(checks.column(t, 'd3')[row]).toBe(0xff);
    const ctx = () => run.context();
    // Claiming "false" alone breaks byte 3's equation.
    expect(checks.forge(ctx(), [{ column: 'w3', row, value: 0 }]).constraints).toEqual([
      'byte 3 of the difference',
    ]);
    // ... which a top "byte" of 0xff - 256 = -1 repairs: only the range check catches that.
    expect(
      checks.forge(ctx(), [
        { column: 'w3', row, value: 0 },
        { column: 'd3', row, value: -1 },
      ]),
    ).toEqual({ constraints: [], outsideTables: true });
    // A fractional borrow with an in-range byte: only "boolean" catches it.
    expect(
      checks.forge(ctx(), [
        { column: 'w3', row, value: 1 - inv(256) },
        { column: 'd3', row, value: 0xfe },
      ]),
    ).toEqual({ constraints: ['borrow 3 is boolean'], outsideTables: false });
    // Lying about a's sign (sa = 0 for a = -1) turns the comparison unsigned: "false", with
    // every constraint satisfied; only the AND lookup of a's top byte catches it.
    expect(
      checks.forge(ctx(), [
        { column: 'sa', row, value: 0 },
        { column: 'w3', row, value: 0 },
      ]),
    ).toEqual({ constraints: [], outsideTables: true });
  });

  it('has no rows when no set-less-than ran', () => {
    const none = traceRun(buildElf({ code: [...li(5, 1), ...exit(0)] }));
    expect(sltComponent.traceFor(none.context())).toBeNull();
  });
});
