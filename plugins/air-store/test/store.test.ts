import { bytesOf } from '@nexus/air-common';
import { asm, buildElf, exit, familyChecks, li, plusMinusOne, traceRun } from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { store, storeComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(storeComponent, store(), TABLES);

const P = 0x7fffffff;
const DATA = 0x20000;
const STORES = ['sb', 'sh', 'sw'] as const;
const size = { sb: 1, sh: 2, sw: 4 } as const;

/** The word after a store, from the spec: the addressed byte(s) replaced, the rest kept. */
function stored(op: (typeof STORES)[number], old: number, value: number, offset: number): number {
  if (op === 'sw') return value >>> 0;
  const mask = op === 'sh' ? 0xffff : 0xff;
  const sh = 8 * offset;
  return ((old & ~(mask << sh)) | ((value & mask) << sh)) >>> 0;
}

// Data words 0xaabbccdd each, so every kept byte differs from the stored ones.
const data = Uint8Array.from({ length: 32 }, (_, i) => [0xdd, 0xcc, 0xbb, 0xaa][i % 4]!);

/** Every store at every aligned offset, each into a fresh word of the data. */
function everyOffset(): number[] {
  const code: number[] = [...li(5, DATA), ...li(6, 0x12348081)];
  let word = 0;
  for (const op of STORES)
    for (let off = 0; off < 4; off += size[op]) code.push(asm[op](6, 5, 4 * word++ + off));
  return code;
}

const main = buildElf({
  data,
  bss: 8192,
  code: [
    ...everyOffset(), // 7 stores into words 0..6
    // The same word again and again: sb into every lane of word 7, then sh over it.
    ...li(7, 0x80),
    asm.sb(7, 5, 28),
    asm.sb(0, 5, 29), // x0 as the stored value
    asm.sb(7, 5, 30),
    asm.sb(7, 5, 31),
    asm.sh(0, 5, 30),
    asm.sw(0, 5, 28),
    // Address arithmetic: imm -2048 and 2047, carries out of bytes 0..2 and out of byte 3.
    ...li(8, DATA + 2048),
    asm.sw(6, 8, -2048),
    ...li(8, DATA + 4 - 2047),
    asm.sb(6, 8, 2047),
    ...li(8, DATA - 1),
    asm.sh(6, 8, 3),
    asm.sw(8, 8, 1), // rs1 = rs2
    asm.sw(6, 5, 4096), // bss (a zero page)
    asm.sb(6, 5, 4099),
    asm.sw(6, 2, -4), // the top of the stack: 0x7efffffc
    asm.sb(6, 2, -1), // 0x7effffff
    asm.sh(6, 2, -2),
    ...exit(0),
  ],
});

// rs1 = x0: the address is the immediate.
const low = buildElf({
  dataBase: 0x700,
  data: Uint8Array.from([1, 2, 3, 4]),
  code: [...li(5, -1), asm.sb(5, 0, 0x701), asm.sh(5, 0, 0x702), asm.sw(0, 0, 0x700), ...exit(0)],
});

const runs = { main: traceRun(main), low: traceRun(low) };

describe('store AIR', () => {
  it('has degree at most 3 and the expected buses', () => {
    const air = analyzeComponent(storeComponent);
    expect(air.maxDegree).toBeLessThanOrEqual(3);
    expect(new Set(air.entries.map((e) => e.relation.name))).toEqual(
      new Set(['program', 'exec', 'reg', 'ram', 'range16', 'bitwise']),
    );
  });

  it('only touches writable words: both RAM entries carry the constant writable = 1', () => {
    const air = analyzeComponent(storeComponent);
    const ram = air.entries.filter((e) => e.relation.name === 'ram');
    expect(ram.length).toBe(2);
    for (const entry of ram) {
      const writable = entry.values[6]!;
      expect([writable.kind, writable.a]).toEqual(['const', 1]);
    }
  });

  it('covers every op at every aligned offset', () => {
    const R = runs.main.records.families.store.columns;
    const seen = new Set<string>();
    for (let i = 0; i < R.op.length; i++)
      seen.add(`${STORES[R.op[i]!]}@${(R.rs1Val[i]! + R.imm[i]!) & 3}`);
    expect(seen).toEqual(new Set(['sb@0', 'sb@1', 'sb@2', 'sb@3', 'sh@0', 'sh@2', 'sw@0']));
  });

  for (const [name, run] of Object.entries(runs)) {
    it(`${name}: the trace agrees with the spec and the VM's records`, () => {
      const t = storeComponent.traceFor(run.context())!;
      const rec = run.records.families.store;
      const R = rec.columns;
      const col = (n: string) => checks.column(t, n);
      for (let i = 0; i < rec.length; i++) {
        const addr = (R.rs1Val[i]! + R.imm[i]!) >>> 0;
        expect(R.memAddr[i]).toBe((addr & ~3) >>> 0);
        const widx =
          col('a_q')[i]! +
          64 * col('a_s1')[i]! +
          16384 * col('a_s2')[i]! +
          4194304 * col('a_s3')[i]!;
        expect(4 * widx).toBe(R.memAddr[i]);
        expect(col('a_o0')[i]! + 2 * col('a_o1')[i]!).toBe(addr & 3);
        const spec = stored(STORES[R.op[i]!]!, R.memPrev[i]!, R.rs2Val[i]!, addr & 3);
        expect(R.memVal[i]).toBe(spec);
        expect([0, 1, 2, 3].map((k) => col(`n${k}`)[i])).toEqual(bytesOf(spec));
        expect([0, 1, 2, 3].map((k) => col(`mem_prev${k}`)[i])).toEqual(bytesOf(R.memPrev[i]!));
        expect(R.nextPc[i]).toBe(R.pc[i]! + 4);
      }
    });

    it(`${name}: program, bitwise and range lookups balance against the real tables`, () => {
      expect(checks.tableImbalance(run)).toEqual([]);
    });

    it(`${name}: every single-cell mutation is caught`, () => {
      const t = storeComponent.traceFor(run.context())!;
      const real = run.records.families.store.length;
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
          'n0',
          'n1',
          'n2',
          'n3',
        ],
        alternatives: plusMinusOne,
      });
      expect(report.checked).toBeGreaterThan(rows.length * storeComponent.columns.length);
      expect(report.unpinned).toEqual([]);
      // A store reads both registers and the old word, and writes the new one: every cell of
      // a real row is read.
      expect(report.unobservable).toEqual([]);
    });
  }

  // Forged rows: a wrong execution with every other witness re-solved.
  const rowOf = (op: number, imm: number) => {
    const R = runs.main.records.families.store.columns;
    for (let i = 0; i < R.op.length; i++) if (R.op[i] === op && R.imm[i] === imm) return i;
    throw new Error(`no row for op ${op} with imm ${imm}`);
  };
  const forgeMain = (edits: { column: string; row: number; value: number }[]) =>
    checks.forge(runs.main.context(), edits);

  it('has no witness for a misaligned SW', () => {
    // sw x6, 24(x5) with x5 = DATA + 2 (the VM faults): as an SH-like half write at offset 2.
    const row = rowOf(2, 24);
    const forged = forgeMain([
      { column: 'rs1_v0', row, value: 2 },
      { column: 'a_o1', row, value: 1 },
    ]);
    expect(forged.constraints).toEqual(['SW is word-aligned (bit 1)']);
    // Or keep the offset bits 0 and solve q in the field: q = (24 + 2) / 4 is no byte.
    const q = Number((BigInt(26) * BigInt((P + 1) / 4)) % BigInt(P));
    const viaField = forgeMain([
      { column: 'rs1_v0', row, value: 2 },
      { column: 'a_q', row, value: q },
    ]);
    expect(viaField.constraints).toEqual([]);
    expect(viaField.outsideTables).toBe(true);
  });

  it('has no witness for a misaligned SH', () => {
    // sh x6, 16(x5) at offset 0: claim address DATA + 17. Without the alignment constraint the
    // half lanes (chosen by o1 alone) would accept it as is.
    const row = rowOf(1, 16);
    const forged = forgeMain([
      { column: 'rs1_v0', row, value: 1 },
      { column: 'a_o0', row, value: 1 },
    ]);
    expect(forged.constraints).toEqual(['SH is halfword-aligned']);
  });

  it('rejects SB into the wrong lane, or clobbering another byte', () => {
    const row = rowOf(0, 5); // sb 0x81 into lane 1 of 0xaabbccdd -> 0xaabb81dd
    expect(runs.main.records.families.store.columns.memVal[row]).toBe(0xaabb81dd);
    const wrongLane = forgeMain([
      { column: 'n0', row, value: 0x81 },
      { column: 'n1', row, value: 0xcc },
    ]);
    expect(wrongLane.constraints).toEqual([
      'byte 0 of the stored word',
      'byte 1 of the stored word',
    ]);
    const clobber = forgeMain([{ column: 'n3', row, value: 0 }]);
    expect(clobber.constraints).toEqual(['byte 3 of the stored word']);
  });

  it('rejects SH writing the high half of rs2', () => {
    const row = rowOf(1, 16); // sh 0x8081 at offset 0 -> 0xaabb8081
    const forged = forgeMain([
      { column: 'n0', row, value: 0x34 },
      { column: 'n1', row, value: 0x12 },
    ]);
    expect(forged.constraints).toEqual(['byte 0 of the stored word', 'byte 1 of the stored word']);
  });
});
