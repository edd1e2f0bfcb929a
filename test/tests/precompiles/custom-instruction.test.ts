import { buildElf, exit, li, maliciousProver } from '@nexus/air-testing';
import { assembleSystem } from '@nexus/kernel';
import { rv32im } from '@nexus/rv32im';
import { createZkvm, defaultPlugins } from '@nexus/sdk';
import { execute, IllegalInstructionError } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { cadd, caddInstruction, customAdd } from '../../src/custom-add.js';

// a0 = 0x7fffff00 + 0x1ff (carries through three bytes), a cadd into x0 (no write), then
// a0 += 5 with a second cadd; exit code = a0 & 0xff.
const elf = buildElf({
  code: [
    ...li(11, 0x7fffff00),
    ...li(12, 0x1ff),
    cadd(10, 11, 12),
    cadd(0, 11, 12),
    ...li(13, 5),
    cadd(10, 10, 13),
    ...exit(),
  ],
});
const expected = (0x7fffff00 + 0x1ff + 5) | 0;

describe('a custom instruction plugin', () => {
  it('runs in the VM that has it, and faults naming the missing instruction elsewhere', () => {
    expect(execute(elf, { instructions: [caddInstruction] }).exitCode).toBe(expected);
    expect(() => execute(elf)).toThrow(IllegalInstructionError);
    expect(() => execute(elf)).toThrow(/custom-0 funct3=0 funct7=0x01.*no plugin/);
  });

  it('proves and verifies through the SDK; the stock build refuses the proof', () => {
    const zkvm = createZkvm({ plugins: [...defaultPlugins(), customAdd()] });
    const result = zkvm.prove(elf);
    expect(result.claim.exitCode).toBe(expected >>> 0);
    expect(result.components.cadd).toBe(4); // 3 rows, padded to the minimum of 16
    const file = zkvm.proofFile(result);
    expect(zkvm.verifyFile(file, elf).exitCode).toBe(expected >>> 0);
    expect(() => createZkvm().verifyFile(file, elf)).toThrow(/different plugin set/);
    expect(() => createZkvm().prove(elf)).toThrow(/no plugin of this zkVM build provides/);
  });

  it('rejects a forged sum, and a row claiming another custom instruction', () => {
    const system = assembleSystem([...rv32im(), customAdd()]);
    const forged = maliciousProver(system, elf);
    forged.set('cadd', 'sum0', 0, (forged.get('cadd', 'sum0', 0) + 1) & 0xff);
    forged.rebalance();
    expect(forged.diagnose().constraints).toContain('cadd: byte 0 of the sum');
    expect(forged.verdict()).not.toBeNull();

    // The rows of the program that ran, claimed for a program whose custom words are another
    // custom instruction (funct7 2): the instruction key is in the program tuple.
    const other = (w: number) => (w & 0x01ffffff) | (2 << 25);
    const code = [...li(11, 0x7fffff00), ...li(12, 0x1ff)];
    const claimed = buildElf({
      code: [
        ...code,
        other(cadd(10, 11, 12)),
        other(cadd(0, 11, 12)),
        ...li(13, 5),
        other(cadd(10, 10, 13)),
        ...exit(),
      ],
    });
    const swapped = maliciousProver(system, elf, {}, claimed);
    const relations = new Set(swapped.diagnose().tuples.map((t) => t.relation));
    expect([...relations]).toEqual(['program']);
    expect(swapped.verdict()?.check).toBe('logup-sum');
  });
});
