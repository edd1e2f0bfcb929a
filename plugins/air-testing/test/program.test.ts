import { readFileSync } from 'node:fs';
import {
  decodeProgram,
  encodeProgram,
  ProgramError,
  readZkvmStatement,
  zkvmStatement,
} from '@nexus/air-common';
import {
  codeRomFor,
  type ElfProgram,
  loadElf,
  memoryMapFor,
  NOT_CODE,
  Op,
  PAGE_WORDS,
} from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { buildElf, exit, ioProgram } from '../src/index.js';

/**
 * decodeProgram's tables derived the plain way, word by word with Maps: the instructions (legal
 * ROM slots, FENCE's immediate 0), and for every page a region touches either a zero page
 * (fully mapped, no file bytes, one writability) or its image words (all four bytes mapped;
 * writable when all four are), with the file bytes as the value.
 */
function plainTables(elf: ElfProgram) {
  const rom = codeRomFor(elf);
  const instr: number[][] = [];
  for (let i = 0; i < rom.length; i++) {
    const op = rom.op[i]!;
    if (op === NOT_CODE || op === Op.ILLEGAL) continue;
    instr.push([
      rom.base + 4 * i,
      op,
      rom.rd[i]!,
      rom.rs1[i]!,
      rom.rs2[i]!,
      op === Op.FENCE ? 0 : rom.imm[i]!,
    ]);
  }
  const map = memoryMapFor(elf, {});
  const regionOf = (a: number) => map.regions.find((r) => a >= r.start && a < r.end);
  const fileByte = (a: number) => {
    const s = elf.segments.find((s) => a >= s.vaddr && a < s.vaddr + s.filesz);
    return s === undefined ? undefined : s.data[a - s.vaddr]!;
  };
  const pages = new Set<number>();
  for (const r of map.regions)
    for (let a = r.start; a < r.end; a += 4096) pages.add(Math.floor(a / 4096));
  for (const r of map.regions) pages.add(Math.floor((r.end - 1) / 4096));
  const image: number[][] = [];
  const zero: number[][] = [];
  for (const page of [...pages].sort((a, b) => a - b)) {
    const lo = page * 4096;
    const flags = new Set<boolean>();
    let mapped = 0;
    let file = false;
    for (let a = lo; a < lo + 4096; a++) {
      const r = regionOf(a);
      if (r !== undefined) {
        mapped++;
        flags.add(r.writable);
      }
      if (fileByte(a) !== undefined) file = true;
    }
    if (mapped === 4096 && !file && flags.size === 1) {
      zero.push([page, flags.has(true) ? 1 : 0]);
      continue;
    }
    for (let w = page * PAGE_WORDS; w < (page + 1) * PAGE_WORDS; w++) {
      const rs = [0, 1, 2, 3].map((k) => regionOf(4 * w + k));
      if (rs.some((r) => r === undefined)) continue;
      let value = 0;
      for (let k = 3; k >= 0; k--) value = value * 256 + (fileByte(4 * w + k) ?? 0);
      image.push([w, value, rs.every((r) => r!.writable) ? 1 : 0]);
    }
  }
  return { instr, image, zero };
}

