import { assembleSystem, componentsOf } from '@nexus/kernel';
import { FAMILIES } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { rv32im } from '../src/index.js';

describe('rv32im preset', () => {
  it('assembles into one system with every listed component and a stable digest', () => {
    const a = assembleSystem(rv32im());
    const b = assembleSystem([...rv32im()].reverse());
    expect(a.digest).toEqual(b.digest);
    const names = a.components.map((c) => c.name);
    for (const table of [
      'program',
      'register-file',
      'memory',
      'range-check-11',
      'bitwise',
      'io',
      'public-input',
      'ecall',
    ]) {
      expect(names).toContain(table);
    }
  });

  it('proves every VM family with exactly one @nexus/air-* plugin, found from its components', () => {
    for (const family of FAMILIES) {
      const providers = rv32im().filter((p) => componentsOf(p).includes(family));
      expect(
        providers.map((p) => p.name),
        family,
      ).toHaveLength(1);
      expect(providers[0]!.name).toMatch(/^@nexus\/air-/);
    }
  });
});
