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
    expect(p.imageIndexOf(0x7fffff00 / 4)).toBe(-1);
  });

  it('rejects memory the zkVM cannot prove and malformed encodings', () => {
    const high = loadElf(buildElf({ code: exit(0), textBase: 0x40000000 }));
    expect(() => decodeProgram(encodeProgram(high, { stack: false }))).toThrow(ProgramError);
    expect(() => decodeProgram(Uint8Array.of(1, 2, 3))).toThrow(/not a Nexus program/);
    const bytes = encodeProgram(loadElf(buildElf({ code: exit(0) })));
    expect(() => decodeProgram(bytes.subarray(0, bytes.length - 1))).toThrow(ProgramError);
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
