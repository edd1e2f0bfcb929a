import { asm, buildElf, exit, li } from '@nexus/air-testing';
import { decodeProof, encodeProof, type StarkProof } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { createZkvm, singleProof } from '../src/index.js';

// A warm verifier reuses what it computed for earlier proofs (the preprocessed root, per
// system object and statement). Nothing it reuses may let a proof verify against a statement
// it was not made for: each case below runs after the cache holds program A's root.
describe('warm verification', () => {
  const elfA = buildElf({ code: [...li(5, 40), asm.addi(10, 5, 2), ...exit()] });
  // Same code size and layout, another immediate: another program, another preprocessed ROM.
  const elfB = buildElf({ code: [...li(5, 40), asm.addi(10, 5, 3), ...exit()] });
  const zkvm = createZkvm({ security: 'test' });
  const loose = { minSecurityBits: 0 };
  const empty = new Uint8Array(0);
  const proofA = singleProof(zkvm.prove(elfA)).proof;
  const proofB = singleProof(zkvm.prove(elfB)).proof;
  const claimA = { elf: elfA, publicOutput: empty, exitCode: 42 };
  const claimB = { elf: elfB, publicOutput: empty, exitCode: 43 };
  const withRoot = (proof: StarkProof, root: Uint32Array): Uint8Array => {
    const decoded = decodeProof(encodeProof(proof));
    return encodeProof({ ...decoded, roots: [root, ...decoded.roots.slice(1)] });
  };

  it('verifies the same proof again, and another program after it', () => {
    zkvm.verify(proofA, claimA, loose);
    zkvm.verify(proofA, claimA, loose);
    zkvm.verify(proofB, claimB, loose);
    zkvm.verify(proofA, claimA, loose);
  });

  it("rejects program B's proof against program A's statement, the cache warm with A", () => {
    zkvm.verify(proofA, claimA, loose);
    expect(() => zkvm.verify(proofB, { ...claimA, exitCode: 43 }, loose)).toThrow(
      /^statement: the proof commits to other preprocessed columns/,
    );
    // And A's proof against B's statement, with both roots cached.
    zkvm.verify(proofB, claimB, loose);
    expect(() => zkvm.verify(proofA, { ...claimB, exitCode: 42 }, loose)).toThrow(
      /^statement: the proof commits to other preprocessed columns/,
    );
  });

  it("rejects A's proof carrying B's preprocessed root, and a root changed in one word", () => {
    zkvm.verify(proofA, claimA, loose);
    zkvm.verify(proofB, claimB, loose);
    expect(() => zkvm.verify(withRoot(proofA, proofB.roots[0]!), claimA, loose)).toThrow(
      /^statement: the proof commits to other preprocessed columns/,
    );
    const changed = proofA.roots[0]!.slice();
    changed[3] = (changed[3]! + 1) >>> 0;
    expect(() => zkvm.verify(withRoot(proofA, changed), claimA, loose)).toThrow(
      /^statement: the proof commits to other preprocessed columns/,
    );
    // The cached root itself is untouched by what a caller does with a proof.
    zkvm.verify(proofA, claimA, loose);
  });

  it('rejects a tampered opening after the same proof verified', () => {
    zkvm.verify(proofA, claimA, loose);
    const bytes = encodeProof(proofA);
    const decoded = decodeProof(bytes);
    const values = decoded.openings[1]!.values.slice();
    values[0] = (values[0]! + 1) % 0x7fffffff;
    const tampered = {
      ...decoded,
      openings: decoded.openings.map((o, t) => (t === 1 ? { ...o, values } : o)),
    };
    expect(() => zkvm.verify(encodeProof(tampered), claimA, loose)).toThrow(/^merkle: main tree/);
  });

  it('a second zkVM (another system object) computes its own root and agrees', () => {
    zkvm.verify(proofA, claimA, loose);
    const other = createZkvm({ security: 'test' });
    other.verify(proofA, claimA, loose);
    expect(() => other.verify(proofB, { ...claimA, exitCode: 43 }, loose)).toThrow(
      /^statement: the proof commits to other preprocessed columns/,
    );
  });
});
