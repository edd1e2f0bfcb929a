import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CodeRom, NOT_CODE } from '../src/code.js';
import { decode } from '../src/decode.js';
import { loadElf } from '../src/elf.js';

describe('CodeRom', () => {
  it('holds decode() of every word of the executable segments (zero words included)', () => {
    for (const guest of ['fib', 'sort', 'keccak256']) {
      const elf = loadElf(
        readFileSync(new URL(`../../../guests/bin/${guest}.elf`, import.meta.url)),
      );
      const rom = new CodeRom(elf);
      const seen = new Uint8Array(rom.length);
      let zeros = 0;
      for (const s of elf.segments.filter((s) => s.executable)) {
        const view = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
        for (let k = 0; k < Math.floor(s.memsz / 4); k++) {
          const w = 4 * k + 4 <= s.filesz ? view.getUint32(4 * k, true) : 0;
          if (w === 0) zeros++;
          const d = decode(w);
          const i = (s.vaddr - rom.base) / 4 + k;
          seen[i] = 1;
          const got = [rom.op[i], rom.rd[i], rom.rs1[i], rom.rs2[i], rom.imm[i], rom.word[i]];
          expect(got, `${guest} word ${i}`).toEqual([d.op, d.rd, d.rs1, d.rs2, d.imm, d.word]);
        }
      }
      expect(zeros, guest).toBeGreaterThan(0);
      for (let i = 0; i < rom.length; i++) if (!seen[i]) expect(rom.op[i]).toBe(NOT_CODE);
    }
  });
});
