import { analyzeComponent } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { bitwise, bitwiseComponent } from '../src/index.js';

describe('bitwise table', () => {
  const pre = new Map<string, { generate: (s: never, l: number) => Uint32Array }>();
  bitwise().apply({
    hooks: {
      components: { tap: () => {} },
      preprocessed: {
        tap: (_: string, f: (r: { add: (c: { id: string }) => void }) => void) =>
          f({ add: (c) => pre.set(c.id, c as never) }),
      },
      boundary: { tap: () => {} },
    },
  } as never);
  const col = (id: string) => pre.get(id)!.generate(undefined as never, 16);

  it('row a + 256·b holds a, b, a & b, a | b, a ^ b for every byte pair', () => {
    const [a, b, and, or, xor] = [
      'bitwise.a',
      'bitwise.b',
      'bitwise.c1',
      'bitwise.c2',
      'bitwise.c3',
    ].map(col);
    for (const r of [0, 1, 255, 256, 0x1234, 0xabcd, 65535]) {
      expect(a![r]).toBe(r & 0xff);
      expect(b![r]).toBe(r >>> 8);
      expect(and![r]).toBe(r & 0xff & (r >>> 8));
      expect(or![r]).toBe((r & 0xff) | (r >>> 8));
      expect(xor![r]).toBe((r & 0xff) ^ (r >>> 8));
    }
    expect(() => pre.get('bitwise.a')!.generate(undefined as never, 8)).toThrow(/2\^16 rows/);
  });

  it('yields four tuples per row, each with its own multiplicity', () => {
    const air = analyzeComponent(bitwiseComponent);
    expect(air.entries).toHaveLength(4);
    expect(air.entries.every((e) => e.sign === -1 && e.bound === 'table')).toBe(true);
  });
});
