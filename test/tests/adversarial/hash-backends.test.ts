/**
 * The hash backends (issue 14) and plugin-registered instruction families against a dishonest
 * prover and hostile files. Every proof attacked here is made at the standard config (96
 * conjectured bits) and judged by the real verifier; each test says which check must refuse it.
 *
 * - Poseidon2: words >= p where the proof carries digests, values and coefficients (an M31
 *   word w and w + p are one field element, and the permutation reduces its input, so
 *   anything not refused outright would be a second encoding of the same opening); the
 *   channel's domain separation, lengths, order, query draws by rejection and proof of work,
 *   checked against an independent replay of the transcript and of the permutation.
 * - Backends against each other: a proof whose system digest was swapped for the verifier's.
 * - Proof files v2: forged, garbage, truncated and oversized backend ids and length fields,
 *   through the SDK and the `nexus` CLI.
 * - Families: the grouping is prover-side only (verification never reads it), and what a
 *   plugin's family list can make the SDK and the prover do.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addComponent } from '@nexus/air-add';
import { zkvmPlugin } from '@nexus/air-common';
import { P, type QM31 } from '@nexus/field';
import { DOMAIN, MAX_POW_BITS, Poseidon2Channel, permuteWords } from '@nexus/hash-poseidon2';
import {
  assembleSystem,
  encodeProof,
  KernelError,
  mixHeader,
  type Plugin,
  ProofFormatError,
  SECURITY,
  type StarkProof,
  type Statement,
  type System,
  trailingZeros,
  VerificationError,
} from '@nexus/kernel';
import {
  createZkvm,
  decodeProofFile,
  defaultPlugins,
  describeProofFile,
  encodeProofFile,
  type SingleProveResult,
  singleProof,
  ZkvmError,
} from '@nexus/sdk';
import { verify } from '@nexus/verifier';
import { FAMILY_EXTENSION } from '@nexus/vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { guest } from '../../src/guests.js';

const elf = guest('fib');
const poseidon2 = createZkvm({ hash: 'poseidon2' });
const blake3 = createZkvm({ hash: 'blake3' });
const blake2s = createZkvm();
let p2: SingleProveResult;
let b3: SingleProveResult;
let b2: SingleProveResult;

// Three standard-config proofs of fib take several seconds on this shared 2-core machine.
beforeAll(() => {
  p2 = singleProof(poseidon2.prove(elf));
  b3 = singleProof(blake3.prove(elf));
  b2 = singleProof(blake2s.prove(elf));
}, 300_000);

/** The named check that rejects `proof`, 'format' for bytes that do not decode, or 'accepted'. */
function outcome(system: System, proof: StarkProof | Uint8Array, statement: Statement): string {
  try {
    verify(system, proof, statement);
  } catch (e) {
    if (e instanceof VerificationError) return e.check;
    if (e instanceof ProofFormatError) return 'format';
    throw e;
  }
  return 'accepted';
}

