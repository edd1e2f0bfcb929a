import { bitReverseIndex, circleDomain, domainAt, domainIndexAt } from '@nexus/field';
import { describe, expect, it } from 'vitest';
import { storagePointIndices, storagePoints } from '../src/domain.js';

describe('storage-order point tables', () => {
  it('hold, at every storage position, the domain point that position stands for', () => {
    for (let logSize = 1; logSize <= 12; logSize++) {
      const d = circleDomain(logSize);
      const indices = storagePointIndices(logSize);
      const { xs, ys } = storagePoints(logSize);
      const n = 2 ** logSize;
      const expectedIndex = new Int32Array(n);
      const expectedX = new Uint32Array(n);
      const expectedY = new Uint32Array(n);
      for (let s = 0; s < n; s++) {
        const i = bitReverseIndex(s, logSize);
        expectedIndex[s] = domainIndexAt(d, i);
        const p = domainAt(d, i);
        expectedX[s] = p.x;
        expectedY[s] = p.y;
      }
      expect(indices).toEqual(expectedIndex);
      expect(xs).toEqual(expectedX);
      expect(ys).toEqual(expectedY);
    }
  });
});
