import { readFileSync } from 'node:fs';
import { loadElf } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { parseBreakpoint } from './breakpoint.js';

const fib = loadElf(readFileSync(new URL('../../../guests/bin/fib.elf', import.meta.url)));
const main = fib.symbols.find((s) => s.name === 'main')!.value;

describe('parseBreakpoint', () => {
  it('reads addresses, symbols and symbol offsets', () => {
    expect(parseBreakpoint(fib, '0x10074')).toEqual({ text: '0x10074', pc: 0x10074 });
    expect(parseBreakpoint(fib, ' main ')).toEqual({ text: 'main', pc: main });
    expect(parseBreakpoint(fib, 'main+0x8')).toEqual({ text: 'main+0x8', pc: main + 8 });
  });

  it('says what is wrong with a bad one', () => {
    expect(() => parseBreakpoint(fib, '')).toThrow(/type an address/);
    expect(() => parseBreakpoint(fib, '0x10075')).toThrow(/not 4-byte aligned/);
    expect(() => parseBreakpoint(fib, 'no_such_function')).toThrow(/no symbol 'no_such_function'/);
    expect(() => parseBreakpoint(fib, '12 34')).toThrow(/neither an address/);
    const stripped = { ...fib, symbols: [] };
    expect(() => parseBreakpoint(stripped, 'main')).toThrow(/stripped/);
  });
});
