import { aluProgram, asm, buildElf, exit, familyChecks, li, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { LOCAL_OPS } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { logic, logicComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(logicComponent, logic(), TABLES);

const INT_MIN = 0x80000000 | 0;
const INT_MAX = 0x7fffffff;
type OpName = 'xor' | 'or' | 'and' | 'xori' | 'ori' | 'andi';

const model = (op: OpName, a: number, b: number) =>
  (op.startsWith('xor') ? a ^ b : op.startsWith('or') ? a | b : a & b) >>> 0;

// Register operands: all-zero, all-one, alternating nibbles, the sign boundaries, mixed bytes.
const pairs: [number, number][] = [
  [0, 0],
  [-1, -1],
  [0, -1],
  [0x0f0f0f0f, 0xf0f0f0f0 | 0],
  [INT_MIN, INT_MAX],
  [0x12345678, 0x9abcdef0 | 0],
];
// Immediates (sign-extended 12 bits): -1 (xori -1 is NOT), -2048 = 0xfffff800, 2047, 0, 1.
const immPairs: [number, number][] = [
  [0x12345678, -1],
  [-1, -2048],
  [0x0f0f0f0f, 2047],
  [INT_MIN, 0],
  [INT_MAX, 1],
];
const cases: [OpName, number, number][] = [
  ...pairs.flatMap(([a, b]) =>
    (['xor', 'or', 'and'] as const).map((o): [OpName, number, number] => [o, a, b]),
  ),
  ...immPairs.flatMap(([a, b]) =>
    (['xori', 'ori', 'andi'] as const).map((o): [OpName, number, number] => [o, a, b]),
  ),
];
// x0 as a source and as the destination (rows after the cases, in this order).
const x0Cases = [
  ...li(22, 0x5a5a5a5a),
  asm.xor(6, 0, 22), // x0 ^ v = v
  asm.and(7, 22, 0), // v & x0 = 0
  asm.ori(8, 0, -1), // x0 | -1 = -1
  asm.or(0, 22, 22), // dropped write
  asm.xor(22, 22, 22), // rd = rs1 = rs2: 0
];
const tail: [number, number][] = [
  [6, 0x5a5a5a5a],
  [7, 0],
  [8, 0xffffffff],
  [0, 0],
  [22, 0],
];
const program = aluProgram(
  cases.map(([op, a, b]) => ({ op, rd: 5, a, b })),
  x0Cases,
);

describe('XOR / OR / AND (and immediate forms) AIR', () => {
  const run = traceRun(program);
  const rows = run.records.families.logic.length;
  const trace = () => logicComponent.traceFor(run.context())!;

  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(logicComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(logicComponent.columns.length).toBe(43);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'bitwise']),
    );
  });

  it('computes the architectural results', () => {
    expect(rows).toBe(cases.length + tail.length);
    const R = run.records.families.logic.columns;
    const t = trace();
    cases.forEach(([op, a, b], i) => {
      expect(R.rs1Val[i], `row ${i} reads a`).toBe(a >>> 0);
      expect(checks.word(t, 'r', i), `row ${i}: ${op} ${a} ${b}`).toBe(model(op, a, b));
    });
    // Spot checks that do not go through the model.
    expect(
      checks.word(
        t,
        'r',
        cases.findIndex(([o, a]) => o === 'xori' && a === 0x12345678),
      ),
    ).toBe(0xedcba987);
    expect(
      checks.word(
        t,
        'r',
        cases.findIndex(([o, a]) => o === 'andi' && a === -1),
      ),
    ).toBe(0xfffff800);
    const x = run.records.registersFinal.value;
    for (const [reg, v] of tail) expect(x[reg], `x${reg}`).toBe(v);
  });

  it("writes the VM's values", () => {
    const R = run.records.families.logic.columns;
    const t = trace();
    for (let i = 0; i < rows; i++) {
      // rdVal is 0 for a dropped write; the row still computes the result.
      const op = LOCAL_OPS.logic[R.op[i]!] as OpName;
      const b = op.endsWith('i') ? R.imm[i]! : R.rs2Val[i]!;
      const want = R.rd[i] === 0 ? model(op, R.rs1Val[i]!, b) : R.rdVal[i];
      expect(checks.word(t, 'r', i), `row ${i}`).toBe(want);
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
    const report = checks.mutations(run.context(), {
      rows: [...Array.from({ length: rows }, (_, i) => i), n - 1],
      pinned: ['r0', 'r1', 'r2', 'r3'],
    });
    expect(report.checked).toBe(43 * (rows + 1));
    // The result bytes are pinned by the bitwise table, not by a constraint: every mutation
    // of one is a lookup the table does not hold.
    expect(report.unpinned.length).toBe(4 * rows);
    expect(report.unpinned.filter((m) => m.outcome !== 'table')).toEqual([]);
    const imm = (row: number) =>
      checks.column(t, 'is_xori')[row] === 1 ||
      checks.column(t, 'is_ori')[row] === 1 ||
      checks.column(t, 'is_andi')[row] === 1;
    // On immediate ops b's cells are pinned to the immediate by a constraint.
    const bCells = report.results.filter(
      (m) => m.column.startsWith('rs2_v') && m.row < rows && imm(m.row),
    );
    expect(bCells.length).toBe(4 * cases.filter(([o]) => o.endsWith('i')).length + 4);
    for (const m of bCells) expect(m.outcome, `${m.column} at row ${m.row}`).toBe('constraint');
    // Unobservable on real rows, only: the rs2 access (not its value cells) on immediate ops,
    // and rd's old value when the write to x0 is dropped.
    expect(report.unobservable.length).toBeGreaterThan(0);
    for (const m of report.unobservable) {
      const ok =
        (imm(m.row) && ['rs2_prev_ts', 'rs2_lo', 'rs2_hi'].includes(m.column)) ||
        checks.inSkippedRdWrite(t, m);
      expect(ok, `${m.column} at row ${m.row} is unobservable`).toBe(true);
    }
  });

  it('cannot pass off one op as another or a wrong byte (forged witnesses)', () => {
    const i = cases.findIndex(([o, a]) => o === 'and' && a === 0x12345678);
    const t = trace();
    // AND's result with OR's flag: the program table's op no longer matches, and the table
    // op changes: both buses notice, no constraint does.
    expect(
      checks.forge(run.context(), [
        { column: 'is_and', row: i, value: 0 },
        { column: 'is_or', row: i, value: 1 },
      ]),
    ).toEqual({ constraints: [], outsideTables: true });
    // OR's bytes on an AND row: lookups the table does not hold.
    const or = (0x12345678 | 0x9abcdef0) >>> 0;
    expect(
      checks.forge(
        run.context(),
        [0, 1, 2, 3].map((k) => ({ column: `r${k}`, row: i, value: (or >>> (8 * k)) & 0xff })),
      ),
    ).toEqual({ constraints: [], outsideTables: true });
    expect(checks.word(t, 'r', i)).toBe((0x12345678 & 0x9abcdef0) >>> 0);
  });

  it('has no rows when no logic op ran', () => {
    const none = traceRun(buildElf({ code: [...li(5, 1), ...exit(0)] }));
    expect(logicComponent.traceFor(none.context())).toBeNull();
  });
});
