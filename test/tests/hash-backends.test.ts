import { createHash } from 'node:crypto';
import { blake3 } from '@nexus/hash-blake3';
import { poseidon2 } from '@nexus/hash-poseidon2';
import { encodeProof, encodeProofWithLayout, KernelError, ProofFormatError } from '@nexus/kernel';
import { rv32im } from '@nexus/rv32im';
import {
  createZkvm,
  HASH_BACKENDS,
  HASH_NAMES,
  type HashName,
  type ProveResult,
  type SingleProveResult,
  singleProof,
  type Zkvm,
  ZkvmError,
} from '@nexus/sdk';
import { verify } from '@nexus/verifier';
import { beforeAll, describe, expect, it } from 'vitest';
import { guest } from '../src/guests.js';
import { rejection } from '../src/rejection.js';

// Each hash backend proves and verifies a small guest at the standard config (96 bits), rejects
// tampered proofs, and its proofs are refused by a zkVM with any other backend, by the STARK
// verifier itself ('system': the system digest binds the backend) and by the proof-file check
// ('hash', naming both). Every bundled guest with every backend: hash-backends.slow.test.ts.
const elf = guest('fib');
const zkvms = Object.fromEntries(HASH_NAMES.map((h) => [h, createZkvm({ hash: h })])) as Record<
  HashName,
  Zkvm
>;
const proofs = {} as Record<HashName, SingleProveResult>;
const expected = (r: ProveResult) => ({
  elf,
  publicOutput: r.claim.publicOutput,
  exitCode: r.claim.exitCode,
});

// Proving three times takes several seconds on this machine: the hook gets the tests' timeout.
beforeAll(() => {
  for (const h of HASH_NAMES) proofs[h] = singleProof(zkvms[h].prove(elf));
}, 300_000);

describe('hash backends', () => {
  for (const h of HASH_NAMES) {
    it(`${h}: proves and verifies fib at the standard config`, () => {
      const zkvm = zkvms[h];
      expect(zkvm.system.hash.id).toBe(HASH_BACKENDS[h].id);
      const r = proofs[h];
      zkvm.verify(r.proof, expected(r));
      expect(zkvm.verifyFile(zkvm.proofFile(r), elf).exitCode).toBe(r.claim.exitCode);
    });

    it(`${h}: tampered proofs are rejected`, () => {
      const { bytes, sections } = encodeProofWithLayout(proofs[h].proof);
      for (const name of ['roots', 'proof of work', 'main tree witness', 'FRI layer 0 witness']) {
        const s = sections.find((x) => x.name === name);
        expect(s, name).toBeDefined();
        const bad = bytes.slice();
        bad[(s!.start + s!.end) >> 1]! ^= 0x10;
        let error: unknown;
        try {
          zkvms[h].verify(bad, expected(proofs[h]));
        } catch (e) {
          error = e;
        }
        expect(error, `${h}: flipped a bit in ${name}`).toBeDefined();
        expect(
          error instanceof ProofFormatError || (error as Error).name === 'VerificationError',
        ).toBe(true);
      }
    });

    it(`${h}: a verifier with another backend refuses its proofs, naming the check`, () => {
      const r = proofs[h];
      for (const other of HASH_NAMES.filter((o) => o !== h)) {
        const e = rejection(() => verify(zkvms[other].system, encodeProof(r.proof), r.statement));
        expect(e.check).toBe('system');
        expect(e.message).toContain(`this verifier hashes with ${HASH_BACKENDS[other].id}`);
        expect(() => zkvms[other].verifyFile(zkvms[h].proofFile(r), elf)).toThrow(
          new RegExp(
            `made with the ${h} \\(${HASH_BACKENDS[h].id}\\) hash backend; this verifier uses ${other}`,
          ),
        );
      }
    });
  }

  it('blake2s proofs are pinned byte for byte', () => {
    // fib at the standard config, default build. A change here changes every Blake2s proof:
    // bump PROTOCOL_VERSION and say so, or find the unintended change. History: the channel
    // moving into the backends kept it (3a900024...); the system digest binding the register
    // file's and the memory's 'once' scope (segmented proofs) changed it, as every digest change
    // does (the digest is in the file and in the transcript); so did the digest's expression
    // serialization becoming independent of construction order (which lets a refactor of how
    // `evaluate` reads its columns keep this hash), and the timestamp gap's high limb moving
    // from range11 to range16 (8·hi, SOUNDNESS.md F7); 070ce4d0... before both. The standard
    // preset moving from blowup 2 with 80 queries to blowup 4 with 40 (issue 12's proof size)
    // changed it from acd68934...; FRI steps no longer cut at every smaller quotient's join (it
    // joins inside a fold step, read from layer 0 in leaves of its sub-coset; steps of up to
    // friFoldStep folds picked by a byte model; layer 0's step folding the largest quotient from
    // its own leaves: fewer layers, smaller proofs) changed it from cd00ea75...
    const bytes = encodeProof(proofs.blake2s.proof);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      '448fd5af182b05c14c67fa00ee61c903f8c6cb79733428734a76d6301ff737f2',
    );
  });

  it('a hash plugin in the list replaces the preset Blake2s; two others are refused', () => {
    expect(createZkvm({ plugins: [rv32im(), poseidon2()] }).system.hash.id).toBe(
      HASH_BACKENDS.poseidon2.id,
    );
    expect(createZkvm({ plugins: [rv32im(), blake3()], hash: 'poseidon2' }).system.hash.id).toBe(
      HASH_BACKENDS.poseidon2.id,
    );
    expect(() => createZkvm({ plugins: [rv32im(), blake3(), poseidon2()] })).toThrow(KernelError);
    expect(() => createZkvm({ hash: 'sha1' as HashName })).toThrow(ZkvmError);
    expect(() => createZkvm({ hash: 'sha1' as HashName })).toThrow(
      /unknown hash backend "sha1": the bundled ones are blake2s, blake3, poseidon2/,
    );
  });
});
