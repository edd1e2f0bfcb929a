import { asm, buildElf, exit, li } from '@nexus/air-testing';
import { SECURITY } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { createZkvm } from '../src/index.js';

describe('tiny guest', () => {
  it('proves and verifies addi + exit', () => {
    const elf = buildElf({ code: [...li(5, 40), asm.addi(10, 5, 2), ...exit()] });
    const zkvm = createZkvm({ security: 'test' });
    const { proof, claim } = zkvm.prove(elf);
    expect(claim.exitCode).toBe(42);
    zkvm.verify(
      proof,
      { elf, publicOutput: new Uint8Array(0), exitCode: 42 },
      { minSecurityBits: 0 },
    );
    expect(() =>
      zkvm.verify(
        proof,
        { elf, publicOutput: new Uint8Array(0), exitCode: 41 },
        { minSecurityBits: 0 },
      ),
    ).toThrow();
  });

  it('a zkVM with a custom security config verifies its own proofs; others refuse the config', () => {
    const elf = buildElf({ code: [...li(5, 40), asm.addi(10, 5, 2), ...exit()] });
    const custom = { ...SECURITY.test, name: 'custom', nQueries: 5 };
    const zkvm = createZkvm({ security: custom });
    const { proof } = zkvm.prove(elf);
    const expected = { elf, publicOutput: new Uint8Array(0), exitCode: 42 };
    zkvm.verify(proof, expected, { minSecurityBits: 0 });
    expect(() => createZkvm().verify(proof, expected, { minSecurityBits: 0 })).toThrow(
      /^config: the proof uses a configuration this verifier does not accept/,
    );
  });
});
