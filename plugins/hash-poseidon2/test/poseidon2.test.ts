import { readFileSync } from 'node:fs';
import { P } from '@nexus/field';
import { createChannel } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import {
  BYTES_DOMAIN,
  createPoseidon2Backend,
  DOMAIN,
  hashElements,
  MAX_QUERY_LOG_SIZE,
  merkleLayer,
  merkleNode,
  Poseidon2Channel,
  permute16,
  permuteWords,
} from '../src/index.js';

const vectors = JSON.parse(
  readFileSync(new URL('./vectors/poseidon2.json', import.meta.url), 'utf8'),
) as { permutation: { input: number[]; output_hex: string[] }[] };

/** A deterministic stream of canonical elements. */
function elements(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x % P;
  }
  return out;
}

/**
 * The sponge written out again from its description over the readable permutation
 * (permutation.ts): capacity [domain, length, 0...], overwrite 8 at a time, zero-pad.
 */
function referenceSponge(domain: number, values: ArrayLike<number>): Uint32Array {
  let state = new Array<number>(16).fill(0);
  state[8] = domain;
  state[9] = values.length;
  const blocks = Math.max(1, Math.ceil(values.length / 8));
  for (let b = 0; b < blocks; b++) {
    for (let k = 0; k < 8; k++) state[k] = values[8 * b + k] ?? 0;
    state = [...permuteWords(state)];
  }
  return Uint32Array.from(state.slice(0, 8));
}

const backend = createPoseidon2Backend();

describe('Poseidon2 permutation (M31, width 16)', () => {
  it("matches Plonky3's known-answer vector for its default constants", () => {
    for (const v of vectors.permutation) {
      const want = v.output_hex.map((h) => Number.parseInt(h, 16));
      expect([...permuteWords(v.input)]).toEqual(want);
      const s = Float64Array.from(v.input);
      permute16(s);
      expect([...s]).toEqual(want);
    }
  });

  it('the unrolled permutation equals the readable one on random states', () => {
    for (let t = 0; t < 200; t++) {
      const input = elements(16, t + 1);
      if (t === 0) input.fill(P - 1);
      const s = Float64Array.from(input);
      permute16(s);
      expect([...s]).toEqual([...permuteWords(input)]);
    }
  });

  it('refuses a non-canonical state', () => {
    const state = new Array(16).fill(0);
    state[3] = P;
    expect(() => permuteWords(state)).toThrow(/state element 3 is not a canonical M31 value/);
    expect(() => permuteWords([1, 2])).toThrow(/16 elements/);
  });
});

describe('Poseidon2 sponge and Merkle hashing', () => {
  it('the sponge follows its description, for every length 0..40', () => {
    for (let n = 0; n <= 40; n++) {
      const v = elements(n, 100 + n);
      expect(hashElements(DOMAIN.leaf, v)).toEqual(referenceSponge(DOMAIN.leaf, v));
    }
  });

  it('binds the length and the domain (no padding ambiguity, no cross-domain collisions)', () => {
    const a = hashElements(DOMAIN.leaf, [1]);
    expect(hashElements(DOMAIN.leaf, [1, 0])).not.toEqual(a);
    expect(hashElements(DOMAIN.leaf, [])).not.toEqual(hashElements(DOMAIN.leaf, [0]));
    expect(hashElements(DOMAIN.nodeWithValues, [1])).not.toEqual(a);
  });

  it('leaves hash column values natively, 8 elements per permutation', () => {
    const count = 5;
    const columns = Array.from({ length: 19 }, (_, c) => elements(count, 7 * c + 1));
    const layer = merkleLayer(count, null, columns);
    for (let j = 0; j < count; j++) {
      const row = columns.map((c) => c[j]!);
      expect(layer.subarray(8 * j, 8 * j + 8)).toEqual(referenceSponge(DOMAIN.leaf, row));
      expect(merkleNode(null, row)).toEqual(layer.subarray(8 * j, 8 * j + 8));
    }
  });

  it('inner nodes: Jive compression without values, the sponge with them', () => {
    const count = 4;
    const children = elements(16 * count, 9);
    const bare = merkleLayer(count, children, []);
    const columns = [elements(count, 11), elements(count, 12)];
    const withValues = merkleLayer(count, children, columns);
    for (let j = 0; j < count; j++) {
      const x = [...children.subarray(16 * j, 16 * j + 16)];
      const y = permuteWords(x);
      const jive = Array.from({ length: 8 }, (_, k) => (y[k]! + x[k]! + y[k + 8]! + x[k + 8]!) % P);
      expect([...bare.subarray(8 * j, 8 * j + 8)]).toEqual(jive);
      const kids: [Uint32Array, Uint32Array] = [
        children.slice(16 * j, 16 * j + 8),
        children.slice(16 * j + 8, 16 * j + 16),
      ];
      expect(merkleNode(kids, [])).toEqual(bare.subarray(8 * j, 8 * j + 8));
      const values = columns.map((c) => c[j]!);
      expect(merkleNode(kids, values)).toEqual(withValues.subarray(8 * j, 8 * j + 8));
      expect(withValues.subarray(8 * j, 8 * j + 8)).toEqual(
        referenceSponge(DOMAIN.nodeWithValues, [...x, ...values]),
      );
    }
  });

  it('refuses digests and values that are not canonical elements', () => {
    const ok = elements(8, 1);
    const bad = ok.slice();
    bad[2] = P;
    expect(() => merkleNode([ok, bad], [])).toThrow(/child digest word 10 is 2147483647/);
    expect(() => merkleNode(null, [1, 0xffffffff])).toThrow(/column value word 1/);
  });

  it('byte hashing: 3 bytes per element after the length, one domain per tag', () => {
    const data = Uint8Array.from({ length: 10 }, (_, i) => i * 25);
    const d = backend.hash(data, 'system');
    const words = new Uint32Array(d.buffer, d.byteOffset, 8);
    const packed = [10];
    for (let i = 0; i < 10; i += 3)
      packed.push(data[i]! | ((data[i + 1] ?? 0) << 8) | ((data[i + 2] ?? 0) << 16));
    expect([...words]).toEqual([...referenceSponge(BYTES_DOMAIN.system, packed)]);
    expect(backend.hash(data, 'program')).not.toEqual(d);
    expect(backend.hash(Uint8Array.of(1), 'system')).not.toEqual(
      backend.hash(Uint8Array.of(1, 0), 'system'),
    );
    expect(() => backend.hash(data, 'nope' as 'pow')).toThrow(/unknown hash tag nope/);
  });
});

