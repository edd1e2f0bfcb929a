import { bytesOf } from '@nexus/air-common';
import { asm, buildElf, exit, familyChecks, plusMinusOne, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { jal, jalComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(jalComponent, jal(), TABLES);

const P = 0x7fffffff;
const nop = asm.addi(0, 0, 0);

// Forward and backward jumps, rd = x0 (a plain `j`), rd = x31, and a link that carries out of
// byte 0 (pc 0x100fc: pc + 4 = 0x10100).
const main = buildElf({
  code: [
    asm.jal(1, 12), // 0x10000 -> 0x1000c, forward
    asm.jal(0, 16), // 0x10004 -> 0x10014, link dropped
    nop,
    asm.jal(31, -8), // 0x1000c -> 0x10004, backward
    nop,
    asm.jal(0, (63 - 5) * 4), // 0x10014 -> 0x100fc
    ...Array.from({ length: 63 - 6 }, () => nop),
    asm.jal(7, 4), // 0x100fc: link 0x10100
    ...exit(0),
  ],
});

/**
 * Code ending exactly where the zkVM's code limit or a byte boundary lies: the last word's JAL
 * links pc + 4 = base + 16 (0x01000000: a carry into byte 3; 0x40000000 = 2^30: the largest
 * link there can be) and jumps back to the exit.
 */
const atEnd = (base: number) =>
  buildElf({
    textBase: base,
    code: [
      asm.jal(0, 12), // base -> base + 12
      ...exit(), // base + 4, base + 8
      asm.jal(3, -8), // base + 12 -> base + 4
    ],
  });

const runs = {
  main: traceRun(main),
  byte3: traceRun(atEnd(0x00fffff0)),
  codeEnd: traceRun(atEnd(0x3ffffff0)),
};

describe('JAL AIR', () => {
  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(jalComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'bitwise']),
    );
  });

  for (const [name, run] of Object.entries(runs)) {
    it(`${name}: the trace agrees with the VM's records`, () => {
      const t = jalComponent.traceFor(run.context())!;
      const rec = run.records.families.jal;
      const R = rec.columns;
      const col = (n: string) => checks.column(t, n);
      expect(rec.length).toBeGreaterThan(0);
      for (let i = 0; i < rec.length; i++) {
        const link = [0, 1, 2, 3].map((k) => col(`r${k}`)[i]!);
        expect(link).toEqual(bytesOf(R.pc[i]! + 4));
        if (R.rd[i] !== 0) expect(link).toEqual(bytesOf(R.rdVal[i]!));
        // The successor the row yields is pc + immField (mod p): the VM's next pc.
        expect((col('pc')[i]! + col('imm_f')[i]!) % P).toBe(R.nextPc[i]);
      }
      const n = 2 ** t.logSize;
      for (let i = rec.length; i < n; i++) expect(col('sel')[i]).toBe(0);
    });

    it(`${name}: program, bitwise and range lookups balance against the real tables`, () => {
      expect(checks.tableImbalance(run)).toEqual([]);
    });

    it(`${name}: every single-cell mutation is caught`, () => {
      const ctx = run.context();
      const t = jalComponent.traceFor(ctx)!;
      const real = run.records.families.jal.length;
      const rows = [...Array.from({ length: real }, (_, i) => i), 2 ** t.logSize - 1];
      const report = checks.mutations(run.context(), {
        rows,
        pinned: ['r0', 'r1', 'r2', 'r3'],
        alternatives: plusMinusOne,
      });
      expect(report.checked).toBeGreaterThan(rows.length * jalComponent.columns.length);
      expect(report.unpinned).toEqual([]);
      // Only the skipped write of `jal x0` leaves cells unread: the old value of rd and its
      // timestamp witnesses (no register access happens on that row).
      expect(report.unobservable.filter((m) => !checks.inSkippedRdWrite(t, m))).toEqual([]);
      if (name === 'main') expect(report.unobservable.length).toBeGreaterThan(0);
    });
  }

  it('rejects a wrong link even with consistent bytes', () => {
    const ctx = runs.main.context();
    // Row 0: jal x1 at 0x10000. Claim the link is 0x10008.
    const forged = checks.forge(
      ctx,
      bytesOf(0x10008).map((v, k) => ({ column: `r${k}`, row: 0, value: v })),
    );
    expect(forged.constraints).toEqual(['rd = pc + 4']);
  });

  it('rejects the link plus p (equal mod p, so only the r3 < 128 check stops it)', () => {
    const alias = 0x10004 + P; // 0x80010003: bytes, and the same field element as pc + 4
    const forged = checks.forge(
      runs.main.context(),
      bytesOf(alias).map((v, k) => ({ column: `r${k}`, row: 0, value: v })),
    );
    expect(forged.constraints).toEqual([]);
    expect(forged.outsideTables).toBe(true);
  });
});
