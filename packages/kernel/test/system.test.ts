import { describe, expect, it } from 'vitest';
import {
  assembleSystem,
  type Component,
  defineRelation,
  fixedSize,
  freeSize,
  KernelError,
  type Plugin,
  type Relation,
  type StatementLike,
  statementSize,
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

  it('binds constraints, not npm versions: a patch release with the same constraints has the same digest', () => {
    const digestOf = (...plugins: Plugin[]) =>
      assembleSystem([testHashPlugin(), ...plugins]).digest;
    const base = digestOf(plugin('p', comp('a')));
    // Other component and plugin versions, same constraints: the same digest.
    expect(digestOf(plugin('p', comp('a', '1.0.1')))).toEqual(base);
    expect(digestOf({ ...plugin('p', comp('a', '2.3.4')), version: '9.0.0' })).toEqual(base);
    // A changed constraint, label, column name, size rule or plugin name: another digest.
    expect(digestOf(plugin('p', comp('a', '1.0.0', 2)))).not.toEqual(base);
    const variant = (change: Partial<Component>) => plugin('p', { ...comp('a'), ...change });
    expect(
      digestOf(
        variant({
          evaluate(e) {
            const x = e.next();
            e.constraint(x.mul(x).sub(1), 'x squared is 1');
          },
        }),
      ),
    ).not.toEqual(base);
    expect(
      digestOf(
        variant({
          columns: ['y'],
          evaluate(e) {
            const y = e.col('y');
            e.constraint(y.mul(y).sub(1), 'x^2 = 1');
          },
        }),
      ),
    ).not.toEqual(base);
    expect(digestOf(variant({ size: freeSize(20) }))).not.toEqual(base);
    expect(digestOf(variant({ size: fixedSize(4) }))).not.toEqual(base);
    expect(digestOf(plugin('q', comp('a')))).not.toEqual(base);
  });

  it('binds bus entries and relations', () => {
    const digestOf = (rel: Relation, sign: 1 | -1 = 1, k = 1) =>
      assembleSystem([
        testHashPlugin(),
        plugin('p', {
          ...comp('a'),
          columns: ['x', 'y'],
          evaluate(e) {
            const [x, y] = [e.next(), e.next()];
            e.constraint(x.mul(x).sub(x), 'x is a bit');
            if (sign === 1) e.use(rel, [y.add(k)], x);
            else e.yield(rel, [y.add(k)], x);
          },
        }),
      ]).digest;
    const base = digestOf(defineRelation('bus', 1));
    expect(digestOf(defineRelation('bus', 1))).toEqual(base);
    expect(digestOf(defineRelation('other', 1))).not.toEqual(base);
    expect(digestOf(defineRelation('bus', 1, { maxUses: 1000 }))).not.toEqual(base);
    expect(digestOf(defineRelation('bus', 1), -1)).not.toEqual(base);
    expect(digestOf(defineRelation('bus', 1), 1, 2)).not.toEqual(base);
  });

  it('does not bind the function of a statement size rule (the verifier runs its own)', () => {
    const digestOf = (rule: (s: StatementLike) => number | null) =>
      assembleSystem([testHashPlugin(), plugin('p', { ...comp('a'), size: statementSize(rule) })])
        .digest;
    expect(digestOf(() => 4)).toEqual(digestOf(() => 5));
    expect(digestOf(() => 4)).not.toEqual(
      assembleSystem([testHashPlugin(), plugin('p', comp('a'))]).digest,
    );
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
