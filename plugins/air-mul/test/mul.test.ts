import {
  type AluCase,
  aluProgram,
  asm,
  buildElf,
  caseRegister,
  exit,
  familyChecks,
  li,
  traceRun,
  xorshift32,
} from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { div } from '@nexus/field';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { mul, mulComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(mulComponent, mul(), TABLES);

const INT_MIN = 0x80000000 | 0;
const INT_MAX = 0x7fffffff;
const OPS = ['mul', 'mulh', 'mulhsu', 'mulhu'] as const;
type MulOp = (typeof OPS)[number];

/** The spec's result, computed with BigInt (independent of the VM's and the trace's code). */
function reference(op: MulOp, a: number, b: number): number {
  const s = (v: number) => BigInt(v | 0);
  const u = (v: number) => BigInt(v >>> 0);
  const product =
    op === 'mul' || op === 'mulh' ? s(a) * s(b) : op === 'mulhsu' ? s(a) * u(b) : u(a) * u(b);
  const word = op === 'mul' ? product : product >> 32n;
  return Number(BigInt.asUintN(32, word));
}

/** One multiplication per case (rs1 = x20, rs2 = x21): the k-th row of the family is case k. */
type Case = AluCase<MulOp>;

// Edge pairs for every op: zeros, ones, -1·-1 (every extended byte 255: the largest carries),
// INT_MIN², INT_MIN·-1, INT_MAX², mixed signs, 16-bit boundaries.
const EDGE_PAIRS: [number, number][] = [
  [0, 0],
  [1, 1],
  [-1, -1],
  [INT_MIN, INT_MIN],
  [INT_MIN, -1],
  [-1, INT_MIN],
  [INT_MAX, INT_MAX],
  [INT_MAX, INT_MIN],
  [-1, 1],
  [1, -1],
  [0x0000ffff, 0x00010000],
  [0x12345678, 0x9abcdef0 | 0],
  [0, -1],
];
const edgeCases: Case[] = [];
for (const op of OPS)
  for (const [a, b] of EDGE_PAIRS) edgeCases.push({ op, rd: caseRegister(edgeCases.length), a, b });
// x0 as source (0 times anything, and a square of x0) and as destination (dropped write).
const tail = [asm.mulh(22, 0, 20), asm.mulhu(23, 20, 0), asm.mul(0, 20, 21), asm.mulhsu(0, 0, 0)];

describe('MUL / MULH / MULHSU / MULHU AIR', () => {
  const run = traceRun(aluProgram(edgeCases, tail));
  const R = run.records.families.mul.columns;
  const rows = run.records.families.mul.length;
  const trace = (ctx = run.context()) => {
    const t = mulComponent.traceFor(ctx)!;
    const col = (name: string) => checks.column(t, name);
    return { t, col };
  };

  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(mulComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(mulComponent.columns.length).toBe(54);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'range11', 'bitwise']),
    );
  });

  it('computes the spec results, equal to the VM records', () => {
    expect(rows).toBe(edgeCases.length + tail.length);
    const { t, col } = trace();
    edgeCases.forEach(({ op, a, b }, k) => {
      const want = reference(op, a, b);
      expect(checks.word(t, 'o', k), `${op} ${a} ${b}`).toBe(want);
      expect(R.rdVal[k], `${op} ${a} ${b}`).toBe(want);
    });
    for (let i = edgeCases.length; i < rows; i++) {
      const op = OPS[R.op[i]!]!;
      const want = reference(op, R.rs1Val[i]!, R.rs2Val[i]!);
      expect(checks.word(t, 'o', i), `row ${i}`).toBe(want);
      expect(R.rdVal[i]).toBe(R.rd[i] === 0 ? 0 : want);
    }
    // -1·-1 signed: the extended operands are all 255s, the carries the largest there are.
    const k = edgeCases.findIndex((c) => c.op === 'mulh' && c.a === -1 && c.b === -1);
    expect(col('c7')[k]).toBe(2039);
    const x = run.records.registersFinal.value;
    expect(x[22]).toBe(0);
    expect(x[23]).toBe(0);
  });

  it('looks up exactly what it counts, and only program rows that exist', () => {
    expect(checks.tableImbalance(run)).toEqual([]);
  });

  it('the honest trace passes, and every single-cell mutation is caught', () => {
    const { t } = trace();
    const n = 2 ** t.logSize;
    expect(n).toBeGreaterThan(rows);
    const sample: number[] = [];
    edgeCases.forEach((c, i) => {
      if (
        (c.a === -1 && c.b === -1) ||
        (c.a === INT_MIN && c.b === -1) ||
        (c.a === 0x12345678 && c.b === (0x9abcdef0 | 0))
      )
        sample.push(i);
    });
    for (let i = edgeCases.length; i < rows; i++) sample.push(i);
    expect(new Set(sample.map((i) => R.op[i]))).toEqual(new Set([0, 1, 2, 3]));
    const report = checks.mutations(run.context(), {
      rows: [...sample, n - 1],
      pinned: [
        ...['o', 'x'].flatMap((p) => [0, 1, 2, 3].map((k) => `${p}${k}`)),
        ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => `c${k}`),
        'ma',
        'la',
        'mb',
        'lb',
        'sa',
        'sb',
      ],
    });
    expect(report.checked).toBe(54 * (sample.length + 1));
    expect(report.unpinned).toEqual([]);
    // On real rows only rd's old value and timestamp are unobservable, and only when the write
    // is dropped (rd = x0): every op reads both operands.
    expect(report.unobservable.length).toBeGreaterThan(0);
    for (const m of report.unobservable) {
      const ok = checks.inSkippedRdWrite(t, m);
      expect(ok, `${m.column} at row ${m.row} is unobservable`).toBe(true);
    }
  });

  it('random operands: the honest trace satisfies every constraint and matches BigInt', () => {
    const rand = xorshift32(0x9e3779b9);
    const values = [0, 1, -1, 2, -2, INT_MIN, INT_MAX, INT_MIN + 1, 0xff, 0xffff, 0x10000];
    const many: Case[] = [];
    for (const op of OPS) {
      for (const a of values) for (const b of values) many.push({ op, rd: 5, a, b });
      for (let k = 0; k < 60; k++) many.push({ op, rd: caseRegister(k), a: rand(), b: rand() });
    }
    const r = traceRun(aluProgram(many));
    const { t } = trace(r.context());
    expect(checks.constraintFailures(t)).toEqual([]);
    const V = r.records.families.mul.columns;
    many.forEach(({ op, a, b }, i) => {
      const want = reference(op, a, b);
      expect(checks.word(t, 'o', i), `${op} ${a} ${b}`).toBe(want);
      expect(V.rdVal[i]).toBe(want);
    });
    expect(checks.tableImbalance(r)).toEqual([]);
  });

  describe('forged witnesses (several cells at once)', () => {
    const rowOf = (op: MulOp, a: number, b: number) =>
      edgeCases.findIndex((c) => c.op === op && c.a === a && c.b === b);

    it('needs the last carry checked: c7 absorbs any top byte otherwise', () => {
      const row = rowOf('mulh', 0x12345678, 0x9abcdef0 | 0);
      const { col } = trace();
      const o3 = col('o3')[row]!;
      const c7 = col('c7')[row]!;
      // p_7 + 1 with c_7 - 1/256 satisfies "product byte 7"; the carry leaves range11.
      const edits = [
        { column: 'o3', row, value: (o3 + 1) & 0xff },
        { column: 'c7', row, value: (c7 - div(1, 256) + 0x7fffffff) % 0x7fffffff },
      ];
      expect(o3).toBeLessThan(255);
      expect(checks.forge(run.context(), edits)).toEqual({
        constraints: [],
        outsideTables: true,
      });
    });

    it('needs the product bytes checked: rd cannot receive a limb of 256 + v', () => {
      const row = rowOf('mul', 0x12345678, 0x9abcdef0 | 0);
      const { col } = trace();
      const o0 = col('o0')[row]!;
      const c0 = col('c0')[row]!;
      const o1 = col('o1')[row]!;
      expect(c0).toBeGreaterThan(0);
      expect(o1).toBeGreaterThan(0);
      // The same word with limbs (o0 + 256, o1 - 1): every equation holds, rd would receive a
      // limb that is not a byte.
      const edits = [
        { column: 'o0', row, value: o0 + 256 },
        { column: 'c0', row, value: c0 - 1 },
        { column: 'o1', row, value: o1 - 1 },
      ];
      expect(checks.forge(run.context(), edits)).toEqual({
        constraints: [],
        outsideTables: true,
      });
    });

    it('needs 2·la to be a byte: MULH cannot treat a negative rs1 as unsigned', () => {
      const row = rowOf('mulh', -1, 1);
      const { t, col } = trace();
      expect(col('sa')[row]).toBe(1);
      expect(checks.word(t, 'o', row)).toBe(0xffffffff);
      // Claim a_3 = 255 has top bit 0 (la = 255): sa = 0, the unsigned product 0xffffffff has
      // high word 0 and low word 0xffffffff, carries all 0.
      const edits = [
        { column: 'ma', row, value: 0 },
        { column: 'la', row, value: 255 },
        { column: 'sa', row, value: 0 },
        ...[0, 1, 2, 3].flatMap((k) => [
          { column: `o${k}`, row, value: 0 },
          { column: `x${k}`, row, value: 255 },
        ]),
        ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({ column: `c${k}`, row, value: 0 })),
      ];
      expect(checks.forge(run.context(), edits)).toEqual({
        constraints: [],
        outsideTables: true,
      });
    });
  });

  it('has no rows when no multiplication ran', () => {
    const none = traceRun(buildElf({ code: [...li(5, 1), ...exit(0)] }));
    expect(mulComponent.traceFor(none.context())).toBeNull();
  });
});
