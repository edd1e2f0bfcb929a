import {
  bitReverseIndex,
  circleDomain,
  domainAt,
  evalAtPoint,
  evaluate,
  interpolate,
  securePointFromParameter,
  toSecurePoint,
} from '@nexus/field';
import { describe, expect, it } from 'vitest';
import {
  ByteChannel,
  decodeProof,
  friSchedule,
  isFirstAt,
  isFirstColumn,
  ProofFormatError,
  resolveConfig,
  SECURITY,
  securityBits,
} from '../src/index.js';
import { testHash } from './fixtures.js';

describe('the channel', () => {
  it('is deterministic and depends on everything mixed', () => {
    const a = new ByteChannel(testHash());
    const b = new ByteChannel(testHash());
    a.mixU32s([1, 2, 3]);
    b.mixU32s([1, 2, 3]);
    expect(a.drawQM31()).toEqual(b.drawQM31());
    const c = new ByteChannel(testHash());
    c.mixU32s([1, 2, 4]);
    expect(c.drawQM31()).not.toEqual(new ByteChannel(testHash()).drawQM31());
  });

  it('draws canonical field elements and sorted unique queries', () => {
    const ch = new ByteChannel(testHash());
    for (let i = 0; i < 200; i++) expect(ch.drawBase()).toBeLessThan(2 ** 31 - 1);
    const q = ch.drawQueries(100, 6);
    expect(q).toEqual([...new Set(q)].sort((x, y) => x - y));
    expect(q.every((x) => x >= 0 && x < 64)).toBe(true);
  });
});

describe('configs', () => {
  it('standard gives 96 bits, test far fewer', () => {
    expect(securityBits(SECURITY.standard)).toBe(96);
    expect(securityBits(SECURITY.test)).toBeLessThan(10);
    expect(resolveConfig(undefined)).toBe(SECURITY.standard);
    expect(() => resolveConfig('ultra' as never)).toThrow(/unknown security preset/);
    expect(() => resolveConfig({ ...SECURITY.standard, friFoldStep: 9 })).toThrow(/friFoldStep/);
  });

  it('FRI steps: 1 to friFoldStep folds per layer down to the last layer, joins inside them', () => {
    const cfg = {
      ...SECURITY.standard,
      logBlowup: 1,
      nQueries: 80,
      logLastLayerDegreeBound: 0,
      friFoldStep: 3,
    };
    // levels 20 (circle) -> 17 -> 14 -> 12 -> 9 -> 7 -> 4 -> 1, layer 0's step starting with the
    // circle fold (the byte model's choice, pinned: prover and verifier must derive the same);
    // the 15 joins at level 14 (the end of layer 1's step), the 14 at 13 (1 fold into layer
    // 2's), the 3 at 2 (2 folds into layer 6's)
    expect(friSchedule([20, 15, 14, 3], cfg)).toEqual({
      folds: [3, 3, 2, 3, 2, 3, 3],
      joins: [
        { layer: 1, after: 3, rest: 0 },
        { layer: 2, after: 1, rest: 1 },
        { layer: 6, after: 2, rest: 1 },
      ],
    });
    // the zkVM's sort at 2^18 rows: quotients at nearly every size, no step cut at each
    const sort = [18, 17, 16, 15, 14, 13, 12, 11, 10, 8, 7, 6, 5];
    expect(friSchedule(sort, cfg).folds).toEqual([3, 2, 2, 2, 2, 3, 3]);
    for (const friFoldStep of [1, 2, 3, 4]) {
      for (const logs of [[20], [21, 2], sort, [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]]) {
        const c = { ...cfg, friFoldStep };
        const { folds, joins } = friSchedule(logs, c);
        expect(folds.reduce((a, b) => a + b, 0)).toBe(logs[0]! - 1);
        expect(folds.every((s) => s >= 1 && s <= friFoldStep)).toBe(true);
        joins.forEach((j, i) => {
          const end = logs[0]! - folds.slice(0, j.layer + 1).reduce((a, b) => a + b, 0);
          expect(end + j.rest).toBe(logs[i + 1]! - 1);
          expect(j.after + j.rest).toBe(folds[j.layer]);
          expect(j.after).toBeGreaterThanOrEqual(1);
        });
      }
    }
    // only the circle fold: the largest quotient's line level is the last layer's
    expect(friSchedule([2], cfg)).toEqual({ folds: [1], joins: [] });
    expect(() => friSchedule([1], cfg)).toThrow(/smaller than the FRI last layer/);
    expect(() => friSchedule([20, 1], cfg)).toThrow(/below its last layer/);
    expect(() => friSchedule([2, 1], cfg)).toThrow(/below its last layer/);
    expect(() => friSchedule([20, 20], cfg)).toThrow(/distinct and descending/);
  });
});

describe('is_first in closed form', () => {
  it('equals the interpolant of the indicator, on domains and at random points', () => {
    for (const n of [1, 2, 3, 6, 10]) {
      const rows = isFirstColumn(n);
      // rows are in coset order; the domain-ordered evaluation puts row j at its storage slot
      const storage = new Uint32Array(rows.length);
      storage[bitReverseIndex(0, n)] = 1; // row 0 is domain index 0
      const coeffs = interpolate(storage);
      const p = securePointFromParameter([n, 5, 7, 9]);
      expect(isFirstAt(n, p)).toEqual(evalAtPoint(coeffs, p));
      const big = evaluate(coeffs, n + 1);
      for (const s of [0, 1, 5 % 2 ** (n + 1)]) {
        const pt = toSecurePoint(domainAt(circleDomain(n + 1), bitReverseIndex(s, n + 1)));
        expect(isFirstAt(n, pt)).toEqual([big[s], 0, 0, 0]);
      }
    }
  });
});

describe('proof decoding', () => {
  it('rejects bytes that are not a proof', () => {
    expect(() => decodeProof(new Uint8Array(0))).toThrow(ProofFormatError);
    expect(() => decodeProof(Uint8Array.of(1, 2, 3, 4, 5, 6))).toThrow(/bad magic/);
    expect(() => decodeProof(Uint8Array.of(0x4e, 0x58, 0x53, 0x50, 9, 0))).toThrow(
      /version 9 is not supported/,
    );
    expect(() => decodeProof(Uint8Array.of(0x4e, 0x58, 0x53, 0x50, 1, 0, 200))).toThrow(
      /truncated/,
    );
  });
});
