import { asm, buildElf, exit, li } from '@nexus/air-testing';
import { encodeProof } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { createZkvm, singleProof } from '../src/index.js';

// A proof read from a file is a Node Buffer, and a small one sits at any offset of Node's
// pool: the verifier reads its fields (the system digest, roots) in place, at any alignment.
describe('proof bytes at any offset', () => {
  const elf = buildElf({ code: [...li(5, 40), asm.addi(10, 5, 2), ...exit()] });
  const zkvm = createZkvm({ security: 'test' });
  const loose = { minSecurityBits: 0 };
  const claim = { elf, publicOutput: new Uint8Array(0), exitCode: 42 };
  const bytes = encodeProof(singleProof(zkvm.prove(elf)).proof);

  it('verifies the bytes at offsets 0 to 3 of a Buffer, and rejects them changed there', () => {
    for (let offset = 0; offset < 4; offset++) {
      const buffer = Buffer.alloc(bytes.length + offset);
      buffer.set(bytes, offset);
      const proof = buffer.subarray(offset);
      zkvm.verify(proof, claim, loose);
      proof[proof.length - 1]! ^= 1;
      expect(() => zkvm.verify(proof, claim, loose), `offset ${offset}`).toThrow();
    }
  });
});
