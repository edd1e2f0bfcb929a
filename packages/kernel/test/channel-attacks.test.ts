/**
 * The kernel's byte channel (the Fiat-Shamir transcript of Blake2s and BLAKE3, which define no
 * channel of their own) and the Channel interface, as a dishonest prover sees them: message
 * boundaries, nonce encodings, the ranges of draws, and proof of work. The Poseidon2 channel's
 * counterparts are in test/tests/adversarial/hash-backends.test.ts (it lives in a plugin).
 */
import { P } from '@nexus/field';
import { describe, expect, it } from 'vitest';
import {
  ByteChannel,
  type Channel,
  createChannel,
  type HashBackend,
  powWord,
  trailingZeros,
} from '../src/index.js';
import { testHash } from './fixtures.js';

const stateAfter = (mixes: (c: ByteChannel) => void): string => {
  const c = new ByteChannel(testHash());
  mixes(c);
  return Buffer.from(c.state).toString('hex');
};

describe('the byte channel against transcript collisions', () => {
  it('message boundaries and lengths are bound (no split or zero-padding collisions)', () => {
    const states = [
      stateAfter(() => {}),
      stateAfter((c) => c.mixBytes(new Uint8Array(0))),
      stateAfter((c) => c.mixBytes(new Uint8Array(1))),
      stateAfter((c) => c.mixBytes(new Uint8Array(4))),
      stateAfter((c) => c.mixBytes(Uint8Array.of(1, 2, 3))),
      stateAfter((c) => {
        c.mixBytes(Uint8Array.of(1, 2));
        c.mixBytes(Uint8Array.of(3));
      }),
      stateAfter((c) => {
        c.mixBytes(Uint8Array.of(1));
        c.mixBytes(Uint8Array.of(2, 3));
      }),
      stateAfter((c) => {
        c.mixBytes(Uint8Array.of(1));
        c.mixBytes(Uint8Array.of(2));
        c.mixBytes(Uint8Array.of(3));
      }),
      stateAfter((c) => {
        c.mixBytes(Uint8Array.of(3));
        c.mixBytes(Uint8Array.of(1, 2));
      }),
    ];
    expect(new Set(states).size).toBe(states.length);
  });

  it('message kinds share one encoding (pinned): safe only because the protocol fixes their order', () => {
    // A root, 8 u32 words, two QM31s and their 32 little-endian bytes are one and the same
    // message. The verifier's transcript is a fixed sequence whose lengths follow from what was
    // mixed before (config, component sizes), so a message is never read as another kind; a
    // protocol change that lets the prover choose the sequence must add kind tags first.
    const words = [1, 2, 3, 4, 5, 6, 7, 8];
    const bytes = new Uint8Array(Uint32Array.from(words).buffer);
    const same = [
      stateAfter((c) => c.mixRoot(Uint32Array.from(words))),
      stateAfter((c) => c.mixU32s(words)),
      stateAfter((c) =>
        c.mixQM31s([
          [1, 2, 3, 4],
          [5, 6, 7, 8],
        ]),
      ),
      stateAfter((c) => c.mixBytes(bytes)),
    ];
    expect(new Set(same).size).toBe(1);
    expect(stateAfter((c) => c.mixU32s([0]))).toBe(
      stateAfter((c) => c.mixBytes(new Uint8Array(4))),
    );
  });

  it('nonces are 64-bit: n and n + 2^32 differ in the transcript and in the proof of work', () => {
    const nonces = [0, 1, 2 ** 32, 2 ** 32 + 1, 2 ** 52, 2 ** 53 - 1];
    const states = nonces.map((n) => stateAfter((c) => c.mixNonce(n)));
    expect(new Set(states).size).toBe(nonces.length);
    const hash = testHash();
    const seed = new Uint8Array(32).fill(7);
    const words = nonces.map((n) => powWord(hash, seed, n));
    expect(new Set(words).size).toBe(nonces.length);
  });

  it('draws depend on every earlier mix and only on the mixes', () => {
    const draws = (mixes: (c: ByteChannel) => void) => {
      const c = new ByteChannel(testHash());
      mixes(c);
      return JSON.stringify([c.drawQM31(), c.drawQueries(16, 20)]);
    };
    const a = draws((c) => {
      c.mixU32s([1]);
      c.mixU32s([9]);
    });
    expect(
      draws((c) => {
        c.mixU32s([2]);
        c.mixU32s([9]);
      }),
    ).not.toBe(a);
    expect(
      draws((c) => {
        c.mixU32s([9]);
        c.mixU32s([1]);
      }),
    ).not.toBe(a);
    // A draw between two mixes changes nothing after the second (the counter restarts).
    expect(
      draws((c) => {
        c.mixU32s([1]);
        c.drawQM31();
        c.mixU32s([9]);
      }),
    ).toBe(a);
  });
});

describe('the byte channel: ranges of draws and proof of work', () => {
  it('field draws are canonical; query positions stay below 2^logSize up to 32 bits', () => {
    const c = new ByteChannel(testHash());
    c.mixBytes(new TextEncoder().encode('ranges'));
    for (let i = 0; i < 200; i++) {
      const x = c.drawBase();
      expect(Number.isInteger(x) && x >= 0 && x < P).toBe(true);
    }
    for (const k of [0, 1, 12, 30, 31, 32]) {
      const q = c.drawQueries(64, k);
      expect(
        q.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** k),
        `log ${k}`,
      ).toBe(true);
      expect(q).toEqual([...new Set(q)].sort((a, b) => a - b));
    }
  });

  it('grind returns the least nonce with the bits; checkPow checks exactly those bits', () => {
    const c = new ByteChannel(testHash());
    c.mixU32s([42]);
    const before = c.state;
    for (const bits of [0, 1, 5, 9]) {
      const n = c.grind(bits);
      expect(c.checkPow(n, bits)).toBe(true);
      expect(trailingZeros(powWord(testHash(), before, n))).toBeGreaterThanOrEqual(bits);
      for (let m = 0; m < n; m++) expect(c.checkPow(m, bits), `nonce ${m}`).toBe(false);
    }
    expect(c.state).toEqual(before);
    // Work against one transcript is not work against another.
    const other = new ByteChannel(testHash());
    other.mixU32s([43]);
    expect(other.checkPow(c.grind(9), 9)).toBe(false);
  });
});

describe('createChannel', () => {
  it("uses the backend's own channel when it defines one, else the byte channel over its hash", () => {
    const own: Channel = new ByteChannel(testHash());
    const withChannel: HashBackend = { ...testHash(), channel: () => own };
    expect(createChannel(withChannel)).toBe(own);
    expect(createChannel(testHash())).toBeInstanceOf(ByteChannel);
  });
});
