import { analyzeComponent } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { rangeCheck, rangeCheckComponent } from '../src/index.js';

function preprocessedOf(plugin: ReturnType<typeof rangeCheck>) {
  const pre = new Map<string, { generate: (s: never, l: number) => Uint32Array }>();
  plugin.apply({
    hooks: {
      components: { tap: () => {} },
      preprocessed: {
        tap: (_: string, f: (r: { add: (c: { id: string }) => void }) => void) =>
          f({ add: (c) => pre.set(c.id, c as never) }),
      },
      boundary: { tap: () => {} },
    },
  } as never);
  return pre;
}

describe('range-check table', () => {
  it('yields exactly the 16-bit values and the 11-bit values', () => {
    const pre = preprocessedOf(rangeCheck());
    const r16 = pre.get('range.r16')!.generate(undefined as never, 16);
    const r11 = pre.get('range.r11')!.generate(undefined as never, 16);
    expect(r16.length).toBe(65536);
    expect(new Set(r16).size).toBe(65536);
    expect(Math.max(...r16)).toBe(65535);
    expect(new Set(r11).size).toBe(2048);
    expect(Math.max(...r11)).toBe(2047);
    expect(() => pre.get('range.r16')!.generate(undefined as never, 15)).toThrow(/2\^16 rows/);
    const air = analyzeComponent(rangeCheckComponent);
    expect(air.entries.map((e) => [e.relation.name, e.bound])).toEqual([
      ['range16', 'table'],
      ['range11', 'table'],
    ]);
  });
});
