import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from './url-state.js';

describe('the URL state', () => {
  it('round-trips', () => {
    const state = { guest: 'fib', cycle: 1200, mem: 0x1f000, breakpoints: ['main', '0x10080'] };
    const hash = formatHash(state);
    expect(hash).toBe('#guest=fib&cycle=1200&mem=0x0001f000&bp=main,0x10080');
    expect(parseHash(hash)).toEqual(state);
  });

  it('ignores what it cannot read', () => {
    expect(parseHash('#cycle=-3&mem=zz&bp=')).toEqual({});
    expect(parseHash('')).toEqual({});
  });
});
