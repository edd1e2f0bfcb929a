import { describe, expect, it } from 'vitest';
import {
  analyzeComponent,
  assertConstraints,
  type Component,
  ConstraintError,
  defineRelation,
  findConstraintFailures,
  findUnbalancedTuples,
  freeSize,
  KernelError,
} from '../src/index.js';

const rel = defineRelation('pairs', 2);

function component(evaluate: Component['evaluate'], columns = ['a', 'b', 'c']): Component {
  return { name: 'test', version: '1.0.0', columns, size: freeSize(), evaluate };
}

describe('the info evaluator (analyzeComponent)', () => {
  it('refuses a row offset outside [-64, 64] (the verifier keys sampled values by column·256 + offset + 128)', () => {
    const at = (offset: number) =>
      analyzeComponent(
        component(
          (e) => {
            const [a] = e.nextAt([offset]) as [ReturnType<typeof e.next>];
            e.constraint(a.mul(a).sub(a), 'reads a at the offset');
          },
          ['a'],
        ),
      );
    expect(at(64).mainMasks[0]).toEqual([64]);
    expect(at(-64).mainMasks[0]).toEqual([-64]);
    for (const offset of [65, -65, 128, 0.5]) {
      expect(() => at(offset)).toThrow(/row offset must be an integer in \[-64, 64\]/);
    }
  });

  it('records constraints, entries, masks and degrees', () => {
    const air = analyzeComponent(
      component((e) => {
        const [a, aNext] = e.nextAt([0, 1]) as [
          ReturnType<typeof e.next>,
          ReturnType<typeof e.next>,
        ];
        const b = e.next();
        const c = e.next();
        e.constraint(c.sub(a.mul(b)), 'c = a·b');
        e.constraint(aNext.sub(a).sub(1), 'a increments');
        e.use(rel, [a, b], c);
        e.yield(rel, [b, a], 1, { maxMultiplicity: 2 });
      }),
    );
    expect(air.constraints.map((c) => c.label)).toEqual(['c = a·b', 'a increments']);
    expect(air.mainMasks).toEqual([[0, 1], [0], [0]]);
    expect(air.entries.map((e) => [e.sign, e.bound])).toEqual([
      [1, 1],
      [-1, 2],
    ]);
    // two linear tuples with degree-1 and degree-0 multiplicities pair into one batch
    expect(air.batches).toEqual([[0, 1]]);
    expect(air.interactionColumns).toBe(4);
    expect(air.logupConstraints).toHaveLength(1);
    expect(air.maxDegree).toBe(3);
    expect(air.interactionMasks[0]).toEqual([-1, 0]);
  });

  it('keeps entries with quadratic tuples in batches of one', () => {
    const air = analyzeComponent(
      component((e) => {
        const [a, b, c] = [e.next(), e.next(), e.next()];
        e.use(rel, [a.mul(b), c], 1);
        e.use(rel, [a, b.mul(c)], 1);
      }),
    );
    expect(air.batches).toEqual([[0], [1]]);
  });

  it('refuses at analysis a bus entry whose LogUp constraint would pass degree 3', () => {
    // The LogUp constraints are built when first read: the bound is batchEntries' (value·d - n
    // has degree max(1 + deg d, deg n)), checked while the component is analysed.
    const at = (f: Component['evaluate']) => () => analyzeComponent(component(f));
    expect(
      at((e) => {
        const [a, b, c] = [e.next(), e.next(), e.next()];
        e.use(rel, [a.mul(b).mul(c), c], 1);
      }),
    ).toThrow(/use pairs #0: tuple or multiplicity degree too high for LogUp \(tuple 3/);
    expect(
      at((e) => {
        const [a, b, c] = [e.next(), e.next(), e.next()];
        e.use(rel, [a, b], a.mul(b).mul(c).mul(c), { maxMultiplicity: 2 });
      }),
    ).toThrow(/degree too high for LogUp \(tuple 1, multiplicity 4\)/);
    // At the bound: a quadratic tuple, one entry per batch, degree 3.
    const air = analyzeComponent(
      component((e) => {
        const [a, b, c] = [e.next(), e.next(), e.next()];
        e.use(rel, [a.mul(b), c], 1);
      }),
    );
    expect(air.maxDegree).toBe(3);
  });

  it('rejects malformed components with the component and the problem named', () => {
    const bad = (f: Component['evaluate'], columns?: string[]) => () =>
      analyzeComponent(component(f, columns));
    expect(bad((e) => e.col('zzz'))).toThrow(/component test: no column named zzz/);
    expect(
      bad((e) => {
        const a = e.next();
        e.next();
        e.next();
        e.constraint(a.mul(a).mul(a).mul(a), 'quartic');
      }),
    ).toThrow(/quartic has degree 4/);
    expect(
      bad((e) => {
        const a = e.next();
        e.next();
        e.next();
        e.use(rel, [a], 1);
      }),
    ).toThrow(/arity 2/);
    expect(
      bad((e) => {
        const [a, b] = [e.next(), e.next(), e.next()];
        e.use(rel, [a, b]);
      }),
    ).toThrow(/give the multiplicity explicitly/);
    expect(
      bad((e) => {
        const [a] = [e.next(), e.next(), e.next()];
        e.constraint(a, 'x');
        e.constraint(a.sub(1), 'x');
      }),
    ).toThrow(/used twice/);
    expect(bad((e) => e.constraint(e.next(), 'only a'))).toThrow(/column b is never read/);
    expect(
      bad((e) => {
        for (let i = 0; i < 4; i++) e.next();
      }),
    ).toThrow(/more columns than the 3/);
    expect(bad(() => {}, ['a', 'a'])).toThrow(/appears twice/);
    expect(() => analyzeComponent({ ...component(() => {}), version: '' })).toThrow(KernelError);
  });
});

describe('the assert evaluator', () => {
  const fib = component((e) => {
    const [a, an] = e.nextAt([0, 1]) as [ReturnType<typeof e.next>, ReturnType<typeof e.next>];
    const [b, bn] = e.nextAt([0, 1]) as [ReturnType<typeof e.next>, ReturnType<typeof e.next>];
    const first = e.preprocessed('is_first');
    const c = e.next();
    e.constraint(c.sub(a.add(b)), 'c = a + b');
    e.constraint(an.sub(b).mul(e.constant(1).sub(first)), 'next a = b');
    void bn;
  });
  const air = analyzeComponent(fib);
  const trace = (n: number) => {
    const a = new Uint32Array(n);
    const b = new Uint32Array(n);
    const c = new Uint32Array(n);
    for (let r = 0; r < n; r++) {
      a[r] = r;
      b[r] = r + 1;
      c[r] = 2 * r + 1;
    }
    return { logSize: Math.log2(n), columns: [a, b, c] };
  };
  const isFirst = (n: number) => (id: string) => {
    if (id !== 'is_first') throw new Error(id);
    const col = new Uint32Array(n);
    col[0] = 1;
    return col;
  };

  it('passes an honest trace (rows wrap: the last row reads row 0 at offset +1)', () => {
    // next a = b fails only on the wrap row 7 -> 0, where is_first of row 7 is 0: so make the
    // honest trace wrap-consistent by checking it flags exactly that row.
    const failures = findConstraintFailures(air, { trace: trace(8), preprocessed: isFirst(8) });
    expect(failures).toEqual([{ component: 'test', row: 7, label: 'next a = b' }]);
  });

  it('names the row and label of a mutated cell', () => {
    const t = trace(8);
    t.columns[2]![3] = 99;
    const failures = findConstraintFailures(air, { trace: t, preprocessed: isFirst(8) });
    expect(failures).toContainEqual({ component: 'test', row: 3, label: 'c = a + b' });
    expect(() => assertConstraints(air, { trace: t, preprocessed: isFirst(8) })).toThrow(
      /row 3: c = a \+ b/,
    );
    expect(() => assertConstraints(air, { trace: t, preprocessed: isFirst(8) })).toThrow(
      ConstraintError,
    );
  });

  it('rejects traces of the wrong shape', () => {
    const t = trace(8);
    expect(() =>
      findConstraintFailures(air, {
        trace: { ...t, columns: t.columns.slice(0, 2) },
        preprocessed: isFirst(8),
      }),
    ).toThrow(/2 columns, the layout has 3/);
    expect(() =>
      findConstraintFailures(air, {
        trace: { logSize: 4, columns: t.columns },
        preprocessed: isFirst(16),
      }),
    ).toThrow(/expected 2\^4/);
  });
});

describe('the bus-balance checker', () => {
  const producer = analyzeComponent({
    name: 'producer',
    version: '1',
    columns: ['x', 'm'],
    size: freeSize(),
    evaluate(e) {
      const [x, m] = [e.next(), e.next()];
      e.yield(rel, [x, x.mul(x)], m, { table: true });
    },
  });
  const consumer = analyzeComponent({
    name: 'consumer',
    version: '1',
    columns: ['x', 'y'],
    size: freeSize(),
    evaluate(e) {
      const [x, y] = [e.next(), e.next()];
      e.use(rel, [x, y], 1);
    },
  });
  const none = () => new Uint32Array(0);
  it('finds no imbalance for matching uses and yields', () => {
    const inputs = [
      {
        air: producer,
        trace: { logSize: 2, columns: [Uint32Array.of(0, 1, 2, 3), Uint32Array.of(0, 2, 0, 2)] },
        preprocessed: none,
      },
      {
        air: consumer,
        trace: { logSize: 2, columns: [Uint32Array.of(1, 3, 1, 3), Uint32Array.of(1, 9, 1, 9)] },
        preprocessed: none,
      },
    ];
    expect(findUnbalancedTuples(inputs)).toEqual([]);
  });
  it('names the unbalanced tuples and where they were seen', () => {
    const inputs = [
      {
        air: producer,
        trace: { logSize: 2, columns: [Uint32Array.of(0, 1, 2, 3), Uint32Array.of(0, 2, 0, 2)] },
        preprocessed: none,
      },
      {
        air: consumer,
        trace: { logSize: 2, columns: [Uint32Array.of(1, 3, 1, 2), Uint32Array.of(1, 9, 1, 4)] },
        preprocessed: none,
      },
    ];
    const bad = findUnbalancedTuples(inputs);
    expect(bad).toContainEqual({
      relation: 'pairs',
      values: [3, 9],
      net: -1,
      seenAt: ['producer@3', 'consumer@1'],
    });
    expect(bad).toContainEqual({
      relation: 'pairs',
      values: [2, 4],
      net: 1,
      seenAt: ['consumer@3'],
    });
    // a boundary entry can settle a tuple
    const settled = findUnbalancedTuples(inputs, [
      { relation: rel, values: [3, 9], multiplicity: 1 },
      { relation: rel, values: [2, 4], multiplicity: -1 },
    ]);
    expect(settled).toEqual([]);
  });
});