/** The message of the rejection (for the checks whose wording matters). */
function rejectionMessage(system: System, proof: StarkProof, statement: Statement): string {
  try {
    verify(system, proof, statement);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}

/** `words` with `delta` added to word `k` (still a u32: every canonical word is below p). */
const bumped = (words: Uint32Array, k: number, delta = P): Uint32Array =>
  Uint32Array.from(words, (v, i) => (i === k ? v + delta : v));

/**
 * The Poseidon2 channel's state where the verifier checks the proof of work: its mixes replayed
 * in the verifier's order. Draws never change a Poseidon2 channel's state (only mixes do), so
 * the challenges drawn between the mixes need not be replayed.
 */
function powChannel(system: System, proof: StarkProof, statement: Statement): Poseidon2Channel {
  const ch = new Poseidon2Channel();
  mixHeader(ch, system, proof.config, statement, proof.componentSizes);
  ch.mixRoot(proof.roots[0]!);
  ch.mixRoot(proof.roots[1]!);
  ch.mixQM31s(proof.claimedSums);
  ch.mixRoot(proof.roots[2]!);
  ch.mixRoot(proof.roots[3]!);
  ch.mixQM31s(proof.sampledValues);
  for (const r of proof.friRoots) ch.mixRoot(r);
  ch.mixQM31s(proof.lastLayer);
  return ch;
}

/** The proof-of-work word of `nonce`, computed from the permutation itself (not the channel). */
function workWord(state: Uint32Array, nonce: number): number {
  const s = new Array<number>(16).fill(0);
  for (let k = 0; k < 8; k++) s[k] = state[k]!;
  s[8] = nonce % 2 ** 30;
  s[9] = Math.floor(nonce / 2 ** 30);
  s[15] = DOMAIN.pow;
  return permuteWords(s)[0]!;
}

describe('Poseidon2 at the standard config: words >= p in a proof', () => {
  it('the honest proof verifies', () => {
    expect(outcome(poseidon2.system, p2.proof, p2.statement)).toBe('accepted');
  });

  it('a root word w + p mixes like w, yet every root and FRI root is compared word for word', () => {
    const { proof, statement } = p2;
    // The transcript cannot tell: mixRoot reduces (channel.ts), so every challenge is the one
    // the honest proof drew. Only the comparison with the recomputed root can refuse it.
    const a = new Poseidon2Channel();
    const b = new Poseidon2Channel();
    a.mixRoot(proof.roots[1]!);
    b.mixRoot(bumped(proof.roots[1]!, 0));
    expect(b.stateDigest).toEqual(a.stateDigest);
    const expected = ['statement', 'merkle', 'merkle', 'merkle'];
    for (let t = 0; t < 4; t++) {
      for (const k of [0, 7]) {
        const roots = proof.roots.map((r, i) => (i === t ? bumped(r, k) : r));
        expect(outcome(poseidon2.system, { ...proof, roots }, statement), `root ${t}`).toBe(
          expected[t],
        );
      }
    }
    const n = proof.friRoots.length;
    for (const layer of [0, n >> 1, n - 1]) {
      const friRoots = proof.friRoots.map((r, i) => (i === layer ? bumped(r, 3) : r));
      expect(outcome(poseidon2.system, { ...proof, friRoots }, statement), `FRI ${layer}`).toBe(
        'merkle',
      );
    }
  });

  it('a sibling digest word w + p is refused by merkleNode, in every tree and FRI layer', () => {
    const { proof, statement } = p2;
    // Unrefused, it would verify: the permutation reduces its input, so Jive compression of
    // children holding w + p is the compression of w.
    const hash = poseidon2.system.hash;
    const kids = proof.openings[1]!.witness.slice(0, 16);
    expect(hash.merkleLayer(1, bumped(kids, 5), [])).toEqual(hash.merkleLayer(1, kids, []));
    const withBump = (o: StarkProof['openings'][number], k: number) => ({
      values: o.values,
      witness: bumped(o.witness, k),
    });
    for (let t = 0; t < 4; t++) {
      const openings = proof.openings.map((o, i) => (i === t ? withBump(o, 0) : o));
      const message = rejectionMessage(poseidon2.system, { ...proof, openings }, statement);
      expect(message, `tree ${t}`).toMatch(/^merkle: .*not a canonical M31 element/);
    }
    for (const layer of [0, 1, 3]) {
      const friOpenings = proof.friOpenings.map((o, i) => (i === layer ? withBump(o, 5) : o));
      const message = rejectionMessage(poseidon2.system, { ...proof, friOpenings }, statement);
      expect(message, `FRI layer ${layer}`).toMatch(/^merkle: .*not a canonical M31 element/);
    }
  });

  it('an opened value, sampled value, claimed sum or last-layer coefficient >= p does not decode', () => {
    const { proof, statement } = p2;
    // As leaf inputs, p and 0 are the same element: only a refusal keeps one opening from
    // having two encodings. The verifier's merkleNode refuses it too, should a value get past.
    const hash = poseidon2.system.hash;
    expect(hash.merkleLayer(1, null, [Uint32Array.of(P)])).toEqual(
      hash.merkleLayer(1, null, [Uint32Array.of(0)]),
    );
    expect(() => hash.merkleNode(null, [P])).toThrow(/not a canonical M31 element/);
    for (const bad of [P, 0xffffffff]) {
      for (let t = 0; t < 4; t++) {
        const openings = proof.openings.map((o, i) =>
          i === t
            ? {
                values: Uint32Array.from(o.values, (v, j) => (j === 1 ? bad : v)),
                witness: o.witness,
              }
            : o,
        );
        expect(outcome(poseidon2.system, { ...proof, openings }, statement), `tree ${t}`).toBe(
          'format',
        );
      }
      const friOpenings = proof.friOpenings.map((o, i) =>
        i === 0
          ? {
              values: Uint32Array.from(o.values, (v, j) => (j === 0 ? bad : v)),
              witness: o.witness,
            }
          : o,
      );
      expect(outcome(poseidon2.system, { ...proof, friOpenings }, statement)).toBe('format');
      const first = (list: readonly QM31[]) =>
        list.map((v, i): QM31 => (i === 0 ? [bad, v[1], v[2], v[3]] : v));
      for (const forged of [
        { ...proof, sampledValues: first(proof.sampledValues) },
        { ...proof, claimedSums: first(proof.claimedSums) },
        { ...proof, lastLayer: first(proof.lastLayer) },
      ]) {
        expect(outcome(poseidon2.system, forged, statement)).toBe('format');
      }
    }
  });
});

describe('Poseidon2 at the standard config: proof of work', () => {
  it('the nonce carries the claimed 16 bits, recomputed from the permutation', () => {
    const { proof, statement } = p2;
    expect(proof.config.powBits).toBe(16);
    const ch = powChannel(poseidon2.system, proof, statement);
    expect(ch.checkPow(proof.powNonce, 16)).toBe(true);
    expect(trailingZeros(workWord(ch.stateDigest, proof.powNonce))).toBeGreaterThanOrEqual(16);
    // The prover ground the least such nonce (grind's contract).
    expect(ch.grind(16)).toBe(proof.powNonce);
  });

  it('a nonce one bit short (15 zero bits) is rejected: proof-of-work', () => {
    const { proof, statement } = p2;
    const ch = powChannel(poseidon2.system, proof, statement);
    let short = -1;
    for (let n = 0; short < 0; n++) if (ch.checkPow(n, 15) && !ch.checkPow(n, 16)) short = n;
    expect(trailingZeros(workWord(ch.stateDigest, short))).toBe(15);
    expect(outcome(poseidon2.system, { ...proof, powNonce: short }, statement)).toBe(
      'proof-of-work',
    );
  });

  it('nonces next to the honest one, at 0 and at the edge of the safe integers are rejected', () => {
    const { proof, statement } = p2;
    for (const n of [proof.powNonce - 1, proof.powNonce + 1, 0, 2 ** 53 - 1, 2 ** 52 + 3]) {
      expect(outcome(poseidon2.system, { ...proof, powNonce: n }, statement), `nonce ${n}`).toBe(
        'proof-of-work',
      );
    }
  });

  it('a nonce of 2^53 or more, or negative, does not decode (never reaches the channel)', () => {
    const { proof, statement } = p2;
    for (const n of [2 ** 53, 2 ** 60, -1, -(2 ** 40)]) {
      expect(outcome(poseidon2.system, { ...proof, powNonce: n }, statement), `nonce ${n}`).toBe(
        'format',
      );
    }
    // In the bytes: a high word of 2^21 (a nonce of 2^53) is refused by the decoder.
    const marked = encodeProof({ ...proof, powNonce: 0x12345678 + 0x1fffff * 2 ** 32 });
    const hi = findU32(marked, 0x1fffff);
    expect(hi).toBeGreaterThan(0);
    expect(outcome(poseidon2.system, marked, statement)).toBe('proof-of-work');
    const t = marked.slice();
    new DataView(t.buffer).setUint32(hi, 0x200000, true);
    expect(outcome(poseidon2.system, t, statement)).toBe('format');
  });

  it('a custom config of 31 or 32 proof-of-work bits (validateConfig allows up to 32; the Poseidon2 channel serves 30) is a named rejection (config), not a plain Error', () => {
    // Poseidon2's work word is one M31 element, so its channel serves at most 30 bits
    // (MAX_POW_BITS) and throws a plain Error above. validateConfig accepts powBits up to 32, so
    // a verifier that accepts such a config (VerifyOptions.configs, or createZkvm({ security }))
    // lets any proof claiming it escape verify() as a plain Error, which verify's contract
    // (VerificationError or ProofFormatError) does not allow.
    expect(MAX_POW_BITS).toBe(30);
    const config = { ...SECURITY.standard, name: 'custom', powBits: 31 };
    let error: unknown;
    try {
      verify(poseidon2.system, { ...p2.proof, config }, p2.statement, { configs: [config] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VerificationError);
  });
});

/** The offset of the first little-endian occurrence of `word` in `bytes` (-1 if none). */
function findU32(bytes: Uint8Array, word: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === word) return i;
  return -1;
}

describe('the Poseidon2 channel: what a draw depends on', () => {
  const digestAfter = (mixes: (c: Poseidon2Channel) => void): string => {
    const c = new Poseidon2Channel();
    mixes(c);
    return [...c.stateDigest].join(',');
  };

  it('message kinds with the same field elements are separate domains', () => {
    // [3, 1] as elements: 3 bytes [1, 0, 0] (length 3, then 1), the u32 3 + 2^16 (halves 3 and
    // 1), the nonce 3 + 2^30 (3 and 1). Four u32 words whose halves are a QM31's or a root's
    // coordinates. Every pair must differ.
    const states = [
      digestAfter((c) => c.mixBytes(Uint8Array.of(1, 0, 0))),
      digestAfter((c) => c.mixU32s([3 + 2 ** 16])),
      digestAfter((c) => c.mixNonce(3 + 2 ** 30)),
      digestAfter((c) => c.mixU32s([1 + 2 * 2 ** 16, 3 + 4 * 2 ** 16])),
      digestAfter((c) => c.mixQM31s([[1, 2, 3, 4]])),
      digestAfter((c) => c.mixU32s([1, 2, 3, 4].map((v, i) => v + (i + 5) * 2 ** 16))),
      digestAfter((c) => c.mixRoot(Uint32Array.of(1, 5, 2, 6, 3, 7, 4, 8))),
    ];
    expect(new Set(states).size).toBe(states.length);
  });

  it('lengths and message boundaries are bound (no zero-padding or split collisions)', () => {
    const states = [
      digestAfter(() => {}),
      digestAfter((c) => c.mixBytes(new Uint8Array(0))),
      digestAfter((c) => c.mixBytes(new Uint8Array(1))),
      digestAfter((c) => c.mixBytes(new Uint8Array(2))),
      digestAfter((c) => c.mixBytes(new Uint8Array(3))),
      digestAfter((c) => c.mixBytes(new Uint8Array(24))),
      digestAfter((c) => c.mixBytes(new Uint8Array(25))),
      digestAfter((c) => c.mixU32s([])),
      digestAfter((c) => c.mixU32s([0])),
      digestAfter((c) => c.mixU32s([0, 0])),
      digestAfter((c) => c.mixU32s([0, 0, 0, 0])),
      digestAfter((c) => c.mixQM31s([])),
      digestAfter((c) => c.mixQM31s([[0, 0, 0, 0]])),
      digestAfter((c) => c.mixNonce(0)),
      digestAfter((c) => c.mixU32s([1, 2])),
      digestAfter((c) => {
        c.mixU32s([1]);
        c.mixU32s([2]);
      }),
      digestAfter((c) => {
        c.mixU32s([2]);
        c.mixU32s([1]);
      }),
      digestAfter((c) => {
        c.mixBytes(Uint8Array.of(1, 2));
        c.mixBytes(Uint8Array.of(3));
      }),
      digestAfter((c) => {
        c.mixBytes(Uint8Array.of(1));
        c.mixBytes(Uint8Array.of(2, 3));
      }),
      digestAfter((c) => c.mixBytes(Uint8Array.of(1, 2, 3))),
    ];
    expect(new Set(states).size).toBe(states.length);
  });

  it('nonces are encoded injectively across the 2^30 split and up to 2^53', () => {
    const nonces = [0, 1, 2 ** 30 - 1, 2 ** 30, 2 ** 30 + 1, 2 ** 32, 2 ** 52, 2 ** 53 - 1];
    const states = nonces.map((n) => digestAfter((c) => c.mixNonce(n)));
    expect(new Set(states).size).toBe(nonces.length);
    for (const bad of [-1, 2 ** 53, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new Poseidon2Channel().mixNonce(bad), `nonce ${bad}`).toThrow(
        /a nonce is a safe non-negative integer/,
      );
    }
  });

  it('every draw depends on every earlier mix; a mix resets the draws', () => {
    const draws = (mixes: (c: Poseidon2Channel) => void) => {
      const c = new Poseidon2Channel();
      mixes(c);
      return JSON.stringify([c.drawQM31(), c.drawQM31(), c.drawQM31(), c.drawQueries(8, 20)]);
    };
    const a = draws((c) => {
      c.mixU32s([1]);
      c.mixRoot(new Uint32Array(8));
    });
    const b = draws((c) => {
      c.mixU32s([2]);
      c.mixRoot(new Uint32Array(8));
    });
    expect(a).not.toBe(b);
    // Draws are a function of the mixes only (the Fiat-Shamir transcript): drawing before a
    // mix does not change what is drawn after it.
    const c = draws((ch) => {
      ch.mixU32s([1]);
      ch.drawQM31();
      ch.drawQueries(5, 10);
      ch.mixRoot(new Uint32Array(8));
    });
    expect(c).toBe(a);
  });

  it('non-canonical QM31 coordinates are refused by the channel; root words are reduced', () => {
    // The decoder keeps non-canonical values out of proofs; the channel refuses them too, so p
    // and 0 (or 2^32 - 1 and 1) can never be two transcripts of one value. Roots are reduced:
    // the verifier compares each root word for word with one it recomputes (canonical).
    expect(() => new Poseidon2Channel().mixQM31s([[P, 0, 0, 0]])).toThrow(/not a canonical/);
    expect(() => new Poseidon2Channel().mixQM31s([[1, 0xffffffff, 0, 0]])).toThrow(
      /not a canonical/,
    );
    expect(digestAfter((c) => c.mixRoot(Uint32Array.of(P, 0, 0, 0, 0, 0, 0, 0)))).toBe(
      digestAfter((c) => c.mixRoot(new Uint32Array(8))),
    );
    expect(() => new Poseidon2Channel().mixRoot(new Uint32Array(7))).toThrow(/8 elements/);
  });
});

describe('the Poseidon2 channel: draws and proof of work', () => {
  /** A channel whose next elements are `elements`, to drive drawQueries' rejection. */
  const scripted = (elements: number[]): Poseidon2Channel => {
    const c = new Poseidon2Channel();
    const queue = [...elements];
    (c as unknown as { drawElement: () => number }).drawElement = () => {
      const x = queue.shift();
      if (x === undefined) throw new Error('ran out of scripted elements');
      return x;
    };
    return c;
  };

  it('query positions reject exactly the elements >= 2^31 - 2^k (uniform over [0, 2^k))', () => {
    for (let k = 0; k <= 30; k++) {
      const limit = 2 ** 31 - 2 ** k;
      // limit is a multiple of 2^k, at most p, and above p - 2^k: the accepted elements cover
      // each residue mod 2^k equally often, and no more can be accepted.
      expect(limit % 2 ** k).toBe(0);
      expect(limit).toBeLessThanOrEqual(P);
      expect(P - limit).toBeLessThan(2 ** k);
    }
    // k = 30: 2^30 .. p - 1 are rejected, 2^30 - 1 is kept.
    expect(scripted([2 ** 30, 2 ** 30 + 1, P - 1, 2 ** 30 - 1]).drawQueries(1, 30)).toEqual([
      2 ** 30 - 1,
    ]);
    // k = 3: the last 8 elements below 2^31 (p - 7 .. p - 1) would give residues 0..6 once
    // more than 7: they are rejected.
    expect(scripted([P - 7, P - 1, P - 8]).drawQueries(1, 3)).toEqual([(P - 8) % 8]);
    // k = 0: every element is accepted and the position is 0.
    expect(scripted([P - 1]).drawQueries(1, 0)).toEqual([0]);
  });

  it('real draws are in range, sorted and deduplicated; log sizes outside 0..30 are refused', () => {
    const c = new Poseidon2Channel();
    c.mixBytes(new TextEncoder().encode('draws'));
    for (const k of [0, 1, 4, 20, 30]) {
      const q = c.drawQueries(80, k);
      expect(q.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** k)).toBe(true);
      expect(q).toEqual([...new Set(q)].sort((a, b) => a - b));
    }
    expect(c.drawQueries(0, 10)).toEqual([]);
    for (let i = 0; i < 50; i++) {
      for (const x of c.drawQM31()) expect(x >= 0 && x < P && Number.isInteger(x)).toBe(true);
    }
    for (const bad of [31, 32, -1, 1.5]) expect(() => c.drawQueries(4, bad)).toThrow(/log sizes/);
  });

  it('grind finds the least nonce; checkPow agrees with the permutation; the state is unchanged', () => {
    const c = new Poseidon2Channel();
    c.mixU32s([7, 8, 9]);
    const before = c.stateDigest;
    for (const bits of [0, 1, 6, 10]) {
      const n = c.grind(bits);
      expect(c.checkPow(n, bits)).toBe(true);
      expect(trailingZeros(workWord(before, n))).toBeGreaterThanOrEqual(bits);
      for (let m = 0; m < n; m++) expect(c.checkPow(m, bits)).toBe(false);
    }
    expect(c.stateDigest).toEqual(before);
    // Any nonce has 0 bits of work; nonces and bit counts outside the ranges are refused.
    expect(c.checkPow(123_456_789, 0)).toBe(true);
    for (const bad of [-1, 2 ** 53, 1.5, Number.NaN]) expect(() => c.checkPow(bad, 4)).toThrow();
    for (const bad of [31, 32, -1, 2.5]) expect(() => c.checkPow(0, bad)).toThrow(/0\.\.30 bits/);
  });

  it('work ground against one transcript is not work against another', () => {
    const a = new Poseidon2Channel();
    const b = new Poseidon2Channel();
    a.mixU32s([1]);
    b.mixU32s([2]);
    const n = a.grind(12);
    expect(b.checkPow(n, 12)).toBe(false);
    // And the queries drawn after the nonce depend on it.
    const q = (nonce: number) => {
      const c = new Poseidon2Channel();
      c.mixU32s([1]);
      c.mixNonce(nonce);
      return c.drawQueries(10, 20);
    };
    expect(q(n)).not.toEqual(q(n + 1));
  });
});

describe('a proof presented to a verifier with another backend', () => {
  it('its system digest swapped for the verifier’s: still rejected (preprocessed root, then LogUp)', () => {
    // The 'system' check is only the first, clearest refusal: the roots and the transcript
    // are the other backend's hashes too.
    const swap = (
      r: SingleProveResult,
      to: ReturnType<typeof createZkvm>,
      honestThere: SingleProveResult,
    ) => {
      const proof = { ...r.proof, systemDigest: to.system.digest };
      expect(outcome(to.system, proof, r.statement)).toBe('statement');
      // With the preprocessed root also taken from the verifier's own honest proof of the
      // same statement, the transcript is the verifier's backend's: other LogUp challenges,
      // against which the claimed sums no longer cancel the statement's boundary terms.
      const roots = r.proof.roots.map((x, i) => (i === 0 ? honestThere.proof.roots[0]! : x));
      expect(outcome(to.system, { ...proof, roots }, r.statement)).toBe('logup-sum');
    };
    swap(p2, blake2s, b2);
    swap(p2, blake3, b3);
    swap(b3, poseidon2, p2);
    swap(b2, poseidon2, p2);
  });
});

describe('proof files (v2) with forged or garbage backend ids', () => {
  const claim = () => ({ ...decodeProofFile(poseidon2.proofFile(p2)) });
  const reasonOf = (zkvm: ReturnType<typeof createZkvm>, file: Uint8Array): string => {
    try {
      zkvm.verifyFile(file, elf);
    } catch (e) {
      if (e instanceof ZkvmError) return `zkvm:${String(e.details.reason)}`;
      if (e instanceof VerificationError) return e.check;
      if (e instanceof ProofFormatError) return 'format';
      throw e;
    }
    return 'accepted';
  };

  it('the id is not trusted: a Poseidon2 proof relabelled as the verifier’s backend still fails', () => {
    const f = claim();
    expect(reasonOf(poseidon2, poseidon2.proofFile(p2))).toBe('accepted');
    expect(reasonOf(blake2s, poseidon2.proofFile(p2))).toBe('zkvm:hash');
    const relabelled = { ...f, hashId: blake2s.system.hash.id };
    expect(reasonOf(blake2s, encodeProofFile(relabelled))).toBe('zkvm:program');
    // ...with the program commitment and system digest the verifier expects, too: the STARK
    // verifier refuses the proof inside ('system').
    const forged = {
      ...relabelled,
      programCommitment: blake2s.programCommitment(elf),
      systemDigest: blake2s.system.digest,
    };
    expect(reasonOf(blake2s, encodeProofFile(forged))).toBe('system');
    // Version 1 (no id at all): checked against the verifier's own backend, and refused.
    expect(reasonOf(blake2s, encodeProofFile({ ...f, hashId: null }))).toBe('zkvm:program');
    expect(reasonOf(poseidon2, encodeProofFile({ ...f, hashId: null }))).toBe('accepted');
  });

  it('garbage ids: empty, 255 bytes, upper case, not UTF-8, another version: a named error', () => {
    const f = claim();
    // Ids outside HASH_ID do not decode; one inside it that names no backend here: 'hash'.
    expect(reasonOf(blake2s, encodeProofFile({ ...f, hashId: '' }))).toBe('format');
    expect(reasonOf(blake2s, encodeProofFile({ ...f, hashId: 'x'.repeat(255) }))).toBe('format');
    expect(reasonOf(blake2s, encodeProofFile({ ...f, hashId: 'Blake2s-256' }))).toBe('format');
    expect(reasonOf(blake2s, encodeProofFile({ ...f, hashId: 'x'.repeat(64) }))).toBe('zkvm:hash');
    const file = poseidon2.proofFile(p2);
    const notUtf8 = file.slice();
    notUtf8[9] = 0xff; // the first byte of the id (after magic, version and its length)
    expect(() => decodeProofFile(notUtf8)).toThrow(/hash backend: invalid UTF-8/);
    const v3 = file.slice();
    v3[6] = 3;
    expect(() => decodeProofFile(v3)).toThrow(/proof file version 3 is not supported/);
  });

  it('an id over 255 bytes is refused when written, not written as a corrupt file (fixed in ByteWriter.string)', () => {
    // Before the fix the u8 length wrapped (300 -> 44) and the rest of the id was read as the
    // program commitment: a third-party backend with a long id wrote unreadable proof files.
    const f = claim();
    expect(() => encodeProofFile({ ...f, hashId: 'x'.repeat(256) })).toThrow(KernelError);
    expect(() => encodeProofFile({ ...f, hashId: 'é'.repeat(128) })).toThrow(/256 bytes/);
    expect(() => decodeProofFile(encodeProofFile({ ...f, hashId: 'x'.repeat(255) }))).toThrow(
      /not a valid id/,
    );
  });

  it('truncated anywhere in the header, and oversized length fields: ProofFormatError', () => {
    const file = poseidon2.proofFile(p2);
    for (let keep = 0; keep < 200; keep++) {
      expect(() => decodeProofFile(file.slice(0, keep)), `kept ${keep}`).toThrow(ProofFormatError);
    }
    for (const keep of [file.length - 1, file.length >> 1, 10_000]) {
      expect(reasonOf(poseidon2, file.slice(0, keep))).toBe('format');
    }
    // The public input's length (right after the id, commitment and digest) set huge.
    const idLength = file[8]!;
    const at = 9 + idLength + 64;
    for (const n of [0xffffffff, 2 ** 30, 2 ** 30 + 1, file.length]) {
      const t = file.slice();
      new DataView(t.buffer).setUint32(at, n, true);
      expect(() => decodeProofFile(t), `length ${n}`).toThrow(/announced|truncated/);
    }
    // The proof's own length field: the last 4 bytes before the proof.
    const proofBytes = encodeProof(p2.proof);
    const t = file.slice();
    new DataView(t.buffer).setUint32(file.length - proofBytes.length - 4, 0x7fffffff, true);
    expect(() => decodeProofFile(t)).toThrow(ProofFormatError);
  });

  it('an id with terminal controls does not decode (HASH_ID), so no tool prints it', () => {
    const f = claim();
    const hostile = '\u001b[2K\u001b[1Aproof valid\u0007';
    const file = encodeProofFile({ ...f, hashId: hostile });
    expect(reasonOf(blake2s, file)).toBe('format');
    expect(() => describeProofFile(file)).toThrow(ProofFormatError);
    // A backend cannot register such an id either.
    const hostileBackend = { ...blake2s.system.hash, id: hostile };
    expect(() =>
      createZkvm({
        plugins: [
          ...defaultPlugins().filter((p) => !p.name.startsWith('@nexus/hash-')),
          {
            name: 'hostile-hash',
            version: '1.0.0',
            apply(host) {
              host.hooks.hashBackend.tap('hostile-hash', (r) => r.set(hostileBackend));
            },
          } satisfies Plugin,
        ],
      }),
    ).toThrow(/hash backend id .* is not allowed/);
  });
});

describe('the nexus CLI on hostile and relabelled proof files', () => {
  const cli = fileURLToPath(new URL('../../../apps/cli/bin/nexus.js', import.meta.url));
  const elfPath = fileURLToPath(new URL('../../../guests/bin/fib.elf', import.meta.url));
  const run = (dir: string, args: string[]) =>
    spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  /** The control characters in `text` other than tab and newline. */
  const controls = (text: string): number[] =>
    [...text]
      .map((ch) => ch.charCodeAt(0))
      .filter((c) => (c < 32 && c !== 9 && c !== 10) || c === 127);
  const inTemp = <T>(f: (dir: string) => T): T => {
    const dir = mkdtempSync(join(tmpdir(), 'nexus-hash-attack-'));
    try {
      return f(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // The default build's plugins (RV32IM and the SHA-256 precompile), with BLAKE3 picked the
  // two documented ways: the config's `hash`, or its plugin list.
  const configs = {
    hashKey: `export default { plugins: ['@nexus/rv32im', '@nexus/precompile-sha256'], hash: 'blake3' };\n`,
    pluginList: `export default { plugins: ['@nexus/rv32im', '@nexus/precompile-sha256', '@nexus/hash-blake3'] };\n`,
  };

  it('a hash id with terminal controls never reaches the terminal (verify, inspect)', () => {
    inTemp((dir) => {
      const f = decodeProofFile(poseidon2.proofFile(p2));
      writeFileSync(
        join(dir, 'x.proof'),
        encodeProofFile({ ...f, hashId: '\u001b[2K\u001b[1Aproof valid\u0007' }),
      );
      const v = run(dir, ['verify', 'x.proof', '--elf', elfPath]);
      expect(v.status).toBe(1);
      expect(v.stderr).toContain('the hash backend id is not a valid id');
      const i = run(dir, ['inspect', 'x.proof']);
      expect(i.status).not.toBe(0);
      for (const out of [v.stdout, v.stderr, i.stdout, i.stderr]) {
        expect(controls(out)).toEqual([]);
      }
    });
  });

  it("a config's `hash` pins the backend: a Poseidon2 proof is rejected (check 'hash')", () => {
    inTemp((dir) => {
      writeFileSync(join(dir, 'p2.proof'), poseidon2.proofFile(p2));
      writeFileSync(join(dir, 'nexus.config.mjs'), configs.hashKey);
      const v = run(dir, ['verify', 'p2.proof', '--elf', elfPath]);
      expect(v.stderr).toContain("check 'hash'");
      expect(v.status).toBe(1);
    });
  });

  it('a config that picks BLAKE3 by its plugin list pins it: nexus verify refuses a Poseidon2 proof', () => {
    // The config proves with BLAKE3 (`nexus prove` under it says blake3-256), but `nexus verify`
    // under the same config takes the backend from the proof file (hashForFile ignores a hash
    // plugin in the list; withHash then swaps it out), so the file, not the config, picks the
    // backend — for a third-party backend in the list as well. Expected: rejected ('hash').
    inTemp((dir) => {
      writeFileSync(join(dir, 'p2.proof'), poseidon2.proofFile(p2));
      writeFileSync(join(dir, 'nexus.config.mjs'), configs.pluginList);
      const v = run(dir, ['verify', 'p2.proof', '--elf', elfPath]);
      expect(v.stderr).toContain("check 'hash'");
      expect(v.status).toBe(1);
    });
  });
});

describe('instruction families (prover side only)', () => {
  /** A plugin registering one family (and optionally a component) under the name @evil/fam. */
  const familyPlugin = (name: string, ops: string[], withAdd = false): Plugin =>
    zkvmPlugin('@evil/fam', '1.0.0', {
      ...(withAdd ? { components: [addComponent] } : {}),
      extensions: [{ kind: FAMILY_EXTENSION, value: { name, plugin: '@evil/fam', ops } }],
    });
  const without = (...names: string[]) => defaultPlugins().filter((p) => !names.includes(p.name));
  /** Strips every plugin's vm.family registrations (the machine then uses RV32IM's grouping). */
  const noFamilies = (plugins: Plugin[]): Plugin[] =>
    plugins.map((p) => ({
      name: p.name,
      version: p.version,
      apply(host) {
        p.apply(host);
        const hook = host.hooks.extensions as unknown as { taps: { fn: unknown }[] };
        for (const tap of hook.taps) {
          const fn = tap.fn as (r: { add(kind: string, v: unknown): void }) => void;
          tap.fn = (r: { add(kind: string, v: unknown): void }) =>
            fn({ add: (kind, v) => (kind === FAMILY_EXTENSION ? undefined : r.add(kind, v)) });
        }
      },
    }));
  const failure = (f: () => unknown): unknown => {
    try {
      f();
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it('verification never reads them: the system digest and verdicts are the same without any', () => {
    const stripped = assembleSystem(noFamilies(defaultPlugins()));
    expect(stripped.extensions(FAMILY_EXTENSION)).toEqual([]);
    expect(blake2s.families.length).toBeGreaterThan(0);
    expect(Buffer.from(stripped.digest).toString('hex')).toBe(
      Buffer.from(blake2s.system.digest).toString('hex'),
    );
    expect(outcome(stripped, b2.proof, b2.statement)).toBe('accepted');
    const forged = { ...b2.proof, powNonce: b2.proof.powNonce + 1 };
    expect(outcome(stripped, forged, b2.statement)).toBe(
      outcome(blake2s.system, forged, b2.statement),
    );
  });

  it('a family named after a precompile table, or sharing ecall, or claiming a claimed op is refused at build', () => {
    const refused = (plugins: Plugin[]) => failure(() => createZkvm({ plugins }));
    expect(
      refused([...without('@nexus/air-add'), familyPlugin('sha256', ['add', 'addi'])]),
    ).toBeInstanceOf(ZkvmError);
    expect(
      refused([...without('@nexus/air-ecall'), familyPlugin('ecall', ['ecall', 'fence'])]),
    ).toBeInstanceOf(ZkvmError);
    expect(
      refused([...without('@nexus/air-add'), familyPlugin('add', ['add', 'sub'])]),
    ).toBeInstanceOf(ZkvmError);
    expect(
      refused([...without('@nexus/air-add'), familyPlugin('io', ['add', 'addi'])]),
    ).toBeInstanceOf(ZkvmError);
  });

  it('ecall under a family no component proves is named before proving (coverage)', () => {
    const zkvm = createZkvm({
      plugins: [...without('@nexus/air-ecall'), familyPlugin('sys', ['ecall'])],
      security: 'test',
    });
    const e = failure(() => zkvm.prove(elf));
    expect(e).toBeInstanceOf(ZkvmError);
    expect((e as ZkvmError).details.reason).toBe('coverage');
  });

  // A family named after a component that is not an instruction family (program, memory,
  // register-file, sha256-rounds, ...) would send ADD's rows to a table nothing reads: the SDK
  // refuses a family whose component of that name comes from another plugin, at build.
  const hijacked = (table: string) => [
    ...without('@nexus/air-add'),
    familyPlugin(table, ['add', 'addi']),
  ];

  it('ADD recorded under another plugin’s component name is refused when the zkVM is built', () => {
    for (const table of ['program', 'memory', 'register-file', 'sha256-rounds']) {
      const e = failure(() => createZkvm({ plugins: hijacked(table), security: 'test' }));
      expect(e, table).toBeInstanceOf(ZkvmError);
      expect((e as ZkvmError).message, table).toMatch(
        new RegExp(`family ${table} of .* would be proven by component ${table} of @nexus/`),
      );
    }
  });

  it('a family claiming an instruction its own component does not prove (SUB under air-add) is a named error, no proof', () => {
    // Trace generation finds the row its component cannot fill and names the build problem
    // (a ProgramError: the CLI's exit 5). Nothing unsound either way: no proof comes out.
    const zkvm = createZkvm({
      plugins: [
        ...without('@nexus/air-add', '@nexus/air-sub'),
        familyPlugin('add', ['add', 'addi', 'sub'], true),
      ],
      security: 'test',
    });
    const e = failure(() => zkvm.prove(elf));
    expect((e as Error).name).toBe('ProgramError');
    expect((e as Error).message).toMatch(
      /at pc 0x[0-9a-f]+ was recorded in a table whose component does not prove it: the build's instruction family/,
    );
  });

  it('ADD and ADDI swapped in their family’s op order: the forced proof is rejected at the standard config', () => {
    // The records carry op 0 for ADDI: the add component reads it as ADD.
    const zkvm = createZkvm({
      plugins: [...without('@nexus/air-add'), familyPlugin('add', ['addi', 'add'], true)],
    });
    const r = singleProof(zkvm.prove(elf, {}, { checkConstraints: false }));
    expect(outcome(zkvm.system, r.proof, r.statement)).not.toBe('accepted');
  });
});
