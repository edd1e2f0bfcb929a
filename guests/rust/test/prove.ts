/**
 * Every Rust guest proves and verifies with the SDK (test security, for speed), including the
 * ones that end badly: the proof then shows the guest's exit code (a panic is 101). Inputs are
 * kept small: a proof costs seconds however short the run. The cases are split over two test
 * files so the two halves run on two workers.
 */
import { bundledPlugins, createZkvm } from '@nexus/sdk';
import { expect, it } from 'vitest';
import * as ref from './reference.js';
import { bytes, elf, type GuestName, type Inputs, text, u32le } from './support.js';

export const PROVE_CASES: Record<GuestName, [Inputs, ref.Expected]> = {
  fib: [{ publicInput: u32le(30) }, ref.fib(30)],
  sha256: [{ publicInput: bytes('abc') }, ref.sha256(bytes('abc'))],
  collections: [
    { publicInput: bytes('b a c a b a'), privateInput: bytes('c') },
    ref.collections(bytes('b a c a b a'), bytes('c')),
  ],
  panic: [{ publicInput: Uint8Array.of(1) }, ref.panic(1)],
  oom: [{ publicInput: u32le(300000) }, ref.oom(300000)],
  recursion: [{ publicInput: u32le(20) }, ref.recursion(20, false)],
  // Three short allocator checks (the memory-routine checks run millions of cycles).
  selftest: [{ publicInput: u32le(0b101010) }, ref.selftest(0b101010)],
  // Keccak-256 of 100 bytes through the keccakf precompile (one permutation).
  hash: [{ publicInput: bytes(`k${'x'.repeat(100)}`) }, ref.hash(bytes(`k${'x'.repeat(100)}`))],
};

const lenient = { minSecurityBits: 0 };

/**
 * One `it` per guest: prove, check the claim against the reference, verify. With `tamper`, also
 * check that the proof does not verify for another exit code or another output.
 */
export function proveCases(names: readonly GuestName[], tamper: readonly GuestName[] = []): void {
  // The bundled build: the default one and the Keccak precompile (the hash guest calls both).
  const zkvm = createZkvm({ plugins: bundledPlugins(), security: 'test' });
  for (const name of names) {
    const [inputs, expected] = PROVE_CASES[name];
    it(name, () => {
      const program = elf(name);
      const result = zkvm.prove(program, inputs);
      expect(result.claim.exitCode).toBe(expected.exitCode);
      expect(text(result.log)).toMatch(expected.log);
      expect(Buffer.from(result.claim.publicOutput).toString('hex')).toBe(
        Buffer.from(expected.output).toString('hex'),
      );
      const claim = {
        elf: program,
        publicInput: inputs.publicInput ?? new Uint8Array(0),
        publicOutput: expected.output,
        exitCode: expected.exitCode,
      };
      zkvm.verify(result.proof, claim, lenient);
      if (tamper.includes(name)) {
        expect(() =>
          zkvm.verify(result.proof, { ...claim, exitCode: expected.exitCode ^ 1 }, lenient),
        ).toThrow();
        const forged = Uint8Array.of(...expected.output, 0);
        expect(() =>
          zkvm.verify(result.proof, { ...claim, publicOutput: forged }, lenient),
        ).toThrow();
      }
    });
  }
}
