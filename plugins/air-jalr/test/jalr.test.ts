import { bytesOf } from '@nexus/air-common';
import { asm, buildElf, exit, familyChecks, li, plusMinusOne, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { jalr, jalrComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(jalrComponent, jalr(), TABLES);

const P = 0x7fffffff;
const nop = asm.addi(0, 0, 0);
const BASE = 0x10000;
const at = (i: number) => BASE + 4 * i;

/** Code with instructions placed at word slots (nops elsewhere). */
function placed(length: number, slots: Record<number, number[]>): number[] {
  const code = Array.from({ length }, () => nop);
  for (const [i, words] of Object.entries(slots)) code.splice(Number(i), words.length, ...words);
  return code;
}

const li2 = (rd: number, v: number) => {
  const words = li(rd, v);
  if (words.length !== 2) throw new Error('expected lui + addi');
  return words;
};

// Every jump of the main program, in execution order (rows 0..4).
const main = buildElf({
  code: placed(29, {
    0: [...li2(5, at(8)), asm.jalr(1, 5, 0)], // row 0: forward, imm 0
    4: [...li2(7, at(14) + 2048), asm.jalr(7, 7, -2048)], // row 2: rd = rs1, carry out of byte 3
    8: [...li2(6, at(4) + 1), asm.jalr(0, 6, 0)], // row 1: backward, odd sum, rd = x0
    14: [...li2(8, at(20) - 2047), asm.jalr(9, 8, 2047)], // row 3: largest imm
    20: [...li2(8, at(26) - 2046), asm.jalr(10, 8, 2047)], // row 4: odd sum
    26: exit(0),
  }),
});

// rs1 = x0: the target is the immediate itself.
const low = buildElf({
  textBase: 0x7e0,
  code: placed(7, { 0: [asm.jalr(1, 0, 0x7f0)], 4: exit() }),
});

// The last word below 2^30 holds the JALR: its link is 2^30, the largest there can be.
const END = 0x3fffffe0;
const atEnd = buildElf({
  textBase: END,
  code: placed(8, {
    0: [...li2(5, END + 0x11)],
    2: [asm.jal(0, 20)], // -> END + 0x1c
    4: exit(),
    7: [asm.jalr(1, 5, 0)], // -> END + 0x10, link 0x40000000
  }),
});

const runs = { main: traceRun(main), low: traceRun(low), atEnd: traceRun(atEnd) };

describe('JALR AIR', () => {
  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(jalrComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'bitwise']),
    );
  });

  it('runs the jumps the programs intend', () => {
    expect(Array.from(runs.main.records.families.jalr.columns.nextPc)).toEqual(
      [8, 4, 14, 20, 26].map(at),
    );
    expect(Array.from(runs.low.records.families.jalr.columns.nextPc)).toEqual([0x7f0]);
    expect(Array.from(runs.atEnd.records.families.jalr.columns.rdVal)).toEqual([2 ** 30]);
  });

  for (const [name, run] of Object.entries(runs)) {
    it(`${name}: the trace agrees with the VM's records`, () => {
      const t = jalrComponent.traceFor(run.context())!;
      const rec = run.records.families.jalr;
      const R = rec.columns;
      const col = (n: string) => checks.column(t, n);
      for (let i = 0; i < rec.length; i++) {
        const s = (R.rs1Val[i]! + R.imm[i]!) >>> 0;
        const sb = bytesOf(s);
        expect(4 * col('t_lo')[i]! + col('t_b0')[i]!).toBe(sb[0]);
        expect([col('s1')[i], col('s2')[i], col('s3')[i]]).toEqual(sb.slice(1));
        const target =
          4 * col('t_lo')[i]! +
          256 * col('s1')[i]! +
          65536 * col('s2')[i]! +
          2 ** 24 * col('s3')[i]!;
        expect(target).toBe(R.nextPc[i]);
        expect(target).toBe((s & ~1) >>> 0);
        const link = [0, 1, 2, 3].map((k) => col(`r${k}`)[i]!);
        expect(link).toEqual(bytesOf(R.pc[i]! + 4));
        if (R.rd[i] !== 0) expect(link).toEqual(bytesOf(R.rdVal[i]!));
      }
    });

    it(`${name}: program, bitwise and range lookups balance against the real tables`, () => {
      expect(checks.tableImbalance(run)).toEqual([]);
    });

    it(`${name}: every single-cell mutation is caught`, () => {
      const t = jalrComponent.traceFor(run.context())!;
      const real = run.records.families.jalr.length;
      const rows = [...Array.from({ length: real }, (_, i) => i), 2 ** t.logSize - 1];
      const report = checks.mutations(run.context(), {
        rows,
        pinned: ['t_lo', 't_b0', 's1', 's2', 's3', 'c0', 'c1', 'c2', 'c3', 'r0', 'r1', 'r2', 'r3'],
        alternatives: plusMinusOne,
      });
      expect(report.checked).toBeGreaterThan(rows.length * jalrComponent.columns.length);
      expect(report.unpinned).toEqual([]);
      // Only `jalr x0, ...` leaves cells unread: the skipped rd access's old value and
      // timestamp witnesses.
      expect(report.unobservable.filter((m) => !checks.inSkippedRdWrite(t, m))).toEqual([]);
      if (name === 'main') expect(report.unobservable.length).toBeGreaterThan(0);
    });
  }

  // Row 0 of main: jalr x1, x5, 0 with x5 = 0x10020. Forge x5 = 0x10022 (bit 1 set: the VM
  // faults) with every witness re-solved.
  it('has no witness for a target with bit 1 set', () => {
    const ctx = () => runs.main.context();
    const rs1 = { column: 'rs1_v0', row: 0, value: 0x22 };
    // As an integer, byte 0 = 0x22 needs t_b0 = 2: not a bit.
    expect(
      checks.forge(ctx(), [
        rs1,
        { column: 't_lo', row: 0, value: 8 },
        { column: 't_b0', row: 0, value: 2 },
      ]).constraints,
    ).toEqual(['bit 0 of the sum is boolean']);
    // Solved in the field instead, t_lo = 0x22 / 4 is no byte: the lookup leaves the table.
    const inv4 = (P + 1) / 4; // 4·inv4 = p + 1 = 1 (mod p)
    const tlo = Number((BigInt(0x22) * BigInt(inv4)) % BigInt(P));
    const forged = checks.forge(ctx(), [
      rs1,
      { column: 't_lo', row: 0, value: tlo },
      { column: 't_b0', row: 0, value: 0 },
    ]);
    expect(forged.constraints).toEqual([]);
    expect(forged.outsideTables).toBe(true);
  });

  it('has no witness for a target at or above 2^30', () => {
    // x5 = 0x40010020: the sum's byte 3 is 0x40, a byte, but 4·0x40 is not.
    const forged = checks.forge(runs.main.context(), [
      { column: 'rs1_v3', row: 0, value: 0x40 },
      { column: 's3', row: 0, value: 0x40 },
    ]);
    expect(forged.constraints).toEqual([]);
    expect(forged.outsideTables).toBe(true);
  });
});
