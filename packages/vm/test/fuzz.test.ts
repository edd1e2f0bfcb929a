/**
 * Random machine code (mostly legal RV32IM words with random registers and immediates, so
 * loads, stores and jumps go anywhere): every run ends in an exit or a VmFault, never another
 * exception or a hang, and pass 1 and pass 2 (each compiled and interpreted) end the same way: same
 * exit code and cycles, or same fault class, pc, cycle and message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, execute, generateRecords, Op, VmFault } from '../src/index.js';
import { programElf } from './support/elf-writer.js';
import { fullLayout } from './support/run.js';

type Outcome =
  | { exit: number; cycles: number }
  | { fault: string; pc: number; clk: number; message: string };

function outcome(f: () => { exitCode: number; cycles: number }): Outcome {
  try {
    const r = f();
    return { exit: r.exitCode, cycles: r.cycles };
  } catch (e) {
    if (!(e instanceof VmFault)) throw e;
    return { fault: e.name, pc: e.pc, clk: e.clk, message: e.message };
  }
}

describe('random machine code', () => {
  it('ends in an exit or a VmFault, identically in both passes', () => {
    const word = fc.oneof(
      {
        weight: 20,
        arbitrary: fc
          .integer({ min: 0, max: 0xffffffff })
          .filter((w) => decode(w).op !== Op.ILLEGAL || w % 97 === 0),
      },
      { weight: 1, arbitrary: fc.constant(0x00000073) }, // ecall
    );
    // Small registers make in-range addresses likely; syscall numbers make ecalls interesting.
    const setup = fc.array(
      fc.constantFrom(
        0x00040537,
        0x00040593,
        0x05d00893,
        0x04000893,
        0x03f00893,
        0x00100513,
        0x00300513,
      ),
      {
        maxLength: 6,
      },
    );
    fc.assert(
      fc.property(setup, fc.array(word, { minLength: 1, maxLength: 40 }), (pre, words) => {
        const code = Uint32Array.from([...pre, ...words]);
        const elf = programElf(new Uint8Array(code.buffer));
        const options = {
          maxCycles: 3000,
          publicInput: Uint8Array.of(1, 2, 3),
          privateInput: Uint8Array.of(4, 5),
          stack: { top: 0x80000000, size: 4096 },
        };
        const p1 = outcome(() => execute(elf, options));
        const layout = fullLayout(elf, options);
        for (const jit of [true, 'eager', false] as const) {
          // Pass 1 compiled at every block's first run, and never, ends the same way too.
          expect(outcome(() => execute(elf, { ...options, jit }))).toEqual(p1);
          const p2 = outcome(() => generateRecords(elf, layout, { ...options, jit }));
          expect(p2).toEqual(p1);
        }
      }),
      { numRuns: 400 },
    );
  });
});
