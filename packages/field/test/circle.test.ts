import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bitReverse,
  bitReverseIndex,
  CIRCLE_GENERATOR,
  CIRCLE_IDENTITY,
  canonicCoset,
  circleAdd,
  circleDomain,
  circleDouble,
  circleMul,
  circleNeg,
  cosetAt,
  cosetDouble,
  cosetPoints,
  cosetRowToDomainIndex,
  cosetRowToStorage,
  cosetVanishing,
  cosetVanishingSecure,
  domainAt,
  domainIndexAt,
  doubleX,
  FieldError,
  indexAdd,
  isOnCircle,
  isOnSecureCircle,
  P,
  pointAt,
  qm31IsZero,
  rowToStoragePermutation,
  secureAdd,
  secureAddM31,
  securePointFromParameter,
  subgroupGenerator,
  toSecurePoint,
} from '../src/index.js';
import { refPoint } from './reference.js';

const index = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const elem = fc.integer({ min: 0, max: P - 1 });

describe('the circle group', () => {
  it('G = (2, 1268011823) lies on the circle and has order exactly 2^31', () => {
    expect(isOnCircle(CIRCLE_GENERATOR)).toBe(true);
    // Doubling x 30 times reaches the point of order 2 (x = -1), 31 times the identity (x = 1).
    let x = CIRCLE_GENERATOR.x;
    for (let i = 0; i < 30; i++) {
      expect(x).not.toBe(1);
      x = doubleX(x);
    }
    expect(x).toBe(P - 1);
    expect(doubleX(x)).toBe(1);
    expect(circleMul(CIRCLE_GENERATOR, 2n ** 31n)).toEqual(CIRCLE_IDENTITY);
    expect(circleMul(CIRCLE_GENERATOR, 2n ** 30n)).not.toEqual(CIRCLE_IDENTITY);
  });

  it('the subgroup chain: order 4 is (0, p-1), order 2 is (p-1, 0)', () => {
    expect(subgroupGenerator(2)).toEqual({ x: 0, y: P - 1 });
    expect(subgroupGenerator(1)).toEqual({ x: P - 1, y: 0 });
    expect(subgroupGenerator(0)).toEqual(CIRCLE_IDENTITY);
    for (let n = 1; n <= 31; n++) {
      const g = subgroupGenerator(n);
      expect(circleMul(g, 2n ** BigInt(n))).toEqual(CIRCLE_IDENTITY);
      expect(circleMul(g, 2n ** BigInt(n - 1))).toEqual({ x: P - 1, y: 0 });
    }
  });

  it('pointAt agrees with a BigInt reference and adds indices', () => {
    fc.assert(
      fc.property(index, index, (a, b) => {
        const [x, y] = refPoint(BigInt(a));
        expect(pointAt(a)).toEqual({ x: Number(x), y: Number(y) });
        expect(circleAdd(pointAt(a), pointAt(b))).toEqual(pointAt(indexAdd(a, b)));
      }),
      { numRuns: 300 },
    );
  });

  it('group law: identity, inverse by conjugation, doubling', () => {
    fc.assert(
      fc.property(index, (k) => {
        const a = pointAt(k);
        expect(isOnCircle(a)).toBe(true);
        expect(circleAdd(a, CIRCLE_IDENTITY)).toEqual(a);
        expect(circleAdd(a, circleNeg(a))).toEqual(CIRCLE_IDENTITY);
        expect(circleDouble(a)).toEqual(circleAdd(a, a));
        expect(pointAt(-k)).toEqual(circleNeg(a));
      }),
      { numRuns: 200 },
    );
  });

  it('points over QM31: parametrised points lie on the circle; adding an M31 point', () => {
    fc.assert(
      fc.property(elem, elem, elem, elem, index, (a, b, c, d, k) => {
        const p = securePointFromParameter([a, b, c, d]);
        expect(isOnSecureCircle(p)).toBe(true);
        const q = pointAt(k);
        expect(secureAddM31(p, q)).toEqual(secureAdd(p, toSecurePoint(q)));
      }),
      { numRuns: 100 },
    );
  });

  it('rejects out-of-range arguments', () => {
    expect(() => subgroupGenerator(32)).toThrow(FieldError);
    expect(() => pointAt(1.5)).toThrow(FieldError);
  });
});

