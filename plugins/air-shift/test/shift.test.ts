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
import { shift, shiftComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(shiftComponent, shift(), TABLES);

const INT_MIN = 0x80000000 | 0;
const INT_MAX = 0x7fffffff;
type ShiftOp = 'sll' | 'srl' | 'sra' | 'slli' | 'srli' | 'srai';

/** The spec's result, computed with BigInt (independent of the VM's and the trace's code). */
function reference(op: ShiftOp, a: number, b: number): number {
  const s = BigInt(b & 31);
  const u = BigInt(a >>> 0);
  if (op === 'sll' || op === 'slli') return Number((u << s) & 0xffffffffn);
  if (op === 'srl' || op === 'srli') return Number(u >> s);
  return Number(BigInt.asUintN(32, BigInt.asIntN(32, u) >> s));
}

/** One shift instruction per case (rs1 = x20, rs2 = x21); the k-th shift row is case k. */
type Case = AluCase<ShiftOp>;

// Edge values: shift by 0, 1, 7, 8 (byte boundary), 9, 31, 32 and 63 (masked to 0 and 31),
// by amounts whose ignored high bits are set, by negative rs2; operands 0, 1, -1, INT_MIN,
// INT_MAX and mixed bytes; SRA of negative and non-negative values.
const A_VALUES = [INT_MIN, INT_MAX, -1, 1, 0x80f0f0f1 | 0, 0x12345678];
const REG_AMOUNTS = [0, 1, 7, 8, 9, 16, 31, 32, 33, 63, -1, 0xffffffe0 | 0, 0x1234567f];
const IMM_AMOUNTS = [0, 1, 7, 8, 15, 24, 31];
const cases: Case[] = [];
// Case k writes the register after caseRegister(k).
const nextRd = () => caseRegister(cases.length + 1);
for (const op of ['sll', 'srl', 'sra'] as const) {
  for (const b of REG_AMOUNTS) cases.push({ op, rd: nextRd(), a: A_VALUES[cases.length % 6]!, b });
  cases.push({ op, rd: nextRd(), a: INT_MIN, b: 31 });
  cases.push({ op, rd: nextRd(), a: 0, b: 5 });
}
for (const op of ['slli', 'srli', 'srai'] as const) {
  for (const b of IMM_AMOUNTS) cases.push({ op, rd: nextRd(), a: A_VALUES[cases.length % 6]!, b });
  cases.push({ op, rd: nextRd(), a: -1, b: 31 });
  cases.push({ op, rd: nextRd(), a: INT_MAX, b: 31 });
}
// x0 as source (value 0 shifted, and a shift by x0 = 0) and as destination (dropped write).
const tail = [
  asm.sll(22, 0, 21),
  asm.sra(23, 20, 0),
  asm.srai(0, 20, 3),
  asm.srl(0, 20, 21),
  asm.slli(24, 0, 31),
];
const program = aluProgram(cases, tail);

describe('shift AIR', () => {
  const run = traceRun(program);
  const R = run.records.families.shift.columns;
  const rows = run.records.families.shift.length;
  const trace = () => {
    const t = shiftComponent.traceFor(run.context())!;
    const col = (name: string) => checks.column(t, name);
    return { t, col };
  };

  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(shiftComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(shiftComponent.columns.length).toBe(60);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'range16', 'bitwise']),
    );
  });

  it('computes the spec results, equal to the VM records', () => {
    expect(rows).toBe(cases.length + tail.length);
    const { t } = trace();
    for (let k = 0; k < cases.length; k++) {
      const { op, a, b } = cases[k]!;
      expect(R.rs1Val[k]! | 0).toBe(a);
      const want = reference(op, a, b);
      expect(checks.word(t, 'r', k), `${op} ${a} ${b}`).toBe(want);
      expect(R.rdVal[k]).toBe(want);
    }
    // x0 rows: the trace still computes the shift; the VM drops the write to x0.
    for (let i = 0; i < rows; i++) {
      const isImm = R.op[i]! >= 3;
      const b = isImm ? R.imm[i]! : R.rs2Val[i]!;
      const op = (['sll', 'srl', 'sra', 'slli', 'srli', 'srai'] as const)[R.op[i]!]!;
      expect(checks.word(t, 'r', i), `row ${i}`).toBe(reference(op, R.rs1Val[i]!, b));
      expect(R.rdVal[i]).toBe(R.rd[i] === 0 ? 0 : reference(op, R.rs1Val[i]!, b));
    }
    const x = run.records.registersFinal.value;
    expect(x[22]).toBe(0);
    expect(x[24]).toBe(0);
    expect(x[0]).toBe(0);
  });

  it('looks up exactly what it counts, and only program rows that exist', () => {
    expect(checks.tableImbalance(run)).toEqual([]);
  });

  it('the honest trace passes, and every single-cell mutation is caught', () => {
    const { t, col } = trace();
    const n = 2 ** t.logSize;
    expect(n).toBeGreaterThan(rows);
    // Every row of the tail (x0 cases), and of each op: a byte-aligned shift, shift bytes with
    // the ignored bits set (register ops), a shift by 31 of INT_MIN or -1.
    const sample: number[] = [];
    cases.forEach((c, i) => {
      const pick =
        c.b === 8 ||
        c.b === 24 ||
        c.b === 33 ||
        c.b === (0xffffffe0 | 0) ||
        (c.b === 31 && (c.a === INT_MIN || c.a === -1));
      if (pick) sample.push(i);
    });
    for (let i = rows - tail.length; i < rows; i++) sample.push(i);
    expect(new Set(sample.map((i) => R.op[i]))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    const report = checks.mutations(run.context(), {
      rows: [...sample, n - 1],
      pinned: [
        'm0',
        'm1',
        'm2',
        'g0',
        'g1',
        'g2',
        'g3',
        't',
        'pow_l',
        'pow_r',
        'lo0',
        'lo1',
        'lo2',
        'lo3',
        'hi0',
        'hi1',
        'hi2',
        'hi3',
        'msb',
        'low7',
        'sgn',
        'r0',
        'r1',
        'r2',
        'r3',
      ],
    });
    expect(report.checked).toBe(60 * (sample.length + 1));
    expect(report.unpinned).toEqual([]);
    // On real rows only what the op does not read is unobservable: rs2's access on immediate
    // shifts (rs2 is not read), and rd's old value and timestamp when the write is dropped.
    const isImm = (row: number) =>
      col('is_slli')[row]! + col('is_srli')[row]! + col('is_srai')[row]!;
    expect(report.unobservable.length).toBeGreaterThan(0);
    for (const m of report.unobservable) {
      const ok =
        (isImm(m.row) === 1 && m.column.startsWith('rs2_')) || checks.inSkippedRdWrite(t, m);
      expect(ok, `${m.column} at row ${m.row} is unobservable`).toBe(true);
    }
  });

  it('random operands and amounts: the honest trace satisfies every constraint', () => {
    const rand = xorshift32(0x2545f491);
    const ops: ShiftOp[] = ['sll', 'srl', 'sra', 'slli', 'srli', 'srai'];
    const many: Case[] = [];
    for (let k = 0; k < 240; k++) {
      const op = ops[k % 6]!;
      const b = k % 6 < 3 ? rand() : (rand() >>> 0) % 32;
      many.push({ op, rd: 5 + (k % 4), a: rand(), b });
    }
    const r = traceRun(aluProgram(many));
    const t = shiftComponent.traceFor(r.context())!;
    expect(checks.constraintFailures(t)).toEqual([]);
    many.forEach(({ op, a, b }, i) => {
      expect(checks.word(t, 'r', i), `${op} ${a} ${b}`).toBe(reference(op, a, b));
    });
    expect(checks.tableImbalance(r)).toEqual([]);
  });

  describe('forged witnesses (several cells at once)', () => {
    const rowOf = (pred: (c: Case) => boolean) => cases.findIndex(pred);

    it('needs t to be a byte: a shift byte 33 cannot be read as any amount but 1', () => {
      const row = rowOf((c) => c.op === 'sll' && c.b === 33);
      const { col } = trace();
      expect(col('m0')[row]).toBe(1);
      expect(col('t')[row]).toBe(1);
      // Claim an amount of 0 (no shift): t = 33/32 balances the split; every other cell is
      // re-solved honestly for a shift by 0.
      const a = cases[row]!.a >>> 0;
      const edits = [
        { column: 'm0', row, value: 0 },
        { column: 't', row, value: div(33, 32) },
        { column: 'pow_l', row, value: 1 },
        { column: 'pow_r', row, value: 256 },
        ...[0, 1, 2, 3].flatMap((k) => [
          { column: `lo${k}`, row, value: (a >>> (8 * k)) & 0xff },
          { column: `hi${k}`, row, value: 0 },
          { column: `r${k}`, row, value: (a >>> (8 * k)) & 0xff },
        ]),
      ];
      expect(checks.forge(run.context(), edits)).toEqual({
        constraints: [],
        outsideTables: true,
      });
    });

    it('needs low7 < 128: SRA of a negative value cannot fill with zeros', () => {
      const row = rowOf((c) => c.op === 'sra' && c.a === INT_MIN && c.b === 31);
      const { t, col } = trace();
      expect(col('sgn')[row]).toBe(1);
      expect(checks.word(t, 'r', row)).toBe(0xffffffff);
      // Claim a_3 = 0x80 has top bit 0 (low7 = 128) and the logical result 1.
      const edits = [
        { column: 'msb', row, value: 0 },
        { column: 'low7', row, value: 128 },
        { column: 'sgn', row, value: 0 },
        { column: 'r0', row, value: 1 },
        { column: 'r1', row, value: 0 },
        { column: 'r2', row, value: 0 },
        { column: 'r3', row, value: 0 },
      ];
      expect(checks.forge(run.context(), edits)).toEqual({
        constraints: [],
        outsideTables: true,
      });
    });

    it('needs lo and hi to be bytes: the split of a_k·2^m is the base-256 one', () => {
      // Shift left by 1: move 256 from lo0 into hi0 (lo0 - 256 + 256·(hi0 + 1) is the same
      // a_0·2), which carries one more into result byte 1.
      const row = rowOf((c) => c.op === 'sll' && c.b === 1);
      const { col } = trace();
      const lo0 = col('lo0')[row]!;
      const hi0 = col('hi0')[row]!;
      const edits = [
        { column: 'lo0', row, value: lo0 - 256 },
        { column: 'hi0', row, value: hi0 + 1 },
        { column: 'r0', row, value: lo0 - 256 },
        { column: 'r1', row, value: col('r1')[row]! + 1 },
      ];
      const out = checks.forge(run.context(), edits);
      expect(out.constraints).toEqual([]);
      expect(out.outsideTables).toBe(true);
    });
  });

  it('has no rows when no shift ran', () => {
    const none = traceRun(buildElf({ code: [...li(5, 1), ...exit(0)] }));
    expect(shiftComponent.traceFor(none.context())).toBeNull();
  });
});