describe('Poseidon2 channel', () => {
  it('is the backend channel, deterministic, and depends on every mix and its kind', () => {
    expect(createChannel(backend)).toBeInstanceOf(Poseidon2Channel);
    const run = (f: (c: Poseidon2Channel) => void) => {
      const c = new Poseidon2Channel();
      f(c);
      return c.drawQM31();
    };
    const base = run((c) => c.mixU32s([1, 2, 3]));
    expect(run((c) => c.mixU32s([1, 2, 3]))).toEqual(base);
    expect(run((c) => c.mixU32s([1, 2, 4]))).not.toEqual(base);
    expect(run((c) => c.mixU32s([1, 2, 3, 0]))).not.toEqual(base);
    expect(run((c) => c.mixBytes(Uint8Array.of(1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0)))).not.toEqual(
      base,
    );
    expect(run((c) => c.mixRoot(Uint32Array.of(1, 2, 3, 0, 0, 0, 0, 0)))).not.toEqual(
      run((c) =>
        c.mixQM31s([
          [1, 2, 3, 0],
          [0, 0, 0, 0],
        ]),
      ),
    );
  });

  it('refuses a non-canonical QM31 coordinate (0 and p must not give two transcripts)', () => {
    const c = new Poseidon2Channel();
    expect(() => c.mixQM31s([[0, 0, P, 0]])).toThrow(/coordinate 2147483647, not a canonical/);
    expect(() => c.mixQM31s([[0, 0, P - 1, 0]])).not.toThrow();
  });

  it('draws canonical QM31 elements and uniform-range, sorted, unique queries', () => {
    const c = new Poseidon2Channel();
    c.mixBytes(new TextEncoder().encode('queries'));
    for (let i = 0; i < 50; i++) for (const x of c.drawQM31()) expect(x).toBeLessThan(P);
    for (const k of [0, 1, 6, 20, MAX_QUERY_LOG_SIZE]) {
      const q = c.drawQueries(200, k);
      expect(q).toEqual([...new Set(q)].sort((a, b) => a - b));
      expect(q.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** k)).toBe(true);
    }
    // Both halves of a small range are hit about equally (no bias to speak of at 2^k = 2).
    let ones = 0;
    for (let i = 0; i < 400; i++) ones += c.drawQueries(1, 1)[0]!;
    expect(ones).toBeGreaterThan(140);
    expect(ones).toBeLessThan(260);
    expect(() => c.drawQueries(1, 31)).toThrow(/log sizes 0\.\.30, not 31/);
  });

  it('proof of work: grind finds the first nonce checkPow accepts', () => {
    const c = new Poseidon2Channel();
    c.mixU32s([42]);
    const n = c.grind(8);
    expect(c.checkPow(n, 8)).toBe(true);
    for (let m = 0; m < n; m++) expect(c.checkPow(m, 8)).toBe(false);
    expect(c.grind(0)).toBe(0);
    expect(() => c.grind(31)).toThrow(/proof of work of 0\.\.30 bits/);
    const before = c.drawQM31();
    const d = new Poseidon2Channel();
    d.mixU32s([42]);
    d.mixNonce(n);
    expect(d.drawQM31()).not.toEqual(before);
  });
});