describe('cosets and circle domains', () => {
  it('the canonic coset of log size n is G_{n+1} + <G_n>, closed under conjugation', () => {
    for (let n = 1; n <= 8; n++) {
      const c = canonicCoset(n);
      const points = cosetPoints(c);
      expect(points[0]).toEqual(subgroupGenerator(n + 1));
      const keys = new Set(points.map((p) => `${p.x},${p.y}`));
      expect(keys.size).toBe(2 ** n);
      for (const p of points) expect(keys.has(`${p.x},${P - p.y === P ? 0 : P - p.y}`)).toBe(true);
    }
  });

  it('circle domain = canonic coset as a set, with the documented row mapping', () => {
    for (let n = 1; n <= 8; n++) {
      const d = circleDomain(n);
      const c = canonicCoset(n);
      for (let j = 0; j < 2 ** n; j++) {
        expect(domainAt(d, cosetRowToDomainIndex(j, n))).toEqual(cosetAt(c, j));
      }
    }
  });

  it('bit-reversed storage puts conjugate pairs side by side', () => {
    const n = 6;
    const d = circleDomain(n);
    for (let s = 0; s < 2 ** n; s += 2) {
      const a = domainAt(d, bitReverseIndex(s, n));
      const b = domainAt(d, bitReverseIndex(s + 1, n));
      expect(b).toEqual(circleNeg(a));
    }
    // storage position of row j round-trips
    const seen = new Set<number>();
    for (let j = 0; j < 2 ** n; j++) seen.add(cosetRowToStorage(j, n));
    expect(seen.size).toBe(2 ** n);
    expect(domainIndexAt(d, 0)).toBe(d.halfCoset.initialIndex);
  });

  it('rowToStoragePermutation is cosetRowToStorage of every row (its carried reversal)', () => {
    for (let n = 0; n <= 14; n++) {
      const perm = rowToStoragePermutation(n);
      expect(perm.length).toBe(2 ** n);
      for (let j = 0; j < 2 ** n; j++) {
        if (perm[j] !== cosetRowToStorage(j, n))
          expect([n, j, perm[j]]).toEqual([n, j, cosetRowToStorage(j, n)]);
      }
    }
  });

  it('bit reversal', () => {
    expect(bitReverseIndex(1, 3)).toBe(4);
    expect(bitReverseIndex(6, 3)).toBe(3);
    expect(bitReverseIndex(0x12345, 20)).toBe(0b10100010110001001000);
    expect(Array.from(bitReverse(Uint32Array.of(0, 1, 2, 3, 4, 5, 6, 7)))).toEqual([
      0, 4, 2, 6, 1, 5, 3, 7,
    ]);
    expect(() => bitReverse(new Uint32Array(3))).toThrow(/power of two/);
  });

  it('doubling a coset', () => {
    const c = canonicCoset(5);
    const dbl = cosetDouble(c);
    const pts = cosetPoints(c).slice(0, 16).map(circleDouble);
    expect(cosetPoints(dbl)).toEqual(pts);
  });

  it('the vanishing polynomial is zero exactly on its coset', () => {
    for (let n = 1; n <= 7; n++) {
      const c = canonicCoset(n);
      for (const p of cosetPoints(c)) expect(cosetVanishing(c, p)).toBe(0);
      // points of a bigger coset outside c are not roots
      const big = canonicCoset(n + 1);
      const inC = new Set(cosetPoints(c).map((p) => `${p.x},${p.y}`));
      for (const p of cosetPoints(big)) {
        if (!inC.has(`${p.x},${p.y}`)) expect(cosetVanishing(c, p)).not.toBe(0);
      }
      const secure = securePointFromParameter([5, 6, 7, 8]);
      expect(qm31IsZero(cosetVanishingSecure(c, secure))).toBe(false);
      expect(cosetVanishingSecure(c, toSecurePoint(cosetAt(c, 1)))).toEqual([0, 0, 0, 0]);
    }
  });
});
