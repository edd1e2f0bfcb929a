import { assembleSystem } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { FAMILY_PLUGINS, rv32im } from '../src/index.js';

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
      'range-check-16',
      'range-check-11',
      'bitwise',
      'io',
      'public-input',
      'ecall',
    ]) {
      expect(names).toContain(table);
    }
    // every family component present is named after its VM family
    for (const name of names)
      if (name in FAMILY_PLUGINS) expect(FAMILY_PLUGINS[name]).toMatch(/^@nexus\/air-/);
  });
});
