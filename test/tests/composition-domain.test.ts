import { createHash } from 'node:crypto';
import { encodeProof, type PcsConfig } from '@nexus/kernel';
import { createZkvm, singleProof } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';
import { guest } from '../src/guests.js';

// With a blowup above 2 the prover evaluates the composition on the first 2^(n+1) positions of
// each column's LDE (prover/src/domain.ts "Evaluation domains") instead of evaluating every
// column again on the canonic domain of log n + 1. The composition polynomial is the same, so
// the proofs were the same bytes as before that change (checked against hashes taken from the
// earlier prover, 27828c2: d58ecc6e... and ddc90607...). The FRI joins inside fold steps
// (issue 12) then changed every proof's FRI layers: these are the pins since, for any later
// change that should keep the bytes.
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
    'd7818cc86a9e91ac211b1f6fa9749ad8f9bc455a7a8ad67673b04777b1b3ed65',
  ],
  [
    'compact (blowup 16)',
    'compact',
    '9da6efad1b449363ea0963058b644df2917a113e6ab3eb101ef42628c2f6a7e7',
  ],
] as const;

describe('the composition on the LDE', () => {
  const elf = guest('fib');
  for (const [what, security, hash] of cases) {
    it(`${what}: fib's proof is pinned byte for byte and verifies`, () => {
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
