import { asm, buildElf, exit, familyChecks, li, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { add, addComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(addComponent, add(), TABLES);

// Edge values: carries through every byte, wrap-around, x0 as source and as destination.
const program = buildElf({
  code: [
    ...li(5, 0x7fffffff),
    ...li(6, 1),
    asm.add(7, 5, 6), // 0x80000000: carries through all bytes
    ...li(8, -1),
    asm.add(9, 8, 8), // 0xfffffffe: wraps
    asm.addi(10, 8, 1), // 0: wraps to zero
    asm.addi(11, 0, -2048), // most negative imm12
    asm.add(0, 5, 6), // write to x0 is dropped
    asm.add(12, 0, 9), // read x0
    asm.addi(13, 13, 2047),
    ...exit(0),
  ],
});

describe('ADD / ADDI AIR', () => {
  const run = traceRun(program);

  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(addComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'bitwise']),
    );
  });

  it('the honest trace passes, and every single-cell mutation is caught', () => {
    const ctx = run.context();
    const n = 2 ** addComponent.traceFor(ctx)!.logSize;
    const report = checks.mutations(run.context(), {
      rows: [0, 1, 2, 3, 4, 5, 6, 7, 8, n - 1],
      pinned: ['r0', 'r1', 'r2', 'r3', 'c0', 'c1', 'c2', 'c3'],
    });
    expect(report.checked).toBeGreaterThan(200);
    expect(report.unpinned).toEqual([]);
    // On real rows only the operands an op does not read are unobservable: rs2 of ADDI, and
    // the old value of rd when the write is dropped (rd = x0).
    const ctx2 = run.context();
    const t = addComponent.traceFor(ctx2)!;
    const col = (name: string) => checks.column(t, name);
    for (const m of report.unobservable) {
      const isAddi = col('is_addi')[m.row] === 1;
      const ok = (isAddi && m.column.startsWith('rs2')) || checks.inSkippedRdWrite(t, m);
      expect(ok, `${m.column} at row ${m.row} is unobservable`).toBe(true);
    }
  });

  it('looks up exactly what it counts, and only program rows that exist', () => {
    expect(checks.tableImbalance(run)).toEqual([]);
  });

  it('computes the architectural results', () => {
    expect(run.records.registersFinal.value[7]).toBe(0x80000000);
    expect(run.records.registersFinal.value[10]).toBe(0);
  });
});
