import { aluProgram, asm, buildElf, exit, familyChecks, li, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { inv } from '@nexus/field';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { sub, subComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(subComponent, sub(), TABLES);

const INT_MIN = 0x80000000 | 0;
const INT_MAX = 0x7fffffff;

// [rd, a, b, expected a - b mod 2^32]: borrows through no byte, one byte, every byte (rd avoids
// a0 and a7, which exit() overwrites).
const cases: [number, number, number, number][] = [
  [5, 0, 0, 0],
  [6, 0, 1, 0xffffffff], // borrow out of every byte
  [7, INT_MIN, 1, 0x7fffffff], // signed overflow
  [8, INT_MAX, -1, 0x80000000], // signed overflow the other way
  [9, -1, -1, 0],
  [18, 1, 0, 1],
  [11, 0x100, 1, 0xff], // one borrow
  [12, 0x01000000, 1, 0x00ffffff], // borrow through three bytes
  [13, 0x12345678, 0x87654321, 0x8acf1357],
  [14, 0, INT_MIN, 0x80000000],
];
const x0Cases = [
  ...li(22, 5),
  asm.sub(15, 0, 22), // x0 as rs1: negation, -5
  asm.sub(16, 22, 0), // x0 as rs2
  asm.sub(0, 22, 21), // x0 as rd: the write is dropped
  asm.sub(22, 22, 22), // rd = rs1 = rs2
];
const program = aluProgram(
  cases.map(([rd, a, b]) => ({ op: 'sub', rd, a, b })),
  x0Cases,
);

describe('SUB AIR', () => {
  const run = traceRun(program);
  const rows = run.records.families.sub.length;

  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(subComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(subComponent.columns.length).toBe(37);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'bitwise']),
    );
  });

  it('computes the architectural results', () => {
    const x = run.records.registersFinal.value;
    for (const [rd, , , want] of cases) expect(x[rd], `x${rd}`).toBe(want);
    expect(x[15]).toBe(-5 >>> 0);
    expect(x[16]).toBe(5);
    expect(x[0]).toBe(0);
    expect(x[22]).toBe(0);
  });

  it("writes the VM's values", () => {
    const ctx = run.context();
    const t = subComponent.traceFor(ctx)!;
    const col = (name: string) => checks.column(t, name);
    const R = run.records.families.sub.columns;
    expect(rows).toBe(cases.length + 4);
    for (let i = 0; i < rows; i++) {
      const v = checks.word(t, 'r', i);
      // rdVal is 0 on a dropped write; the row still computes the difference.
      const want = R.rd[i] === 0 ? (R.rs1Val[i]! - R.rs2Val[i]!) >>> 0 : R.rdVal[i];
      expect(v, `row ${i}`).toBe(want);
    }
    expect(col('sel')[rows]).toBe(0);
  });

  it('looks up exactly what it counts, and only program rows that exist', () => {
    expect(checks.tableImbalance(run)).toEqual([]);
  });

  it('the honest trace passes, and every single-cell mutation is caught', () => {
    const n = 2 ** subComponent.traceFor(run.context())!.logSize;
    expect(n).toBeGreaterThan(rows);
    const report = checks.mutations(run.context(), {
      rows: [...Array.from({ length: rows }, (_, i) => i), n - 1],
      pinned: ['r0', 'r1', 'r2', 'r3', 'w0', 'w1', 'w2', 'w3'],
    });
    expect(report.checked).toBe(37 * (rows + 1));
    expect(report.unpinned).toEqual([]);
    // On real rows only the old value of rd is unobservable, and only when the write is
    // dropped (rd = x0): SUB reads every other cell.
    const t = subComponent.traceFor(run.context())!;
    expect(report.unobservable.length).toBeGreaterThan(0);
    for (const m of report.unobservable) {
      const ok = checks.inSkippedRdWrite(t, m);
      expect(ok, `${m.column} at row ${m.row} is unobservable`).toBe(true);
    }
  });

  it('needs its boolean borrows and its byte checks (forged multi-cell witnesses)', () => {
    const t = subComponent.traceFor(run.context())!;
    const at = (name: string, row: number) => checks.column(t, name)[row]!;
    // Row 4: -1 - -1 = 0, no borrow anywhere. A wrong top byte balances its equation with a
    // fractional borrow out (r3 + 1 = ... + 256·(w3 + 1/256)): only "boolean" stops it.
    const row = 4;
    expect(at('r3', row)).toBe(0);
    expect(at('w3', row)).toBe(0);
    const wrongTop = checks.forge(run.context(), [
      { column: 'r3', row, value: 1 },
      { column: 'w3', row, value: inv(256) },
    ]);
    expect(wrongTop).toEqual({ constraints: ['borrow 3 is boolean'], outsideTables: false });
    // Bytes out of range with a compensating borrow (r0 = 256, w0 = 1, r1 = -1) satisfy every
    // constraint: only the pair range checks of the written bytes stop them.
    const wide = checks.forge(run.context(), [
      { column: 'r0', row, value: 256 },
      { column: 'w0', row, value: 1 },
      { column: 'r1', row, value: -1 },
    ]);
    expect(wide).toEqual({ constraints: [], outsideTables: true });
  });

  it('has no rows when no SUB ran', () => {
    const none = traceRun(buildElf({ code: [...li(5, 1), ...exit(0)] }));
    expect(subComponent.traceFor(none.context())).toBeNull();
  });
});
