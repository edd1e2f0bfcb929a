/**
 * Derived records columns (derived-columns.ts): pass 2 does not write word, rdVal, memAddr,
 * memVal or (outside branches and jalr) nextPc; the records compute them when read. Checked
 * here: the instruction columns (derived word, jal's nextPc; written op, imm, register numbers)
 * against the instruction words of the ELF, decoded independently of the ROM, and rdVal, memAddr,
 * memVal and nextPc by the memory argument and the execution chain of replayRecords.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decode,
  deriveLayout,
  execute,
  FAMILY_COLUMNS,
  familyPartition,
  generateRecords,
  loadElf,
  MNEMONICS,
  Op,
  RV32IM_FAMILY_LIST,
  readsRs1,
  readsRs2,
  recordSegments,
  writesRd,
} from '../src/index.js';
import { randomProgram } from './support/random-program.js';
import { replayRecords } from './support/replay.js';

const guest = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));

/** The instruction at each pc, decoded from the ELF's bytes (not from the ROM). */
function instructionsOf(elf: Uint8Array) {
  const segments = loadElf(elf).segments;
  const known = new Map<number, ReturnType<typeof decode>>();
  return (pc: number) => {
    let d = known.get(pc);
    if (d !== undefined) return d;
    const s = segments.find((x) => pc >= x.vaddr && pc + 4 <= x.vaddr + x.filesz);
    if (s === undefined) throw new Error(`no code at ${pc.toString(16)}`);
    d = decode(new DataView(s.data.buffer, s.data.byteOffset + pc - s.vaddr, 4).getUint32(0, true));
    known.set(pc, d);
    return d;
  };
}

/** Compares the derived instruction columns with the decoded words; returns the rows checked. */
function checkInstructionColumns(elf: Uint8Array, records: ReturnType<typeof generateRecords>) {
  const at = instructionsOf(elf);
  const wrong: string[] = [];
  let rows = 0;
  for (const { name, ops } of RV32IM_FAMILY_LIST) {
    if (name === 'ecall') continue;
    const t = records.families[name]!;
    const c = t.columns as unknown as Record<string, Uint32Array>;
    expect(Object.keys(c)).toEqual([...FAMILY_COLUMNS[name as keyof typeof FAMILY_COLUMNS]]);
    for (let r = 0; r < t.length; r++) {
      const pc = c.pc![r]!;
      const d = at(pc);
      const want: Record<string, number> = {
        word: d.word,
        op: ops.indexOf(MNEMONICS[d.op]!),
        rs1: readsRs1(d.op) ? d.rs1 : 0,
        rs2: readsRs2(d.op) ? d.rs2 : 0,
        rd: writesRd(d.op) ? d.rd : 0,
        imm: d.op === Op.FENCE ? 0 : d.imm >>> 0,
      };
      if (d.op === Op.JAL) want.nextPc = (pc + d.imm) >>> 0;
      for (const [col, v] of Object.entries(want)) {
        const got = c[col]?.[r];
        if (got !== undefined && got !== v && wrong.length < 10)
          wrong.push(`${name}[${r}] at ${pc.toString(16)}: ${col} ${got}, expected ${v}`);
      }
      rows++;
    }
  }
  expect(wrong).toEqual([]);
  return rows;
}

describe('derived records columns', () => {
  it('pass 2 stores only the columns that do not follow from others', () => {
    const p = familyPartition();
    const stored = (f: string) => p.stored[p.families.findIndex((x) => x.name === f)]!;
    expect(stored('add')).toEqual([
      'clk',
      'pc',
      'op',
      'rs1',
      'rs1Val',
      'rs1Ts',
      'rs2',
      'rs2Val',
      'rs2Ts',
      'imm',
      'rd',
      'rdPrev',
      'rdPrevTs',
    ]);
    expect(stored('branch')).toContain('nextPc');
    expect(stored('jalr')).not.toContain('nextPc');
    expect(stored('jal')).not.toContain('nextPc');
    expect(stored('load')).toEqual([
      'clk',
      'pc',
      'op',
      'rs1',
      'rs1Val',
      'rs1Ts',
      'imm',
      'rd',
      'rdPrev',
      'rdPrevTs',
      'memPrev',
      'memPrevTs',
    ]);
    expect(stored('ecall')).toEqual([...FAMILY_COLUMNS.ecall]);
  });

  for (const [name, inputs] of [
    ['sort', {}],
    ['io', { publicInput: Uint8Array.of(1, 2, 3, 4, 5), privateInput: Uint8Array.of(9, 8, 7) }],
    ['fib', {}],
  ] as const) {
    it(`${name}: the instruction columns are the decoded words at pc, and the records balance`, () => {
      const elf = guest(name);
      const layout = deriveLayout(execute(elf, inputs).stats);
      for (const jit of [true, 'eager', false] as const) {
        const records = generateRecords(elf, layout, { ...inputs, jit });
        expect(checkInstructionColumns(elf, records)).toBeGreaterThan(0);
        replayRecords(records);
      }
    });
  }

  it('random programs (every ALU, M, load and store op): the same checks', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const { elf } = randomProgram(seed * 7919, { length: 120, loops: seed % 2 === 0 });
      const layout = deriveLayout(execute(elf).stats);
      const records = generateRecords(elf, layout);
      checkInstructionColumns(elf, records);
      replayRecords(records);
    }
  });

  it('a reused segment buffer: derived columns read before the next segment are that segment’s', () => {
    const elf = guest('sort');
    const layout = deriveLayout(execute(elf).stats);
    const whole = generateRecords(elf, layout);
    let row = 0;
    for (const seg of recordSegments(elf, layout, { segmentCycles: 5000, reuseBuffers: true })) {
      const add = seg.families.add;
      for (let r = 0; r < add.length; r++) {
        expect(add.columns.rdVal[r]).toBe(whole.families.add.columns.rdVal[row + r]);
        expect(add.columns.word[r]).toBe(whole.families.add.columns.word[row + r]);
      }
      row += add.length;
    }
    expect(row).toBe(whole.families.add.length);
  });
});
