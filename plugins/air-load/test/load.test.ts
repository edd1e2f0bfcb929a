import { bytesOf } from '@nexus/air-common';
import { asm, buildElf, exit, familyChecks, li, plusMinusOne, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { Op } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { load, loadComponent } from '../src/index.js';
import { loadedValue } from '../src/trace.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(loadComponent, load(), TABLES);

const P = 0x7fffffff;
const DATA = 0x20000;
// Words: 0x01ff7f80 (sign bits at offsets 0 and 2), 0x7fff8000 (halves 0x8000, 0x7fff),
// 0x80000000, 0xffffffff.
const data = Uint8Array.from([
  0x80, 0x7f, 0xff, 0x01, 0x00, 0x80, 0xff, 0x7f, 0x00, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0xff,
]);
const LOADS = ['lb', 'lh', 'lw', 'lbu', 'lhu'] as const;
const OP_IDS = [Op.LB, Op.LH, Op.LW, Op.LBU, Op.LHU];
const size = { lb: 1, lbu: 1, lh: 2, lhu: 2, lw: 4 } as const;

/** Every load at every aligned offset of the data words, from base register x5 = DATA. */
function everyOffset(): number[] {
  const code: number[] = [...li(5, DATA)];
  let rd = 10;
  for (const op of LOADS)
    for (let off = 0; off < data.length; off += size[op]) {
      code.push(asm[op](rd, 5, off));
      rd = rd === 30 ? 10 : rd + 1;
    }
  return code;
}

const main = buildElf({
  data,
  bss: 4096,
  code: [
    ...everyOffset(),
    // Address arithmetic: imm -2048 and 2047, carries out of bytes 0..2 and out of byte 3.
    ...li(6, DATA + 2048),
    asm.lw(7, 6, -2048), // DATA: imm bytes 00 f8 ff ff, carry out of byte 3
    ...li(6, DATA + 12 - 2047),
    asm.lb(7, 6, 2047), // DATA + 12
    ...li(6, DATA - 1),
    asm.lbu(8, 6, 1), // 0x1ffff + 1: carries through bytes 0 and 1
    asm.lh(8, 6, 7), // DATA + 6
    ...li(6, DATA + 4),
    asm.lhu(9, 6, -4),
    asm.lw(6, 6, 0), // rd = rs1
    asm.lw(0, 5, 4), // rd = x0: the word is read, the write skipped
    asm.lb(0, 5, 0),
    asm.lw(11, 5, 2048 - 4), // bss (zero page)
    ...li(12, 0x10000),
    asm.lw(13, 12, 0), // the code segment: read-only, the token's writable flag is 0
    asm.lhu(13, 12, 2),
    asm.lw(14, 2, -4), // the top of the stack: address 0x7efffffc
    asm.lb(14, 2, -1), // 0x7effffff
    ...exit(0),
  ],
});

// rs1 = x0: the address is the immediate.
const low = buildElf({
  dataBase: 0x700,
  data: Uint8Array.from([0x11, 0x22, 0x80, 0x44]),
  code: [asm.lw(5, 0, 0x700), asm.lh(6, 0, 0x702), asm.lbu(7, 0, 0x703), ...exit(0)],
});

const runs = { main: traceRun(main), low: traceRun(low) };

describe('load AIR', () => {
  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(loadComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'ram', 'range16', 'bitwise']),
    );
  });

  it('covers every op at every aligned offset, and the sign extensions', () => {
    const R = runs.main.records.families.load.columns;
    const seen = new Set<string>();
    for (let i = 0; i < R.op.length; i++) {
      const addr = (R.rs1Val[i]! + R.imm[i]!) >>> 0;
      seen.add(`${LOADS[R.op[i]!]}@${addr & 3}`);
    }
    expect(seen).toEqual(
      new Set([
        ...['lb@0', 'lb@1', 'lb@2', 'lb@3', 'lbu@0', 'lbu@1', 'lbu@2', 'lbu@3'],
        ...['lh@0', 'lh@2', 'lhu@0', 'lhu@2', 'lw@0'],
      ]),
    );
    const values = Array.from(runs.main.records.families.load.columns.rdVal);
    expect(values).toContain(0xffffff80); // lb 0x80
    expect(values).toContain(0xffff8000); // lh 0x8000
    expect(values).toContain(0x7fff); // lh 0x7fff
    expect(values).toContain(0x80); // lbu 0x80
    expect(values).toContain(0x8000); // lhu 0x8000
  });

  for (const [name, run] of Object.entries(runs)) {
    it(`${name}: the trace agrees with the spec and the VM's records`, () => {
      const t = loadComponent.traceFor(run.context())!;
      const rec = run.records.families.load;
      const R = rec.columns;
      const col = (n: string) => checks.column(t, n);
      for (let i = 0; i < rec.length; i++) {
        const addr = (R.rs1Val[i]! + R.imm[i]!) >>> 0;
        const word = R.memPrev[i]!;
        expect(R.memVal[i]).toBe(word);
        expect(R.memAddr[i]).toBe((addr & ~3) >>> 0);
        const widx =
          col('a_q')[i]! +
          64 * col('a_s1')[i]! +
          16384 * col('a_s2')[i]! +
          4194304 * col('a_s3')[i]!;
        expect(4 * widx).toBe(R.memAddr[i]);
        expect(col('a_o0')[i]! + 2 * col('a_o1')[i]!).toBe(addr & 3);
        expect([0, 1, 2, 3].map((k) => col(`mem_prev${k}`)[i])).toEqual(bytesOf(word));
        // The spec's value, computed here from the word and the offset alone.
        const op = LOADS[R.op[i]!]!;
        const sh = 8 * (addr & 3);
        const spec =
          op === 'lw'
            ? word
            : op === 'lbu'
              ? (word >>> sh) & 0xff
              : op === 'lhu'
                ? (word >>> sh) & 0xffff
                : op === 'lb'
                  ? ((((word >>> sh) & 0xff) ^ 0x80) - 0x80) >>> 0
                  : ((((word >>> sh) & 0xffff) ^ 0x8000) - 0x8000) >>> 0;
        expect(loadedValue(OP_IDS[R.op[i]!]!, word, addr & 3)).toBe(spec);
        const r = [0, 1, 2, 3].map((k) => col(`r${k}`)[i]!);
        expect(r).toEqual(bytesOf(spec));
        if (R.rd[i] !== 0) expect(R.rdVal[i]).toBe(spec);
        expect(R.nextPc[i]).toBe(R.pc[i]! + 4);
      }
    });

    it(`${name}: program, bitwise and range lookups balance against the real tables`, () => {
      expect(checks.tableImbalance(run)).toEqual([]);
    });

    it(`${name}: every single-cell mutation is caught`, () => {
      const t = loadComponent.traceFor(run.context())!;
      const real = run.records.families.load.length;
      const rows = [...Array.from({ length: real }, (_, i) => i), 2 ** t.logSize - 1];
      const report = checks.mutations(run.context(), {
        rows,
        pinned: [
          'a_o0',
          'a_o1',
          'a_o01',
          'a_q',
          'a_s1',
          'a_s2',
          'a_s3',
          'a_c0',
          'a_c1',
          'a_c2',
          'a_c3',
          'r0',
          'r1',
          'r2',
          'r3',
          'top',
          'sgn',
        ],
        alternatives: plusMinusOne,
      });
      expect(report.checked).toBeGreaterThan(rows.length * loadComponent.columns.length);
      expect(report.unpinned).toEqual([]);
      // Only loads into x0 leave cells unread: the skipped rd access's old value and timestamp
      // witnesses (the RAM word is still read and proven).
      expect(report.unobservable.filter((m) => !checks.inSkippedRdWrite(t, m))).toEqual([]);
      if (name === 'main') expect(report.unobservable.length).toBeGreaterThan(0);
    });
  }

  it('marks the writable flag from the memory map', () => {
    const t = loadComponent.traceFor(runs.main.context())!;
    const R = runs.main.records.families.load.columns;
    const w = checks.column(t, 'mem_w');
    for (let i = 0; i < R.op.length; i++) {
      const codeWord = R.memAddr[i]! < DATA;
      expect(w[i], `row ${i} at 0x${R.memAddr[i]!.toString(16)}`).toBe(codeWord ? 0 : 1);
    }
    expect(Array.from(R.memAddr)).toContain(0x10000);
  });

  // Forged rows: a wrong execution with every other witness re-solved.
  const rowOf = (op: number, offset: number) => {
    const R = runs.main.records.families.load.columns;
    for (let i = 0; i < R.op.length; i++)
      if (R.op[i] === op && R.rs1[i] === 5 && R.imm[i] === offset) return i;
    throw new Error(`no row for op ${op} at offset ${offset}`);
  };
  const forgeMain = (edits: { column: string; row: number; value: number }[]) =>
    checks.forge(runs.main.context(), edits);

  it('has no witness for a misaligned LW', () => {
    // lw x, 4(x5) with x5 = DATA + 1 (the VM faults): re-solve the offset bits and select the
    // byte at offset 1 as the low byte. Only the alignment constraint objects.
    const row = rowOf(2, 4);
    const word = bytesOf(0x7fff8000);
    const forged = forgeMain([
      { column: 'rs1_v0', row, value: 1 },
      { column: 'a_o0', row, value: 1 },
      { column: 'r0', row, value: word[1]! },
    ]);
    expect(forged.constraints).toEqual(['LW is word-aligned (bit 0)']);
    // Or keep o0 = 0 and solve q in the field: q = (5 - 0) / 4 is no byte.
    const q = Number((BigInt(5) * BigInt((P + 1) / 4)) % BigInt(P));
    const viaField = forgeMain([
      { column: 'rs1_v0', row, value: 1 },
      { column: 'a_q', row, value: q },
    ]);
    expect(viaField.constraints).toEqual([]);
    expect(viaField.outsideTables).toBe(true);
  });

  it('has no witness for a misaligned LH or LHU', () => {
    for (const op of [1, 4]) {
      const row = rowOf(op, 2); // offset 2 -> claim offset 3
      const word = bytesOf(0x01ff7f80);
      const forged = forgeMain([
        { column: 'rs1_v0', row, value: 1 },
        { column: 'a_o0', row, value: 1 },
        { column: 'a_o01', row, value: 1 },
        { column: 'r0', row, value: word[3]! },
      ]);
      expect(forged.constraints).toEqual(['LH/LHU is halfword-aligned']);
    }
  });

  it('rejects LB of 0x80 zero-extended (only the sign lookup stops it)', () => {
    const row = rowOf(0, 0); // lb of 0x80
    const forged = forgeMain([
      { column: 'sgn', row, value: 0 },
      ...[1, 2, 3].map((k) => ({ column: `r${k}`, row, value: 0 })),
    ]);
    expect(forged.constraints).toEqual([]);
    expect(forged.outsideTables).toBe(true);
  });

  it('rejects LBU sign-extended', () => {
    const row = rowOf(3, 0); // lbu of 0x80
    const forged = forgeMain([
      { column: 'sgn', row, value: 1 },
      ...[1, 2, 3].map((k) => ({ column: `r${k}`, row, value: 255 })),
    ]);
    expect(forged.constraints).toEqual(['r1', 'r2', 'r3', 'sgn is 0 unless LB/LH']);
  });

  it('rejects the byte of another lane', () => {
    const row = rowOf(3, 1); // lbu at offset 1 (0x7f): claim the byte at offset 0 (0x80)
    const forged = forgeMain([{ column: 'r0', row, value: 0x80 }]);
    expect(forged.constraints).toEqual(['r0 = the byte at the offset']);
  });
});
