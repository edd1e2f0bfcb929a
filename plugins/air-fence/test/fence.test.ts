import { asm, buildElf, exit, familyChecks, li, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { decode, Op } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { fence, fenceComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(fenceComponent, fence(), TABLES);

// [word, decoded immediate]: fence iorw, iorw; fence.tso (fm = 8: a negative immediate); pause;
// an all-zero fence; a fence with the reserved rd and rs1 fields set (ignored: rd = rs1 = 0).
const fences: [number, number][] = [
  [asm.fence(), 0x0ff],
  [0x8330000f, 0x833 - 4096],
  [0x0100000f, 0x010],
  [0x0000000f, 0],
  [0x0ff2828f, 0x0ff],
];
const program = buildElf({
  code: [...li(5, 7), ...fences.map(([w]) => w), asm.addi(5, 5, 1), asm.fence(), ...exit(0)],
});

describe('FENCE AIR', () => {
  const run = traceRun(program);
  const rows = run.records.families.fence.length;
  const trace = () => fenceComponent.traceFor(run.context())!;
  const column = (name: string) => checks.column(trace(), name);

  it('has degree at most 3 and touches only the program and exec buses', () => {
    const air = analyzeComponent(fenceComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(fenceComponent.columns.length).toBe(4);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(new Set(['program', 'exec']));
  });

  it('is a no-op that takes a cycle', () => {
    expect(rows).toBe(fences.length + 1);
    const R = run.records.families.fence.columns;
    for (let i = 0; i < rows; i++) expect(R.nextPc[i]).toBe(R.pc[i]! + 4);
    // Consecutive fences take consecutive cycles.
    for (let i = 1; i < fences.length; i++) expect(R.clk[i]).toBe(R.clk[i - 1]! + 1);
    const x = run.records.registersFinal.value;
    expect(x[5]).toBe(8);
    // The VM decodes each fence's immediate; the program table holds 0 for it (a no-op's bits).
    fences.forEach(([word, v], i) => {
      expect(decode(word).op, `fence ${i}`).toBe(Op.FENCE);
      expect(decode(word).imm, `fence ${i}`).toBe(v);
      expect(run.program.instructions.imm[run.program.indexOfPc(R.pc[i]!)]).toBe(0);
    });
    expect(column('sel')[rows]).toBe(0);
  });

  it('uses only program rows that exist', () => {
    expect(checks.tableImbalance(run)).toEqual([]);
  });

  it('the honest trace passes, and every single-cell mutation is caught', () => {
    const n = 2 ** trace().logSize;
    expect(n).toBeGreaterThan(rows);
    const report = checks.mutations(run.context(), {
      rows: [...Array.from({ length: rows }, (_, i) => i), n - 1],
      pinned: [],
    });
    expect(report.checked).toBe(4 * (rows + 1));
    // Every cell of a real row is on a bus or under a constraint.
    expect(report.unobservable).toEqual([]);
  });

  it('cannot skip ahead or run where the program holds no fence (forged witnesses)', () => {
    // A row claiming pc + 8 (another fence) satisfies every constraint and asks the program for
    // (pc + 8, FENCE, 0, ...), which it holds; but it consumes an execution state (pc + 8, clk)
    // that no row yields: the exec bus, not the program lookup, stops it (as for any two
    // identical instructions).
    const pc = column('pc')[0]!;
    const forged = checks.forge(run.context(), [{ column: 'pc', row: 0, value: pc + 8 }]);
    expect(forged).toEqual({ constraints: [], outsideTables: false });
    const at = run.program.indexOfPc(pc + 8);
    expect(run.program.instructions.op[at]).toBe(Op.FENCE);
    const moved = checks.mutations(run.context(), {
      rows: [0],
      columns: ['pc'],
      alternatives: () => [pc + 8],
    });
    expect(moved.results.map((m) => m.outcome)).toEqual(['bus']);
    // A padding row claiming to run: "one op flag" fails.
    const n = 2 ** trace().logSize;
    expect(
      checks.forge(run.context(), [{ column: 'is_fence', row: n - 1, value: 1 }]).constraints,
    ).toEqual(['one op flag on real rows, none on padding']);
  });

  it('has no rows when no FENCE ran', () => {
    const none = traceRun(buildElf({ code: [...li(5, 1), ...exit(0)] }));
    expect(fenceComponent.traceFor(none.context())).toBeNull();
  });
});
