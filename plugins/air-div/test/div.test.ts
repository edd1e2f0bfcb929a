import {
  type AluCase,
  aluProgram,
  asm,
  buildElf,
  caseRegister,
  type Edit,
  exit,
  familyChecks,
  li,
  traceRun,
  xorshift32,
} from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { div as fdiv } from '@nexus/field';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { Op } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { layout } from '../src/columns.js';
import { div, divComponent } from '../src/index.js';
import { divisionCells, writeDivision } from '../src/trace.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(divComponent, div(), TABLES);

const INT_MIN = 0x80000000 | 0;
const INT_MAX = 0x7fffffff;
const OPS = ['div', 'divu', 'rem', 'remu'] as const;
type DivOp = (typeof OPS)[number];
const OP_ID = { div: Op.DIV, divu: Op.DIVU, rem: Op.REM, remu: Op.REMU } as const;

/** The spec's result, computed with BigInt (independent of the VM's and the trace's code). */
function reference(op: DivOp, a: number, b: number): number {
  const signed = op === 'div' || op === 'rem';
  const x = signed ? BigInt(a | 0) : BigInt(a >>> 0);
  const y = signed ? BigInt(b | 0) : BigInt(b >>> 0);
  const isDiv = op === 'div' || op === 'divu';
  if (y === 0n) return isDiv ? 0xffffffff : a >>> 0;
  if (signed && x === -(2n ** 31n) && y === -1n) return isDiv ? INT_MIN >>> 0 : 0;
  // BigInt division truncates toward zero and % takes the dividend's sign, as RISC-V does.
  return Number(BigInt.asUintN(32, isDiv ? x / y : x % y));
}

/** One division per case (rs1 = x20, rs2 = x21): the k-th row of the family is case k. */
type Case = AluCase<DivOp>;
const casesOf = (pairs: readonly (readonly [number, number])[]) => {
  const out: Case[] = [];
  for (const op of OPS)
    for (const [a, b] of pairs) out.push({ op, rd: caseRegister(out.length), a, b });
  return out;
};

// Every sign combination with and without a remainder, division by zero, the signed overflow
// INT_MIN / -1 (for the unsigned ops an ordinary division), INT_MIN and INT_MAX against each
// other and ±1, dividends smaller than the divisor, large unsigned values.
const EDGE_PAIRS: (readonly [number, number])[] = [
  [7, 2],
  [-7, 2],
  [7, -2],
  [-7, -2],
  [-6, 3],
  [6, -3],
  [0, 5],
  [0, -5],
  [5, 0],
  [-5, 0],
  [0, 0],
  [INT_MIN, 0],
  [-1, 0],
  [INT_MIN, -1],
  [INT_MIN, 1],
  [INT_MIN, 2],
  [INT_MIN, INT_MIN],
  [-1, INT_MIN],
  [INT_MAX, -1],
  [INT_MAX, INT_MIN],
  [INT_MIN, INT_MAX],
  [INT_MAX, INT_MAX],
  [-1, -1],
  [-1, 1],
  [1, -1],
  [-1, 2],
  [3, 7],
  [-3, 7],
  [0xfffffffe | 0, -1],
  [0x12345678, 0x100],
  [INT_MAX, 0x10000],
  [3, INT_MIN],
];
const edgeCases = casesOf(EDGE_PAIRS);
// x0 as divisor (division by zero), as dividend, and as destination (dropped write).
const tail = [
  asm.div(22, 20, 0),
  asm.remu(23, 0, 21),
  asm.rem(0, 20, 21),
  asm.divu(0, 0, 0),
  asm.rem(24, 21, 21), // rd = rs1 = rs2: b % b = 0
];

// A smaller program for the mutation check (the cost grows with rows times trace length).
const MUTATION_PAIRS: (readonly [number, number])[] = [
  [-7, 2],
  [7, -2],
  [-6, 3],
  [-5, 0],
  [INT_MIN, -1],
  [0xfffffffe | 0, -1],
  [-1, INT_MIN],
];
const mutationCases = casesOf(MUTATION_PAIRS);

