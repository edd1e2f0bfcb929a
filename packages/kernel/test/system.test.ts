import { describe, expect, it } from 'vitest';
import {
  assembleSystem,
  type Component,
  defineRelation,
  fixedSize,
  freeSize,
  KernelError,
  type Plugin,
} from '../src/index.js';
import { plugin, testHashPlugin } from './fixtures.js';

const comp = (name: string, version = '1.0.0', k = 1): Component => ({
  name,
  version,
  columns: ['x'],
  size: freeSize(),
  evaluate(e) {
    const x = e.next();
    e.constraint(x.mul(x).sub(k), `x^2 = ${k}`);
  },
});

describe('assembling a system', () => {
  it('sorts components by name whatever the plugin order, with the same digest', () => {
    const s1 = assembleSystem([
      testHashPlugin(),
      plugin('p1', comp('zeta')),
      plugin('p2', comp('alpha')),
    ]);
    const s2 = assembleSystem([
      plugin('p2', comp('alpha')),
      [testHashPlugin(), [plugin('p1', comp('zeta'))]],
    ]);
    expect(s1.components.map((c) => c.name)).toEqual(['alpha', 'zeta']);
    expect(s2.components.map((c) => c.name)).toEqual(['alpha', 'zeta']);
    expect(s1.digest).toEqual(s2.digest);
  });

  it('changes the digest with a component version or a constraint', () => {
    const base = assembleSystem([testHashPlugin(), plugin('p', comp('a'))]).digest;
    expect(assembleSystem([testHashPlugin(), plugin('p', comp('a', '1.0.1'))]).digest).not.toEqual(
      base,
    );
    expect(
      assembleSystem([testHashPlugin(), plugin('p', comp('a', '1.0.0', 2))]).digest,
    ).not.toEqual(base);
  });

  it('rejects bad assemblies with clear errors', () => {
    expect(() => assembleSystem([plugin('p', comp('a'))])).toThrow(/no hash backend/);
    expect(() => assembleSystem([testHashPlugin(), testHashPlugin()])).toThrow(/listed twice/);
    expect(() =>
      assembleSystem([testHashPlugin(), plugin('p', comp('a')), plugin('q', comp('a'))]),
    ).toThrow(/registered by both p and q/);
    const rude: Plugin = {
      name: 'rude',
      version: '1',
      apply(host) {
        host.hooks.components.tap('someone-else', () => {});
      },
    };
    expect(() => assembleSystem([testHashPlugin(), rude])).toThrow(/named with the plugin's name/);
    const reader: Component = {
      name: 'reader',
      version: '1',
      columns: ['x'],
      size: fixedSize(4),
      evaluate(e) {
        e.constraint(e.next().sub(e.preprocessed('table')), 'x = table');
      },
    };
    expect(() => assembleSystem([testHashPlugin(), plugin('p', reader)])).toThrow(
      /preprocessed column table/,
    );
    expect(() => assembleSystem([testHashPlugin(), { name: 'x' } as unknown as Plugin])).toThrow(
      /not a plugin/,
    );
  });

  it('checks relation arities across components', () => {
    const r2 = defineRelation('bus', 2);
    const r3 = defineRelation('bus', 3);
    const user = (name: string, rel: typeof r2): Component => ({
      name,
      version: '1',
      columns: ['a', 'b', 'c'],
      size: freeSize(),
      evaluate(e) {
        const v = [e.next(), e.next(), e.next()];
        e.constraint(v[2]!.sub(v[2]!.mul(v[2]!)), 'c is boolean');
        e.use(rel, v.slice(0, rel.arity), 1);
      },
    });
    expect(() =>
      assembleSystem([testHashPlugin(), plugin('p', user('u2', r2), user('u3', r3))]),
    ).toThrow(/arities 2 and 3/);
    expect(() => defineRelation('Bad Name', 1)).toThrow(KernelError);
    expect(() => defineRelation('ok', 0)).toThrow(/arity/);
  });

  it('runs the assembled hook and collects extensions', () => {
    const seen: string[] = [];
    const ext: Plugin = {
      name: 'ext',
      version: '1',
      apply(host) {
        host.hooks.extensions.tap('ext', (r) => r.add('vm.syscall', { number: 1000 }));
        host.hooks.assembled.tap('ext', (s) => {
          seen.push(s.components.map((c) => c.name).join());
        });
      },
    };
    const s = assembleSystem([testHashPlugin(), plugin('p', comp('a')), ext]);
    expect(seen).toEqual(['a']);
    expect(s.extensions('vm.syscall')).toEqual([{ number: 1000 }]);
    expect(s.extensions('none')).toEqual([]);
  });
});
