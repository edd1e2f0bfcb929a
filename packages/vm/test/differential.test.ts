import { describe, expect, it } from 'vitest';
import { deriveLayout, execute, generateRecords } from '../src/index.js';
import { hasQemu, runQemu, warnMissing } from './support/qemu.js';
import { randomProgram } from './support/random-program.js';
import { replayRecords } from './support/replay.js';

if (!hasQemu) warnMissing('qemu-riscv32', 'qemu-user');

describe.skipIf(!hasQemu)('random programs: this VM vs qemu-riscv32', () => {
  for (const loops of [false, true]) {
    it(`${loops ? 'looping' : 'straight-line'} programs give identical output and exit code`, () => {
      for (let seed = 1; seed <= 60; seed++) {
        const { elf } = randomProgram(seed * 7919 + (loops ? 1 : 0), { length: 120, loops });
        const q = runQemu(elf);
        const r = execute(elf);
        expect({
          seed,
          out: Buffer.from(r.output).toString('hex'),
          code: r.exitCode & 0xff,
        }).toEqual({
          seed,
          out: Buffer.from(q.stdout).toString('hex'),
          code: q.exitCode,
        });
        const rec = generateRecords(elf, deriveLayout(r.stats));
        expect(Buffer.from(rec.publicOutput).equals(Buffer.from(r.output))).toBe(true);
        replayRecords(rec);
      }
    });
  }
});
