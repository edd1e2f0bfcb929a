/**
 * The `compact` preset: the same 96 conjectured bits as `standard`, proofs about 60% the size.
 * Verified by the default verifier; a proof that claims the preset's name with weaker numbers is
 * refused, and so is a tampered one.
 */
import { decodeProof, encodeProof, SECURITY, securityBits } from '@nexus/kernel';
import { createZkvm, singleProof } from '@nexus/sdk';
import { verify } from '@nexus/verifier';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../../src/guests.js';
import { rejection } from '../../src/rejection.js';

const fib = guest('fib');
const publicInput = u32(30);

describe('the compact preset', () => {
  const zkvm = createZkvm({ security: 'compact' });
  const result = singleProof(zkvm.prove(fib, { publicInput }));
  const file = zkvm.proofFile(result);

  it('claims 96 conjectured bits, like standard', () => {
    expect(securityBits(SECURITY.compact)).toBe(96);
    expect(securityBits(SECURITY.standard)).toBe(96);
  });

  it('gives a proof under 250 KiB (standard: ~350 KiB) that a default verifier accepts', () => {
    expect(file.length).toBeLessThan(250 * 1024);
    const standard = createZkvm();
    const claim = standard.verifyFile(file, fib, { publicInput });
    expect(claim.exitCode).toBe(0);
    expect(standard.proofFile(standard.prove(fib, { publicInput })).length).toBeGreaterThan(
      1.5 * file.length,
    );
  });

  it('a proof with the preset name and fewer queries or less proof of work is refused', () => {
    for (const weaker of [
      { ...SECURITY.compact, nQueries: 10 },
      { ...SECURITY.compact, powBits: 10 },
      { ...SECURITY.compact, logBlowup: 3 },
    ]) {
      const forged = { ...decodeProof(encodeProof(result.proof)), config: weaker };
      const e = rejection(() => verify(zkvm.system, encodeProof(forged), result.statement));
      expect(e.check).toBe('config');
    }
  });

  it('a flipped byte in the proof is rejected', () => {
    const bytes = encodeProof(result.proof).slice();
    bytes[bytes.length - 100]! ^= 1;
    // A Merkle path or FRI value: the bytes still decode, and the verifier names what fails.
    expect(rejection(() => verify(zkvm.system, bytes, result.statement)).check).toMatch(/\w/);
  });
});

describe('the fast preset (the standard before issue 12)', () => {
  const zkvm = createZkvm({ security: 'fast' });
  const result = singleProof(zkvm.prove(fib, { publicInput }));

  it('claims 96 conjectured bits with blowup 2 and 80 queries; a default verifier accepts it', () => {
    expect(securityBits(SECURITY.fast)).toBe(96);
    expect([SECURITY.fast.logBlowup, SECURITY.fast.nQueries]).toEqual([1, 80]);
    const standard = createZkvm();
    expect(standard.verifyFile(zkvm.proofFile(result), fib, { publicInput }).exitCode).toBe(0);
    // Twice the queries at half the blowup: a larger proof than the standard preset's.
    expect(zkvm.proofFile(result).length).toBeGreaterThan(
      1.3 * standard.proofFile(standard.prove(fib, { publicInput })).length,
    );
  });

  it('a proof named fast with fewer queries is refused', () => {
    const forged = {
      ...decodeProof(encodeProof(result.proof)),
      config: { ...SECURITY.fast, nQueries: 40 },
    };
    const e = rejection(() => verify(zkvm.system, encodeProof(forged), result.statement));
    expect(e.check).toBe('config');
  });
});