describe('DIV / DIVU / REM / REMU AIR', () => {
  const run = traceRun(aluProgram(edgeCases, tail));
  const R = run.records.families.div.columns;
  const rows = run.records.families.div.length;
  const trace = (ctx = run.context()) => {
    const t = divComponent.traceFor(ctx)!;
    const col = (name: string) => checks.column(t, name);
    return { t, col };
  };

  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(divComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(divComponent.columns.length).toBe(71);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'range11', 'bitwise']),
    );
  });

  it('computes the spec results, equal to the VM records', () => {
    expect(rows).toBe(edgeCases.length + tail.length);
    const { t } = trace();
    for (let i = 0; i < rows; i++) {
      const op = OPS[R.op[i]!]!;
      const a = R.rs1Val[i]!;
      const b = R.rs2Val[i]!;
      if (i < edgeCases.length) {
        expect(a | 0).toBe(edgeCases[i]!.a);
        expect(b | 0).toBe(edgeCases[i]!.b);
      }
      const want = reference(op, a, b);
      expect(checks.word(t, 'w', i), `${op} ${a | 0} ${b | 0}`).toBe(want);
      expect(R.rdVal[i], `${op} ${a | 0} ${b | 0}`).toBe(R.rd[i] === 0 ? 0 : want);
      // Both halves of the division are proven on every row.
      const signed = op === 'div' || op === 'rem';
      expect(checks.word(t, 'q', i)).toBe(reference(signed ? 'div' : 'divu', a, b));
      expect(checks.word(t, 'r', i)).toBe(reference(signed ? 'rem' : 'remu', a, b));
    }
    const x = run.records.registersFinal.value;
    expect(x[22]).toBe(0xffffffff); // x / x0
    expect(x[23]).toBe(0); // x0 % b
    expect(x[24]).toBe(0); // b % b
  });

  it('looks up exactly what it counts, and only program rows that exist', () => {
    expect(checks.tableImbalance(run)).toEqual([]);
  });

  it('the honest trace passes, and every single-cell mutation is caught', () => {
    const small = traceRun(aluProgram(mutationCases, tail));
    const n = small.records.families.div.length;
    const t = divComponent.traceFor(small.context())!;
    const report = checks.mutations(small.context(), {
      rows: [...Array.from({ length: n }, (_, i) => i), 2 ** t.logSize - 1],
      pinned: [
        ...['q', 'r', 'w', 'd'].flatMap((p) => [0, 1, 2, 3].map((k) => `${p}${k}`)),
        ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => `c${k}`),
        'e0',
        'e1',
        'e2',
        ...['ma', 'la', 'mb', 'lb', 'mr', 'lr', 'sa', 'sb', 'sr', 'sq', 'bz', 'binv'],
      ],
    });
    expect(2 ** t.logSize).toBeGreaterThan(n);
    expect(report.checked).toBe(71 * (n + 1));
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
    const rand = xorshift32(0x6a09e667);
    // Divisors and dividends of every size (shifted right by a random amount), some zeros.
    const value = () => {
      const v = rand() >> (rand() & 31);
      return (rand() & 15) === 0 ? 0 : v;
    };
    const many: Case[] = [];
    for (const op of OPS)
      for (let k = 0; k < 80; k++) many.push({ op, rd: caseRegister(k), a: value(), b: value() });
    const r = traceRun(aluProgram(many));
    const { t } = trace(r.context());
    expect(checks.constraintFailures(t)).toEqual([]);
    const V = r.records.families.div.columns;
    many.forEach(({ op, a, b }, i) => {
      const want = reference(op, a, b);
      expect(checks.word(t, 'w', i), `${op} ${a} ${b}`).toBe(want);
      expect(V.rdVal[i]).toBe(want);
    });
    expect(many.some((c) => c.b === 0)).toBe(true);
    expect(checks.tableImbalance(r)).toEqual([]);
  });

  describe('forged divisions (a wrong q or r with every other cell re-derived)', () => {
    const rowOf = (op: DivOp, a: number, b: number) =>
      edgeCases.findIndex((c) => c.op === op && c.a === a && c.b === b);
    const first = divComponent.columns.indexOf('q0');
    /** A column of a scratch trace by name (the forged edits are named cells). */
    const scratchCol = (s: { columns: readonly Uint32Array[] }, name: string) =>
      s.columns[layout.names.indexOf(name)]!;
    /** The edits that turn row `row` into the division claiming (q, r, sq). */
    const claim = (op: DivOp, a: number, b: number, q: number, r: number, sq: number): Edit[] => {
      const row = rowOf(op, a, b);
      expect(row).toBeGreaterThanOrEqual(0);
      const scratch = layout.trace(0);
      writeDivision(divisionCells(scratch.cols), 0, OP_ID[op], a, b, q >>> 0, r >>> 0, sq);
      const { col } = trace();
      const edits: Edit[] = [];
      for (const name of divComponent.columns.slice(first)) {
        const v = scratchCol(scratch, name)[0]!;
        if (v !== col(name)[row]) edits.push({ column: name, row, value: v });
      }
      expect(edits.length).toBeGreaterThan(0);
      return edits;
    };
    const caught = (edits: Edit[]) => checks.forge(run.context(), edits);

    it('the honest claim re-derives the honest row', () => {
      const { col } = trace();
      const row = rowOf('rem', -7, 2);
      const scratch = layout.trace(0);
      writeDivision(divisionCells(scratch.cols), 0, Op.REM, -7, 2, -3 >>> 0, -1 >>> 0, 1);
      for (const name of divComponent.columns.slice(first))
        expect(scratchCol(scratch, name)[0], name).toBe(col(name)[row]);
    });

    it('DIVU 7 / 2 as q = 2, r = 3 (a = b·q + r holds): only |r| < |b| stops it', () => {
      expect(caught(claim('divu', 7, 2, 2, 3, 0))).toEqual({
        constraints: ['|r| < |b|, byte 3'],
        outsideTables: false,
      });
      // Balancing the chain instead with a slack byte of -2 leaves the byte table.
      const edits = claim('divu', 7, 2, 2, 3, 0).filter((e) => !/^[de]/.test(e.column));
      const row = edits[0]!.row;
      edits.push({ column: 'd0', row, value: -2 });
      for (const k of [1, 2, 3]) edits.push({ column: `d${k}`, row, value: 0 });
      for (const k of [0, 1, 2]) edits.push({ column: `e${k}`, row, value: 3 });
      expect(caught(edits)).toEqual({ constraints: [], outsideTables: true });
    });

    it('REM -7 / 2 as floor division (q = -4, r = 1): only the sign rule stops it', () => {
      expect(caught(claim('rem', -7, 2, -4, 1, 1))).toEqual({
        constraints: ['r > 0 only if a >= 0'],
        outsideTables: false,
      });
    });

    it('REM 7 / -2 as q = -4, r = -1: only the sign rule stops it', () => {
      expect(caught(claim('rem', 7, -2, -4, -1, 1))).toEqual({
        constraints: ['r < 0 only if a < 0'],
        outsideTables: false,
      });
    });

    it('DIVU 5 / 0 with a quotient other than all ones: the zero-divisor rule stops it', () => {
      expect(caught(claim('divu', 5, 0, 0, 5, 0))).toEqual({
        constraints: [0, 1, 2, 3].map((k) => `q byte ${k} is 255 when b = 0`),
        outsideTables: false,
      });
      // Claiming b ≠ 0 instead (bz = 0) breaks the inverse equation.
      const row = rowOf('divu', 5, 0);
      const out = caught([
        ...claim('divu', 5, 0, 0, 5, 0),
        { column: 'bz', row, value: 0 },
        { column: 'binv', row, value: 1 },
      ]);
      expect(out.constraints).toContain('bsum·binv = sel - bz');
    });

    it('DIV INT_MIN / -1 as q = INT_MAX, r = -1: only |r| < |b| stops it', () => {
      expect(caught(claim('div', INT_MIN, -1, INT_MAX, -1, 0))).toEqual({
        constraints: ['|r| < |b|, byte 3'],
        outsideTables: false,
      });
    });

    it('the quotient sign cannot be flipped: Q differs by 2^32, so b·Q + r ≠ a', () => {
      const negated = caught(claim('div', 7, 2, 3, 1, 1));
      expect(negated.constraints.length).toBeGreaterThan(0);
      expect(negated.constraints.every((l) => l.startsWith('b·q + r = a'))).toBe(true);
      const unsigned = caught(claim('div', -7, 2, -3, -1, 0));
      expect(unsigned.constraints.length).toBeGreaterThan(0);
      expect(unsigned.constraints.every((l) => l.startsWith('b·q + r = a'))).toBe(true);
    });

    it('needs the last carry checked: DIVU 3 / 2^31 as q = 2^25 passes everything else', () => {
      // b·2^25 = 2^56: the claim changes b·q + r only in byte 7, where c7 = 1/256 balances it.
      const edits = claim('divu', 3, INT_MIN, 2 ** 25, 3, 0);
      const row = edits[0]!.row;
      edits.push({ column: 'c7', row, value: fdiv(1, 256) });
      expect(caught(edits)).toEqual({ constraints: [], outsideTables: true });
    });
  });

  it('has no rows when no division ran', () => {
    const none = traceRun(buildElf({ code: [...li(5, 1), ...exit(0)] }));
    expect(divComponent.traceFor(none.context())).toBeNull();
  });
});
