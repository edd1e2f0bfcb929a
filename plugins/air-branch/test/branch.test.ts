import { bytesOf } from '@nexus/air-common';
import { asm, buildElf, exit, familyChecks, li, plusMinusOne, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { inv } from '@nexus/field';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { branch, branchComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(branchComponent, branch(), TABLES);

const P = 0x7fffffff;
const nop = asm.addi(0, 0, 0);
const OPS = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'] as const;
type BranchOp = (typeof OPS)[number];

/** The RISC-V outcome of a branch, from the spec (signed and unsigned 32-bit comparisons). */
function taken(op: BranchOp, a: number, b: number): boolean {
  const [sa, sb, ua, ub] = [a | 0, b | 0, a >>> 0, b >>> 0];
  switch (op) {
    case 'beq':
      return ua === ub;
    case 'bne':
      return ua !== ub;
    case 'blt':
      return sa < sb;
    case 'bge':
      return sa >= sb;
    case 'bltu':
      return ua < ub;
    case 'bgeu':
      return ua >= ub;
  }
}

/** For each pair: x5 = a, x6 = b, then every branch op skipping a counter increment. */
function comparisons(pairs: readonly (readonly [number, number])[]): number[] {
  const code: number[] = [];
  for (const [a, b] of pairs) {
    code.push(...li(5, a), ...li(6, b));
    for (const op of OPS) code.push(asm[op](5, 6, 8), asm.addi(7, 7, 1));
  }
  return code;
}

/** Registers as operands directly: x0 on either side, and the same register twice. */
const registerCases = [
  ...li(6, -1),
  ...OPS.flatMap((op) => [asm[op](0, 0, 8), asm.addi(7, 7, 1)]),
  ...OPS.flatMap((op) => [asm[op](0, 6, 8), asm.addi(7, 7, 1)]),
  ...OPS.flatMap((op) => [asm[op](6, 0, 8), asm.addi(7, 7, 1)]),
  ...OPS.flatMap((op) => [asm[op](6, 6, 8), asm.addi(7, 7, 1)]),
  asm.beq(0, 0, 4), // taken to pc + 4: next pc is the same either way
];

/** Backward branches: count-down loops closed by bne, blt and bgeu. */
const loops = [
  ...li(8, 3),
  asm.addi(8, 8, -1),
  asm.bne(8, 0, -4),
  ...li(9, -2),
  asm.addi(9, 9, 1),
  asm.blt(9, 0, -4),
  ...li(10, 2),
  ...li(11, 5),
  asm.addi(10, 10, 1),
  asm.bgeu(11, 10, -4), // 5 >= 3, 4, 5 taken; 5 >= 6 not
];

const EDGES = [
  0, 1, -1, 0x7fffffff, 0x80000000, 0x80000001, 0x12345678, 0x12345679, 0x12335678, 0x100, 0xff,
  0x80, 0x01000000,
];
const allPairs = EDGES.flatMap((a) => EDGES.map((b) => [a, b] as const));
// A smaller set for the (costlier) mutation checks: every sign combination, equal values,
// values equal in all bytes but one, and a borrow chain through every byte.
const somePairs = [
  [0, 0],
  [1, -1],
  [-1, 1],
  [0x7fffffff, 0x80000000],
  [0x80000000, 0x80000001],
  [0x12345678, 0x12345679],
  [0x12345678, 0x12335678],
  [0x01000000, 0xff],
  [-1, -1],
] as const;

const wide = buildElf({ code: [...comparisons(allPairs), ...registerCases, ...exit(0)] });
const small = buildElf({
  code: [...comparisons(somePairs), ...registerCases, ...loops, ...exit(0)],
});
// The extreme offsets: +4092 forward and -4096 back.
const far = buildElf({
  code: [
    asm.beq(0, 0, 4092), // slot 0 -> slot 1023
    ...exit(), // slots 1, 2 (a0 is 0)
    ...Array.from({ length: 1020 }, () => nop),
    asm.bltu(0, 0, 8), // slot 1023: not taken
    asm.bgeu(0, 0, 4), // slot 1024: taken, to the next slot
    asm.bge(0, 0, -4096), // slot 1025 -> slot 1
  ],
});
const runs = { wide: traceRun(wide), small: traceRun(small), far: traceRun(far) };

describe('branch AIR', () => {
  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(branchComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'bitwise']),
    );
  });

  it('the far program takes the extreme offsets', () => {
    const R = runs.far.records.families.branch.columns;
    expect(Array.from(R.nextPc, (v, i) => v - R.pc[i]!)).toEqual([4092, 4, 4, -4096]);
  });

  for (const [name, run] of Object.entries(runs)) {
    it(`${name}: the trace agrees with the spec and the VM's records`, () => {
      const t = branchComponent.traceFor(run.context())!;
      const rec = run.records.families.branch;
      const R = rec.columns;
      const col = (n: string) => checks.column(t, n);
      const seen = new Set<string>();
      for (let i = 0; i < rec.length; i++) {
        const op = OPS[R.op[i]!]!;
        const [a, b] = [R.rs1Val[i]!, R.rs2Val[i]!];
        const go = taken(op, a, b);
        seen.add(`${op}:${go}`);
        expect(R.nextPc[i]).toBe(go ? (R.pc[i]! + R.imm[i]!) >>> 0 : R.pc[i]! + 4);
        expect(col('next_pc')[i]).toBe(R.nextPc[i]);
        expect(col('next_pc')[i]).toBe(
          go ? (col('pc')[i]! + col('imm_f')[i]!) % P : col('pc')[i]! + 4,
        );
        expect([0, 1, 2, 3].map((k) => col(`d${k}`)[i])).toEqual(bytesOf((a - b) >>> 0));
        expect(col('br3')[i]).toBe(a >>> 0 < b >>> 0 ? 1 : 0);
        expect(col('eq')[i]).toBe(a === b ? 1 : 0);
        expect(col('lt')[i]).toBe((a | 0) < (b | 0) ? 1 : 0);
      }
      if (name !== 'far') {
        // Every op both taken and not taken.
        expect(seen.size).toBe(12);
      }
    });

    it(`${name}: program, bitwise and range lookups balance against the real tables`, () => {
      expect(checks.tableImbalance(run)).toEqual([]);
    });
  }

  for (const name of ['small', 'far'] as const) {
    it(`${name}: every single-cell mutation is caught`, () => {
      const run = runs[name];
      const t = branchComponent.traceFor(run.context())!;
      // One row per (op, outcome, signs, equality) class, and a padding row.
      const R = run.records.families.branch.columns;
      const classes = new Map<string, number>();
      for (let i = 0; i < run.records.families.branch.length; i++) {
        const [a, b] = [R.rs1Val[i]!, R.rs2Val[i]!];
        const op = OPS[R.op[i]!]!;
        const key = `${op} ${taken(op, a, b)} ${a >>> 31} ${b >>> 31} ${a === b}`;
        if (!classes.has(key)) classes.set(key, i);
      }
      const rows = [...classes.values(), 2 ** t.logSize - 1];
      if (name === 'small') expect(rows.length).toBeGreaterThan(30);
      const report = checks.mutations(run.context(), {
        rows,
        pinned: [
          'd0',
          'd1',
          'd2',
          'd3',
          'br0',
          'br1',
          'br2',
          'br3',
          'sa',
          'sb',
          'lt',
          'eq',
          'inv',
          'next_pc',
        ],
        alternatives: plusMinusOne,
      });
      expect(report.checked).toBeGreaterThan(rows.length * branchComponent.columns.length);
      expect(report.unpinned).toEqual([]);
      // Every branch reads both registers and every witness is pinned: nothing is unread.
      expect(report.unobservable).toEqual([]);
    });
  }

  // Row 0 of `small`: beq 0, 0 (taken). Forged outcomes with re-solved witnesses.
  it('rejects a not-taken BEQ on equal operands', () => {
    const ctx = runs.small.context();
    const R = runs.small.records.families.branch.columns;
    expect([R.op[0], R.rs1Val[0], R.rs2Val[0]]).toEqual([0, 0, 0]);
    const forged = checks.forge(ctx, [
      { column: 'eq', row: 0, value: 0 },
      { column: 'next_pc', row: 0, value: R.pc[0]! + 4 },
    ]);
    expect(forged.constraints).toContain('dsum·inv = sel - eq');
  });

  it('rejects 0 - 0 claimed as 2^32 - 2^32 (only the difference bytes lookup stops it)', () => {
    // Byte 3 of 0 - 0 with borrow out 1 needs d3 = 256; then S = 256, eq = 0 and BEQ falls
    // through. Every constraint holds; d3 = 256 is no byte.
    const R = runs.small.records.families.branch.columns;
    const forged = checks.forge(runs.small.context(), [
      { column: 'br3', row: 0, value: 1 },
      { column: 'd3', row: 0, value: 256 },
      { column: 'eq', row: 0, value: 0 },
      { column: 'inv', row: 0, value: inv(256) },
      { column: 'lt', row: 0, value: 1 },
      { column: 'next_pc', row: 0, value: R.pc[0]! + 4 },
    ]);
    expect(forged.constraints).toEqual([]);
    expect(forged.outsideTables).toBe(true);
  });

  it('rejects a wrong sign bit even when lt is re-solved to match', () => {
    // Row of the pair (1, -1): blt 1, -1 is not taken. Claim sb = 0: lt flips and the branch
    // would be taken; only the sign lookup (2·(0xff - 0) = 510) stops it.
    const R = runs.small.records.families.branch.columns;
    let row = -1;
    for (let i = 0; i < R.op.length; i++)
      if (R.op[i] === 2 && R.rs1Val[i] === 1 && R.rs2Val[i] === 0xffffffff) row = i;
    expect(row).toBeGreaterThanOrEqual(0);
    const forged = checks.forge(runs.small.context(), [
      { column: 'sb', row, value: 0 },
      { column: 'lt', row, value: 1 },
      { column: 'next_pc', row, value: R.pc[row]! + 8 },
    ]);
    expect(forged.constraints).toEqual([]);
    expect(forged.outsideTables).toBe(true);
  });
});
