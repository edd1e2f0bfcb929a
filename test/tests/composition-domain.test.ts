import { createHash } from 'node:crypto';
import { encodeProof, type PcsConfig } from '@nexus/kernel';
import { createZkvm, singleProof } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';
import { guest } from '../src/guests.js';

// With a blowup above 2 the prover evaluates the composition on the first 2^(n+1) positions of
// each column's LDE (prover/src/domain.ts "Evaluation domains") instead of evaluating every
// column again on the canonic domain of log n + 1. The composition polynomial is the same, so
// the proofs are the same bytes as before that change: these hashes were taken from proofs of
// the earlier prover (27828c2), and the proofs still verify.
const blowup4: PcsConfig = {
  name: 'blowup4',
  logBlowup: 2,
  nQueries: 40,
  powBits: 16,
  logLastLayerDegreeBound: 0,
  friFoldStep: 3,
};
const cases = [
  [
    'blowup 4 (40 queries)',
    blowup4,
    'd58ecc6ef3242ecdf623a3bcfdfb3c095ef017f7d2a1634953abe9911b5d8f81',
  ],
  [
    'compact (blowup 16)',
    'compact',
    'ddc90607af4390494fa19a29c64a23b6fa72319a227bd549490debec5a40d551',
  ],
] as const;

describe('the composition on the LDE', () => {
  const elf = guest('fib');
  for (const [what, security, hash] of cases) {
    it(`${what}: fib's proof is the earlier prover's, byte for byte, and verifies`, () => {
      const zkvm = createZkvm({ security });
      const r = singleProof(zkvm.prove(elf));
      expect(createHash('sha256').update(encodeProof(r.proof)).digest('hex')).toBe(hash);
      expect(() =>
        zkvm.verify(r.proof, {
          elf,
          publicOutput: r.claim.publicOutput,
          exitCode: r.claim.exitCode,
        }),
      ).not.toThrow();
    });
  }
});
