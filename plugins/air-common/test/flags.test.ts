import { inv } from '@nexus/field';
import { describe, expect, it } from 'vitest';
import { inverseOfByteSum, inversesUpTo } from '../src/gadgets/flags.js';

describe('inversesUpTo', () => {
  it('gives the inverse of every k in 1..n (by exponentiation), 0 at 0', () => {
    const t = inversesUpTo(5000);
    expect(t.length).toBe(5001);
    expect(t[0]).toBe(0);
    for (let k = 1; k <= 5000; k++) expect(t[k], `1/${k}`).toBe(inv(k));
  });

  it('handles the empty and one-entry tables', () => {
    expect([...inversesUpTo(0)]).toEqual([0]);
    expect([...inversesUpTo(1)]).toEqual([0, 1]);
  });
});

describe('inverseOfByteSum', () => {
  it('is the field inverse of every sum of four bytes, and 0 for 0', () => {
    expect(inverseOfByteSum(0)).toBe(0);
    for (let s = 1; s <= 1020; s++) expect(inverseOfByteSum(s), `1/${s}`).toBe(inv(s));
  });
});
