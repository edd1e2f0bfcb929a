import { describe, expect, it } from 'vitest';
import { codeRomFor } from '../src/code.js';
import type { ElfProgram, ElfSegment } from '../src/elf.js';
import { memoryMapFor } from '../src/memory.js';
import { representativeProgram } from '../src/same-program.js';

const ADDI_A0_1 = 0x00100513; // addi a0, zero, 1
const ECALL = 0x00000073;

function segment(vaddr: number, words: number[], flags: number, memsz?: number): ElfSegment {
  const data = new Uint8Array(new Uint32Array(words).buffer);
  return {
    vaddr,
    memsz: memsz ?? data.length,
    filesz: data.length,
    flags,
    executable: (flags & 1) !== 0,
    writable: (flags & 2) !== 0,
    data,
  };
}

/** A fresh ElfProgram object (new arrays) with a code and a data segment. */
function program(code = [ADDI_A0_1, ECALL], data = [7, 8], dataFlags = 6): ElfProgram {
  return {
    entry: 0x10000,
    segments: [segment(0x10000, code, 5), segment(0x20000, data, dataFlags, 4096)],
    symbols: [],
    flags: 0,
    requires: [],
  };
}

describe('programs with the same segments share their ROM and memory map', () => {
  it('a second object with equal segments gets the first one built for them', () => {
    const a = program();
    const b = program();
    expect(representativeProgram(b)).toBe(representativeProgram(a));
    expect(codeRomFor(b)).toBe(codeRomFor(a));
    expect(memoryMapFor(b)).toBe(memoryMapFor(a));
    // Options still key the map.
    expect(memoryMapFor(b, { stack: false })).not.toBe(memoryMapFor(a));
    expect(memoryMapFor(b, { stack: false })).toBe(memoryMapFor(a, { stack: false }));
  });

  it('a changed word, flag or data byte gets its own, built from its own segments', () => {
    const a = program();
    const code = program([ADDI_A0_1 + (1 << 20), ECALL]); // addi a0, zero, 2
    expect(codeRomFor(code)).not.toBe(codeRomFor(a));
    expect(codeRomFor(code).imm[0]).toBe(2);
    expect(codeRomFor(a).imm[0]).toBe(1);

    const data = program(undefined, [7, 9]);
    expect(memoryMapFor(data)).not.toBe(memoryMapFor(a));
    const words = memoryMapFor(data).allocWords();
    const page = ~memoryMapFor(data).pageOf[0x20]!;
    expect(words[page * 1024 + 1]).toBe(9);

    const readOnly = program(undefined, undefined, 4);
    expect(memoryMapFor(readOnly).regions.find((r) => r.start === 0x20000)?.writable).toBe(false);
    expect(memoryMapFor(a).regions.find((r) => r.start === 0x20000)?.writable).toBe(true);
  });
});
