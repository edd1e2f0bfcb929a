import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveLayout, execute, generateRecords } from '../src/index.js';
import { Asm, Reg } from './support/asm.js';
import { programElf } from './support/elf-writer.js';
import { replayRecords } from './support/replay.js';

describe('smoke', () => {
  it('runs a loop', () => {
    const a = new Asm();
    a.li(Reg.t0, 1000)
      .li(Reg.t1, 0)
      .label('loop')
      .i('addi', Reg.t1, Reg.t1, 3)
      .i('addi', Reg.t0, Reg.t0, -1)
      .branch('bne', Reg.t0, 0, 'loop');
    a.r('add', Reg.a0, Reg.t1, 0).li(Reg.a7, 93).ecall();
    const r = execute(programElf(a.bytes()));
    expect(r.exitCode).toBe(3000);
    expect(r.cycles).toBe(2 + 3000 + 3);
  });
  it('hello', () => {
    const elf = readFileSync('/tmp/hello.elf');
    const r = execute(elf);
    const rec = generateRecords(elf, deriveLayout(r.stats));
    expect(rec.cycles).toBe(r.cycles);
    expect(rec.exitCode).toBe(3);
    console.log(replayRecords(rec));
  });
});