describe('program description', () => {
  it('round-trips and is memoized by content', () => {
    const elf = loadElf(ioProgram());
    const bytes = encodeProgram(elf);
    const p = decodeProgram(bytes);
    expect(decodeProgram(bytes.slice())).toBe(p);
    expect(p.entry).toBe(0x10000);
    expect(p.instructions.pc[0]).toBe(0x10000);
    // the data word 0xbbaa is in the image; the 256 pages of the VM's default stack are zero pages
    expect(p.image.value[p.imageIndexOf(0x20000 / 4)]).toBe(0xbbaa);
    expect(p.zeroPages.page.length).toBe(256);
    expect(p.zeroPageIndexOf(Math.floor(0x7effff00 / 4 / 1024))).toBeGreaterThanOrEqual(0);
    expect(p.imageIndexOf(0x7effff00 / 4)).toBe(-1);
  });

  it('shares a decoding only between equal encodings, aligned or not', () => {
    const bytes = encodeProgram(loadElf(buildElf({ code: [0x00100513, ...exit(0)] })));
    const p = decodeProgram(bytes);
    // The same bytes at an odd offset in a larger buffer (compared byte by byte).
    const odd = new Uint8Array(bytes.length + 3).subarray(1, bytes.length + 1);
    odd.set(bytes);
    expect(decodeProgram(odd)).toBe(p);
    // One byte changed, in the words compared four at a time or in the tail: another program.
    const code = bytes.length - 4 * 3; // the first instruction (addi a0, zero, 1)'s low byte
    expect(code).toBeLessThan(bytes.length & ~3);
    expect(bytes.length % 4).not.toBe(0); // the last byte is in the tail
    for (const at of [code, bytes.length - 1]) {
      const other = bytes.slice();
      other[at]! ^= at === code ? 0x80 : 0x01;
      const q = decodeProgram(other);
      expect(q).not.toBe(p);
      const unaligned = new Uint8Array(other.length + 1).subarray(1);
      unaligned.set(other);
      expect(decodeProgram(unaligned)).toBe(q);
    }
  });

  it('derives the tables and indexes the plain way does', () => {
    const elves = [
      loadElf(ioProgram()),
      loadElf(readFileSync(new URL('../../../guests/bin/fib.elf', import.meta.url))),
      // Data sharing the code's page (mixed writability), 3 file bytes and 6 of bss: words
      // straddling the segment's end, a partly mapped page.
      loadElf(
        buildElf({
          code: [0x0ff0000f, ...exit(0)],
          dataBase: 0x10000 + 4 * 4,
          data: Uint8Array.of(1, 2, 3),
          bss: 6,
        }),
      ),
    ];
    for (const elf of elves) {
      const p = decodeProgram(encodeProgram(elf));
      const plain = plainTables(elf);
      const { pc, op, rd, rs1, rs2, imm } = p.instructions;
      expect(plain.instr.length).toBeGreaterThan(0);
      expect([...pc].map((_, k) => [pc[k], op[k], rd[k], rs1[k], rs2[k], imm[k]])).toEqual(
        plain.instr,
      );
      const { widx, value, writable } = p.image;
      expect([...widx].map((_, k) => [widx[k], value[k], writable[k]])).toEqual(plain.image);
      const zp = p.zeroPages;
      expect([...zp.page].map((_, k) => [zp.page[k], zp.writable[k]])).toEqual(plain.zero);
      // Every pc of the ROM's span and around it, misaligned and fractional ones included.
      const rom = codeRomFor(elf);
      const row = new Map(plain.instr.map((x, k) => [x[0]!, k]));
      for (let a = rom.base - 8; a < rom.base + 4 * rom.length + 8; a++)
        expect(p.indexOfPc(a), `pc ${a}`).toBe(row.get(a) ?? -1);
      for (const a of [rom.base + 0.5, rom.base + 4 + 2 ** 32, -4, 2 ** 32 - 4])
        expect(p.indexOfPc(a), `pc ${a}`).toBe(-1);
      for (const [k, [w]] of plain.image.entries()) {
        expect(p.imageIndexOf(w!)).toBe(k);
        if (!plain.image.some(([v]) => v === w! + 1)) expect(p.imageIndexOf(w! + 1)).toBe(-1);
      }
      expect(p.imageIndexOf(0)).toBe(-1);
      for (const [k, [page]] of plain.zero.entries()) {
        expect(p.zeroPageIndexOf(page!)).toBe(k);
        if (!plain.zero.some(([v]) => v === page! + 1))
          expect(p.zeroPageIndexOf(page! + 1)).toBe(-1);
      }
      expect(p.zeroPageIndexOf(0)).toBe(-1);
    }
  });

  it('rejects memory the zkVM cannot prove and malformed encodings', () => {
    const high = loadElf(buildElf({ code: exit(0), textBase: 0x40000000 }));
    expect(() => decodeProgram(encodeProgram(high, { stack: false }))).toThrow(ProgramError);
    expect(() => decodeProgram(Uint8Array.of(1, 2, 3))).toThrow(/not a Nexus program/);
    const bytes = encodeProgram(loadElf(buildElf({ code: exit(0) })));
    expect(() => decodeProgram(bytes.subarray(0, bytes.length - 1))).toThrow(ProgramError);
  });

  it('rejects an executable segment that is not 4-aligned, but not such a data segment', () => {
    const elf = loadElf(buildElf({ code: exit(0), data: Uint8Array.of(1, 2, 3) }));
    const bytes = encodeProgram(elf);
    // The header is 26 bytes; each segment starts with vaddr (u32), memsz (u32), flags (u8).
    const view = new DataView(bytes.buffer);
    const at: number[] = [];
    for (let o = 26, k = 0; k < elf.segments.length; k++) {
      at.push(o);
      o += 13 + view.getUint32(o + 9, true);
    }
    const code = elf.segments.findIndex((s) => s.executable);
    const data = elf.segments.findIndex((s) => !s.executable);
    expect(code).toBeGreaterThanOrEqual(0);
    expect(data).toBeGreaterThanOrEqual(0);
    const shifted = (k: number, by: number) => {
      const b = bytes.slice();
      const v = new DataView(b.buffer);
      v.setUint32(at[k]!, v.getUint32(at[k]!, true) + by, true);
      return b;
    };
    for (const by of [1, 2, 3])
      expect(() => decodeProgram(shifted(code, by))).toThrow(/not 4-byte aligned/);
    expect(decodeProgram(shifted(code, 4)).instructions.pc[0]).toBe(elf.segments[code]!.vaddr + 4);
    expect(() => decodeProgram(shifted(data, 1))).not.toThrow();
  });

  it('zkVM statements carry the program, tapes and exit code', () => {
    const program = encodeProgram(loadElf(buildElf({ code: exit(3) })));
    const s = zkvmStatement({
      program,
      publicInput: Uint8Array.of(1),
      publicOutput: Uint8Array.of(2, 3),
      exitCode: -1,
    });
    const r = readZkvmStatement(s);
    expect(r.exitCode).toBe(0xffffffff);
    expect(Array.from(r.publicOutput)).toEqual([2, 3]);
    expect(() => readZkvmStatement({ publicData: {} })).toThrow(/not a zkVM statement/);
  });
});
