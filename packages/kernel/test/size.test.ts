import { describe, expect, it } from 'vitest';
import {
  assembleSystem,
  type Component,
  checkBusBounds,
  checkComponentSizes,
  defineRelation,
  fixedSize,
  freeSize,
  KernelError,
  makeStatement,
  type Plugin,
  proofShape,
  SECURITY,
  type SizeRule,
  statementSize,
} from '../src/index.js';
import { plugin, testHashPlugin } from './fixtures.js';

const bus = defineRelation('bus', 1);
const counted = defineRelation('counted', 1, { maxUses: 100 });

/** A component of one column that uses (or yields, or yields as a table) x on `rel`. */
function entry(
  name: string,
  size: SizeRule,
  kind: 'use' | 'yield' | 'table' | 'table-use',
  rel = bus,
): Component {
  return {
    name,
    version: '1',
    columns: ['x', 'm'],
    size,
    evaluate(e) {
      const x = e.col('x');
      const m = e.col('m');
      e.constraint(m.mul(m.sub(1)), 'm is boolean');
      if (kind === 'use') e.use(rel, [x], m);
      else if (kind === 'yield') e.yield(rel, [x], m);
      else if (kind === 'table') e.yield(rel, [x], m, { table: true });
      else e.use(rel, [x], m, { table: true });
    },
  };
}

describe('size rules', () => {
  it('every component must state one', () => {
    const { size: _, ...bare } = entry('bare', freeSize(), 'use');
    expect(() =>
      assembleSystem([testHashPlugin(), plugin('p', bare as unknown as Component)]),
    ).toThrow(/component bare: needs a size rule/);
    expect(() => fixedSize(25)).toThrow(KernelError);
    expect(() => fixedSize(0)).toThrow(KernelError);
    expect(() => freeSize(1.5)).toThrow(KernelError);
    expect(() =>
      assembleSystem([
        testHashPlugin(),
        plugin('p', entry('odd', { kind: 'fixed', logSize: 99 } as SizeRule, 'use')),
      ]),
    ).toThrow(/fixed log size must be an integer/);
  });

  it('a free component may not read preprocessed columns (the verifier would build them at its size)', () => {
    const reader: Component = {
      name: 'reader',
      version: '1',
      columns: ['x'],
      size: freeSize(),
      evaluate(e) {
        e.constraint(e.next().sub(e.preprocessed('table')), 'x = table');
      },
    };
    expect(() => assembleSystem([testHashPlugin(), plugin('p', reader)])).toThrow(
      /reads preprocessed column table but its size is free/,
    );
  });

  it('checks claimed sizes against fixed, statement and free rules', () => {
    const components = [
      { name: 'fixed', size: fixedSize(11) },
      {
        name: 'implied',
        size: statementSize((s) => (s.publicData.n ? s.publicData.n[0]! : null)),
      },
      { name: 'free', size: freeSize(10) },
    ];
    const with5 = makeStatement({ n: Uint8Array.of(5) });
    const none = makeStatement({});
    checkComponentSizes(components, [11, 5, 10], with5);
    checkComponentSizes(components, [11, 5, null], with5);
    checkComponentSizes(components, [11, null, 3], none);
    // a fixed table one size larger or smaller, or absent
    for (const s of [10, 12, null]) {
      expect(() => checkComponentSizes(components, [s, 5, 3], with5)).toThrow(
        /component fixed is claimed .*; its fixed size rule requires 2\^11 rows/,
      );
    }
    // a statement-implied table at any other size, or present where the statement implies none
    for (const s of [4, 6, null]) {
      expect(() => checkComponentSizes(components, [11, s, 3], with5)).toThrow(
        /component implied is claimed .*; its statement size rule requires 2\^5 rows/,
      );
    }
    expect(() => checkComponentSizes(components, [11, 5, 3], none)).toThrow(/requires absent/);
    // a free component above its bound
    expect(() => checkComponentSizes(components, [11, 5, 11], with5)).toThrow(
      /allows at most 2\^10 rows/,
    );
    expect(() => checkComponentSizes(components, [11, 5], with5)).toThrow(/lists 2 components/);
    // a rule that returns something that is not a log size is the plugin's bug, named
    const broken = [{ name: 'broken', size: statementSize(() => 40) }];
    expect(() => checkComponentSizes(broken, [40], none)).toThrow(
      /broken: the log size the statement implies must be an integer/,
    );
  });

  it('size rules are part of the system digest', () => {
    const a = assembleSystem([testHashPlugin(), plugin('p', entry('t', fixedSize(4), 'use'))]);
    const b = assembleSystem([testHashPlugin(), plugin('p', entry('t', fixedSize(5), 'use'))]);
    const c = assembleSystem([testHashPlugin(), plugin('p', entry('t', freeSize(), 'use'))]);
    const hex = (d: Uint8Array) => Buffer.from(d).toString('hex');
    expect(new Set([hex(a.digest), hex(b.digest), hex(c.digest)]).size).toBe(3);
  });
});

