import {
  decodeProgram,
  encodeProgram,
  ProgramError,
  readZkvmStatement,
  zkvmStatement,
} from '@nexus/air-common';
import { loadElf } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { buildElf, exit, ioProgram } from '../src/index.js';

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
