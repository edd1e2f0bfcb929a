import { asm, buildElf, exit, familyChecks, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { P } from '@nexus/field';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { lui, luiComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(luiComponent, lui(), TABLES);

// [rd, imm20, expected value]: zero, the lowest and highest bit of the field, the sign bit
// (a negative immediate: its field value is p - 2^31 + ...), all ones, a mixed value.
const cases: [number, number, number][] = [
  [5, 0, 0],
  [6, 1, 0x1000],
  [7, 0x80000, 0x80000000],
  [8, 0xfffff, 0xfffff000],
  [9, 0x7ffff, 0x7ffff000],
  [11, 0x12345, 0x12345000],
  [12, 0xabcde, 0xabcde000],
];
const body = [
  ...cases.map(([rd, imm]) => asm.lui(rd, imm)),
  asm.lui(0, 0x54321), // dropped write
  asm.lui(13, 0x11111),
  asm.lui(13, 0x22222), // overwrites
];
const program = buildElf({ code: [...body, ...exit(0)] });

describe('LUI AIR', () => {
  const run = traceRun(program);
  const rows = run.records.families.lui.length;
  const trace = () => luiComponent.traceFor(run.context())!;

  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(luiComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(luiComponent.columns.length).toBe(17);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16']),
    );
  });

  it('computes the architectural results', () => {
    const x = run.records.registersFinal.value;
    for (const [rd, , want] of cases) expect(x[rd], `x${rd}`).toBe(want);
    expect(x[0]).toBe(0);
    expect(x[13]).toBe(0x22222000);
  });

  it("writes the VM's values", () => {
    const R = run.records.families.lui.columns;
    const t = trace();
    expect(rows).toBe(cases.length + 3);
    for (let i = 0; i < rows; i++) {
      const v =
        ((checks.column(t, 'imm1')[i]! << 8) |
          (checks.column(t, 'imm2')[i]! << 16) |
          (checks.column(t, 'imm3')[i]! << 24)) >>>
        0;
      expect(v, `row ${i}`).toBe(R.rd[i] === 0 ? 0x54321000 : R.rdVal[i]);
    }
    expect(checks.column(t, 'sel')[rows]).toBe(0);
  });

  it('uses only program rows that exist (byte 0 constant, field immediates included)', () => {
    // The other immediates (imm = -2^31 has its own test below).
    const clean = traceRun(
      buildElf({
        code: [...body.filter((w) => w !== asm.lui(7, 0x80000)), ...exit(0)],
      }),
    );
    expect(clean.records.families.lui.length).toBe(rows - 1);
    expect(checks.tableImbalance(clean)).toEqual([]);
  });

  it('writes the field value of imm = -2^31 canonically: p - 1', () => {
    const row = cases.findIndex(([, imm]) => imm === 0x80000);
    expect(checks.column(trace(), 'imm_f')[row]).toBe(P - 1);
    expect(checks.column(trace(), 'imm_f')[cases.findIndex(([, imm]) => imm === 0xfffff)]).toBe(
      P - 4096,
    );
  });

  it('imm = -2^31 (lui 0x80000) uses the program row that exists: imm_f = p - 1', () => {
    expect(checks.tableImbalance(run)).toEqual([]);
  });

  it('the honest trace passes, and every single-cell mutation is caught', () => {
    const t = trace();
    const n = 2 ** t.logSize;
    expect(n).toBeGreaterThan(rows);
    // No column is computed: the written bytes are the program tuple's, so every mutation
    // must reach a bus (the program table or the register file).
    const report = checks.mutations(run.context(), {
      rows: [...Array.from({ length: rows }, (_, i) => i), n - 1],
      pinned: [],
    });
    expect(report.checked).toBe(17 * (rows + 1));
    expect(report.unobservable.length).toBeGreaterThan(0);
    for (const m of report.unobservable) {
      const ok = checks.inSkippedRdWrite(t, m);
      expect(ok, `${m.column} at row ${m.row} is unobservable`).toBe(true);
    }
  });

  it('cannot write a value other than the immediate (forged witnesses)', () => {
    // A different upper immediate, consistent in bytes and field value, on the row of
    // lui x11, 0x12345: no constraint objects, but the program table has no such tuple.
    const row = cases.findIndex(([rd]) => rd === 11);
    const forged = checks.forge(run.context(), [
      { column: 'imm1', row, value: 0x60 },
      { column: 'imm_f', row, value: 0x12346000 },
    ]);
    expect(forged).toEqual({ constraints: [], outsideTables: false });
    const ctx = run.context();
    const t = luiComponent.traceFor(ctx)!;
    checks.column(t, 'imm1')[row] = 0x60;
    checks.column(t, 'imm_f')[row] = 0x12346000;
    expect(programTupleExists(run, t, row)).toBe(false);
    expect(programTupleExists(run, trace(), row)).toBe(true);
  });

  it('has no rows when no LUI ran', () => {
    const none = traceRun(buildElf({ code: [asm.addi(5, 0, 1), ...exit(0)] }));
    expect(luiComponent.traceFor(none.context())).toBeNull();
  });
});

/** Does the program hold the (pc, imm) the row claims? */
function programTupleExists(
  run: ReturnType<typeof traceRun>,
  t: { columns: readonly Uint32Array[] },
  row: number,
): boolean {
  const col = (name: string) => checks.column(t, name)[row]!;
  const k = run.program.indexOfPc(col('pc'));
  if (k < 0) return false;
  const v = run.program.instructions.imm[k]! >>> 0;
  return (
    (v & 0xff) === 0 &&
    ((v >>> 8) & 0xff) === col('imm1') &&
    ((v >>> 16) & 0xff) === col('imm2') &&
    v >>> 24 === col('imm3')
  );
}