describe('lookup relations (a table entry has a free count column)', () => {
  it('accept a table that yields and bounded uses', () => {
    assembleSystem([
      testHashPlugin(),
      plugin('p', entry('table', fixedSize(4), 'table'), entry('user', freeSize(), 'use')),
    ]);
  });

  it('reject a second, bounded yielder: a count of p - 1 would absorb its tuples', () => {
    expect(() =>
      assembleSystem([
        testHashPlugin(),
        plugin('p', entry('table', fixedSize(4), 'table'), entry('maker', freeSize(), 'yield')),
      ]),
    ).toThrow(/component maker: yield bus #0 yields on bus, a lookup relation/);
  });

  it("reject a second plugin's table on a lookup relation (relation names are global)", () => {
    assembleSystem([
      testHashPlugin(),
      plugin('p', entry('low', fixedSize(4), 'table'), entry('high', fixedSize(4), 'table')),
    ]);
    expect(() =>
      assembleSystem([
        testHashPlugin(),
        plugin('p', entry('table', fixedSize(4), 'table')),
        plugin('q', entry('wider', fixedSize(8), 'table')),
      ]),
    ).toThrow(/lookup relation bus has tables from plugins p and q/);
  });

  it('reject a table entry that uses', () => {
    expect(() =>
      assembleSystem([testHashPlugin(), plugin('p', entry('sink', fixedSize(4), 'table-use'))]),
    ).toThrow(/component sink: use bus #0 is a table entry that uses/);
  });

  it('reject boundary entries on a lookup relation', () => {
    const boundary: Plugin = {
      name: 'b',
      version: '1',
      apply(host) {
        host.hooks.boundary.tap('b', (r) =>
          r.add(() => [{ relation: bus, values: [1], multiplicity: -1 }]),
        );
      },
    };
    const s = assembleSystem([
      testHashPlugin(),
      plugin('p', entry('table', fixedSize(4), 'table'), entry('user', freeSize(), 'use')),
      boundary,
    ]);
    expect(() => s.boundary(makeStatement({}))).toThrow(/lookup relation/);
  });
});

describe('multiplicities and boundary entries the kernel can check', () => {
  it('a constant multiplicity must lie in [0, maxMultiplicity]', () => {
    const constant = (m: number, bound?: number): Component => ({
      name: 'c',
      version: '1',
      columns: ['x'],
      size: freeSize(),
      evaluate(e) {
        e.use(bus, [e.col('x')], m, bound === undefined ? undefined : { maxMultiplicity: bound });
      },
    });
    assembleSystem([testHashPlugin(), plugin('p', constant(1))]);
    assembleSystem([testHashPlugin(), plugin('p', constant(3, 3))]);
    expect(() => assembleSystem([testHashPlugin(), plugin('p', constant(-1))])).toThrow(
      /constant multiplicity 2147483646 is outside \[0, 1\]/,
    );
    expect(() => assembleSystem([testHashPlugin(), plugin('p', constant(2))])).toThrow(
      /constant multiplicity 2 is outside/,
    );
  });

  it('boundary multiplicities are integers below p and count in the bus bounds', () => {
    const at = (multiplicity: number): Plugin => ({
      name: 'b',
      version: '1',
      apply(host) {
        host.hooks.boundary.tap('b', (r) =>
          r.add(() => [{ relation: counted, values: [1], multiplicity }]),
        );
      },
    });
    const system = (m: number) =>
      assembleSystem([
        testHashPlugin(),
        plugin('p', entry('user', freeSize(), 'use', counted)),
        at(m),
      ]);
    for (const bad of [0.5, 2 ** 31, Number.NaN]) {
      expect(() => system(bad).boundary(makeStatement({}))).toThrow(/must be an integer/);
    }
    const s = system(50);
    const boundary = s.boundary(makeStatement({}));
    checkBusBounds(proofShape(s, [5], SECURITY.standard), boundary); // 32 + 50 uses <= 100
    expect(() => checkBusBounds(proofShape(s, [6], SECURITY.standard), boundary)).toThrow(
      /allow 114 uses of relation counted/,
    );
  });
});

describe('bus bounds', () => {
  it('a relation keeps one use bound across its declarations', () => {
    const other = defineRelation('counted', 1, { maxUses: 200 });
    expect(() =>
      assembleSystem([
        testHashPlugin(),
        plugin('p', entry('a', freeSize(), 'use', counted), entry('b', freeSize(), 'yield', other)),
      ]),
    ).toThrow(/use bounds 100 and 200/);
    expect(() => defineRelation('x', 1, { maxUses: 0 })).toThrow(/maxUses/);
    expect(() => defineRelation('x', 1, { maxUses: 2 ** 31 })).toThrow(/maxUses/);
  });

  it("claimed sizes must keep each relation's uses within its maxUses, and all entries below p", () => {
    const s = assembleSystem([
      testHashPlugin(),
      plugin(
        'p',
        entry('user', freeSize(), 'use', counted),
        entry('maker', freeSize(), 'yield', counted),
      ),
    ]);
    const shape = (user: number, maker: number) => proofShape(s, [maker, user], SECURITY.standard);
    checkBusBounds(shape(6, 10)); // 64 uses; yields are not counted against maxUses
    expect(() => checkBusBounds(shape(7, 2))).toThrow(
      /allow 128 uses of relation counted, more than its bound 100/,
    );
    const wide = assembleSystem([
      testHashPlugin(),
      plugin('p', entry('u', freeSize(), 'use'), entry('y', freeSize(), 'yield')),
    ]);
    checkBusBounds(proofShape(wide, [24, 24], SECURITY.standard));
    const many = assembleSystem([
      testHashPlugin(),
      plugin('p', ...Array.from({ length: 128 }, (_, i) => entry(`u${i}`, freeSize(), 'use'))),
    ]);
    expect(() => checkBusBounds(proofShape(many, Array(128).fill(24), SECURITY.standard))).toThrow(
      /LogUp is sound only below p/,
    );
  });
});
