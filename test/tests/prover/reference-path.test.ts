/**
 * The prover's fast paths against its reference path on the real zkVM: every family, paired
 * and single LogUp batches, lookup tables and precompile components. The two must give the
 * same proof, byte for byte (issue 12: the reference path stays as the yardstick). The fast
 * path runs the WebAssembly kernels (@nexus/kernels-wasm) where the runtime has them.
 */
import { NAME as BLAKE2S, blake2s } from '@nexus/hash-blake2s';
import { encodeProof } from '@nexus/kernel';
import { createZkvm, defaultPlugins, singleProof } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../../src/guests.js';

describe('prover paths', () => {
  it('fib: the default path and the reference path give identical proofs', () => {
    const zkvm = createZkvm();
    const inputs = { publicInput: u32(30) };
    const fast = singleProof(zkvm.prove(guest('fib'), inputs));
    const reference = singleProof(zkvm.prove(guest('fib'), inputs, { reference: true }));
    expect(Buffer.from(encodeProof(fast.proof)).equals(encodeProof(reference.proof))).toBe(true);
  });

  it('sort (17 k cycles): the default path equals the all-TypeScript one (reference prover path, TypeScript Blake2s)', () => {
    const fast = createZkvm();
    // The same plugins with the hash backend's Merkle layers on its JS compression.
    const typescript = createZkvm({
      plugins: defaultPlugins().map((p) =>
        p.name === BLAKE2S ? blake2s({ kernels: 'typescript' }) : p,
      ),
    });
    const inputs = { publicInput: Uint8Array.of(...u32(149), ...u32(7)) };
    const a = singleProof(fast.prove(guest('sort'), inputs));
    const b = singleProof(typescript.prove(guest('sort'), inputs, { reference: true }));
    expect(Buffer.from(encodeProof(a.proof)).equals(encodeProof(b.proof))).toBe(true);
  });
});
