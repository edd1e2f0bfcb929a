import { asm, buildElf, exit, familyChecks, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { inv, P } from '@nexus/field';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { auipc, auipcComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(auipcComponent, auipc(), TABLES);

// [rd, imm20]. Near 0x10000 (the default text base): pc - 4096, pc - 2^16 (a small value),
// pc - 0x11000 (wraps below zero). Near 2^30 (the highest code address the zkVM proves, pc's top
// byte 63): a carry out of every byte (crossing 2^30), pc - 4096, a full wrap past 2^32 (carry
// out of byte 3), the largest positive immediate.
const low: [number, number][] = [
  [5, 0],
  [6, 0xfffff],
  [7, 0xffff0],
  [8, 0xfffef],
  [0, 0x12345], // dropped write
];
const high: [number, number][] = [
  [5, 0],
  [6, 1],
  [7, 0xfffff],
  [9, 0x7ffff],
  [11, 0xc0001],
  [12, 0xabcde],
  [0, 0x00001], // dropped write
];
const HIGH_BASE = 0x3ffff000;
const elfOf = (cases: readonly [number, number][], textBase?: number) =>
  buildElf({
    code: [...cases.map(([rd, imm]) => asm.auipc(rd, imm)), ...exit(0)],
    ...(textBase === undefined ? {} : { textBase }),
  });
const expected = (pc: number, imm20: number) => (pc + (imm20 << 12)) >>> 0;

for (const [name, cases, base] of [
  ['near 0x10000', low, 0x10000],
  ['near 2^30', high, HIGH_BASE],
] as const) {
  describe(`AUIPC AIR, code ${name}`, () => {
    const run = traceRun(elfOf(cases, base));
    const rows = run.records.families.auipc.length;
    const trace = () => auipcComponent.traceFor(run.context())!;
    const valueAt = (t: { columns: readonly Uint32Array[] }, i: number) =>
      (checks.column(t, 'p0')[i]! |
        (checks.column(t, 'r1')[i]! << 8) |
        (checks.column(t, 'r2')[i]! << 16) |
        (checks.column(t, 'r3')[i]! << 24)) >>>
      0;

    it('computes the architectural results', () => {
      expect(rows).toBe(cases.length);
      const R = run.records.families.auipc.columns;
      const t = trace();
      cases.forEach(([rd, imm20], i) => {
        const pc = base + 4 * i;
        expect(R.pc[i]).toBe(pc);
        expect(valueAt(t, i), `auipc x${rd}, ${imm20.toString(16)} at ${pc.toString(16)}`).toBe(
          expected(pc, imm20),
        );
        if (rd !== 0) expect(R.rdVal[i], 'the VM agrees').toBe(expected(pc, imm20));
      });
      expect(run.records.registersFinal.value[0]).toBe(0);
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
        pinned: ['p0', 'p1', 'p2', 'p3', 'r1', 'r2', 'r3', 'c1', 'c2', 'c3'],
      });
      expect(report.checked).toBe(27 * (rows + 1));
      expect(report.unpinned).toEqual([]);
      // Only rd's old value when the write to x0 is dropped: AUIPC reads every other cell.
      expect(report.unobservable.length).toBeGreaterThan(0);
      for (const m of report.unobservable) {
        const ok = checks.inSkippedRdWrite(t, m);
        expect(ok, `${m.column} at row ${m.row} is unobservable`).toBe(true);
      }
    });
  });
}

describe('AUIPC AIR', () => {
  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(auipcComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(auipcComponent.columns.length).toBe(27);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'bitwise']),
    );
  });

  it('cannot decompose pc as pc + p, nor use fractional carries (forged witnesses)', () => {
    const run = traceRun(elfOf(high, HIGH_BASE));
    const ctx = () => run.context();
    const t = auipcComponent.traceFor(ctx())!;
    const at = (n: string, row: number) => checks.column(t, n)[row]!;
    // auipc x5, 0 at pc = 0x3ffff000: rd = pc. The other decomposition of pc, pc + p =
    // 0xbffff000 - 1 = 0xbfffefff, has bytes (ff, ef, ff, bf): all bytes, "pc is its bytes"
    // holds mod p, and with them rd would get pc + p. Only the bound 4·p3 < 256 stops it.
    const row = 0;
    expect(at('pc', row)).toBe(HIGH_BASE);
    const alias = (HIGH_BASE + P) >>> 0;
    const ab = [0, 1, 2, 3].map((k) => (alias >>> (8 * k)) & 0xff);
    expect(
      checks.forge(ctx(), [
        ...ab.map((v, k) => ({ column: `p${k}`, row, value: v })),
        { column: 'r1', row, value: ab[1]! },
        { column: 'r2', row, value: ab[2]! },
        { column: 'r3', row, value: ab[3]! },
      ]),
    ).toEqual({ constraints: [], outsideTables: true });
    // A fractional carry out of byte 3 with an in-range byte: only "boolean" stops it.
    expect(at('r3', row)).toBe(0x3f);
    expect(
      checks.forge(ctx(), [
        { column: 'r3', row, value: 0x3e },
        { column: 'c3', row, value: inv(256) },
      ]),
    ).toEqual({ constraints: ['carry 3 is boolean'], outsideTables: false });
  });

  it('imm = -2^31 (auipc 0x80000) uses the program row that exists: imm_f = p - 1', () => {
    const run = traceRun(elfOf([[5, 0x80000]]));
    const t = auipcComponent.traceFor(run.context())!;
    expect(checks.column(t, 'r3')[0]).toBe(0x80);
    expect(checks.column(t, 'imm_f')[0]).toBe(P - 1);
    expect(checks.tableImbalance(run)).toEqual([]);
  });

  it('has no rows when no AUIPC ran', () => {
    const none = traceRun(buildElf({ code: [asm.addi(5, 0, 1), ...exit(0)] }));
    expect(auipcComponent.traceFor(none.context())).toBeNull();
  });
});
