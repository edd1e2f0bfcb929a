/**
 * Hostile proof bytes against the zkVM verifier at the standard config: truncations, flipped
 * bits, and extreme values in every length field and count. Each must end in a named
 * rejection (VerificationError or ProofFormatError), never another error, a hang or an
 * allocation the statement does not justify. Cases are drawn from a fixed seed, so a failure
 * reproduces.
 */
import { xorshift32 } from '@nexus/air-testing';
import { encodeProofWithLayout, ProofFormatError, VerificationError } from '@nexus/kernel';
import { createZkvm, singleProof } from '@nexus/sdk';
import { verify } from '@nexus/verifier';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../../src/guests.js';

const zkvm = createZkvm();
const fib = guest('fib');
const honest = singleProof(zkvm.prove(fib, { publicInput: u32(12) }));
const { bytes, sections } = encodeProofWithLayout(honest.proof);

/** The check that rejected `tampered`, or a thrown error that is not a rejection. */
function outcome(tampered: Uint8Array): string {
  try {
    verify(zkvm.system, tampered, honest.statement);
  } catch (e) {
    if (e instanceof VerificationError) return e.check;
    if (e instanceof ProofFormatError) return 'format';
    throw e;
  }
  return 'accepted';
}

describe('hostile proof bytes are rejected cleanly', () => {
  it('the honest bytes verify', () => {
    expect(outcome(bytes)).toBe('accepted');
  });

  it('every truncation length class and trailing bytes', () => {
    const random = xorshift32(7);
    const cuts = new Set([0, 1, 5, 6, 7, bytes.length - 1, bytes.length >> 1]);
    for (const s of sections) cuts.add(s.start).add(Math.max(0, s.end - 1));
    while (cuts.size < 80) cuts.add((random() >>> 0) % bytes.length);
    for (const keep of cuts) expect(outcome(bytes.slice(0, keep))).not.toBe('accepted');
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(outcome(longer)).toBe('format');
  });

  it('a flipped bit anywhere', () => {
    const random = xorshift32(11);
    const seen = new Set<string>();
    for (let i = 0; i < 120; i++) {
      // Half the flips in the small leading sections (header, config, digest, sizes, sums,
      // roots: everything before the sampled values), where a wrong value changes what the
      // verifier does; half anywhere.
      const limit =
        i % 2 === 0 ? sections.find((s) => s.name === 'sampled values')!.start : bytes.length;
      const pos = (random() >>> 0) % limit;
      const t = bytes.slice();
      t[pos]! ^= 1 << ((random() >>> 0) % 8);
      const check = outcome(t);
      expect(check, `bit flipped at byte ${pos}`).not.toBe('accepted');
      seen.add(check);
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('extreme values in every length field and count', () => {
    // The first bytes of each section are its count or length prefix, if it has one; every
    // other position gets the same treatment, which costs nothing extra to check.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const s of sections) {
      for (const value of [0, 1, 0xff, 0xffff, 0xffffffff, 0x7fffffff, 0x80000000]) {
        for (const width of [1, 2, 4]) {
          if (s.start + width > bytes.length) continue;
          const t = bytes.slice();
          const v = new DataView(t.buffer);
          if (width === 1) v.setUint8(s.start, value & 0xff);
          else if (width === 2) v.setUint16(s.start, value & 0xffff, true);
          else v.setUint32(s.start, value >>> 0, true);
          if (t.every((b, i) => b === view.getUint8(i))) continue; // unchanged
          expect(outcome(t), `${s.name}: ${width} bytes set to ${value}`).not.toBe('accepted');
        }
      }
    }
  });
});
