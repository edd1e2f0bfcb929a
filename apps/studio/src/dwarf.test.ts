import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasDwarfLineInfo } from './dwarf.js';

const fib = () =>
  new Uint8Array(readFileSync(new URL('../../../guests/bin/fib.elf', import.meta.url)));
const factorial = () =>
  new Uint8Array(readFileSync(new URL('../../../guests/bin/factorial.elf', import.meta.url)));

describe('DWARF line info', () => {
  it('fib is built with -g, mext without', () => {
    expect(hasDwarfLineInfo(fib())).toBe(true);
    const mext = readFileSync(new URL('../../../guests/bin/mext.elf', import.meta.url));
    expect(hasDwarfLineInfo(new Uint8Array(mext))).toBe(false);
  });

  it('finds a .debug_line section by its name', () => {
    // factorial.elf's ".tbss_space" renamed in its section-name table: same length, nothing moves.
    const bytes = factorial();
    const text = Buffer.from(bytes).toString('latin1');
    const at = text.indexOf('.tbss_space\0');
    expect(at).toBeGreaterThan(0);
    bytes.set(new TextEncoder().encode('.debug_line'), at);
    expect(hasDwarfLineInfo(bytes)).toBe(true);
    // Only the whole name counts.
    bytes.set(new TextEncoder().encode('.debug_lin_'), at);
    expect(hasDwarfLineInfo(bytes)).toBe(false);
  });

  it('a file it cannot read has none, without throwing', () => {
    expect(hasDwarfLineInfo(new Uint8Array(10))).toBe(false);
    const bytes = fib();
    new DataView(bytes.buffer).setUint32(32, 0xfffffff0, true); // e_shoff past the end
    expect(hasDwarfLineInfo(bytes)).toBe(false);
  });
});
