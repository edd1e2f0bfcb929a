import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from './url-state.js';

describe('the URL state', () => {
  it('round-trips', () => {
    const state = { guest: 'fib', cycle: 1200, mem: 0x1f000, breakpoints: ['main', '0x10080'] };
    const hash = formatHash(state);
    expect(hash).toBe('#guest=fib&cycle=1200&mem=0x0001f000&bp=main,0x10080');
    expect(parseHash(hash)).toEqual(state);
  });

  it('keeps the constraint view and the cells of a broken trace', () => {
    const state = {
      guest: 'fib',
      cycle: 40,
      constraints: true,
      breaks: [
        { component: 'add', column: 'r0', row: 7, value: 5 },
        { component: 'register-file', column: 'final0', row: 3, value: 2147483646 },
      ],
    };
    const hash = formatHash(state);
    expect(hash).toBe(
      '#guest=fib&cycle=40&constraints=1&break=add.r0@7=5,register-file.final0@3=2147483646',
    );
    expect(parseHash(hash)).toEqual(state);
    // Rows of a later window of a long run: the window is kept too (counted from 1).
    const later = { cycle: 150_000, breaks: [state.breaks[0]!], breakWindow: 4 };
    expect(formatHash(later)).toBe('#cycle=150000&break=add.r0@7=5&window=5');
    expect(parseHash(formatHash(later))).toEqual(later);
    expect(parseHash('#break=add.r0@7=5&window=0')).toEqual({ breaks: [state.breaks[0]] });
  });

  it('ignores what it cannot read', () => {
    expect(parseHash('#cycle=-3&mem=zz&bp=')).toEqual({});
    expect(parseHash('')).toEqual({});
    // A value that is not a field element, a cell without a row: no edit is half-read.
    expect(parseHash('#break=add.r0@7=2147483647')).toEqual({});
    expect(parseHash('#break=add.r0=5')).toEqual({});
    expect(parseHash('#break=add.r0@1=5,nonsense')).toEqual({});
  });
});
