import { P } from '@nexus/field';
import { describe, expect, it } from 'vitest';
import {
  columnRef,
  compileConstraints,
  ext,
  leafKey,
  MAIN_TREE,
  param,
  rotationIndex,
  runFromSources,
} from '../src/index.js';

/** xorshift32: deterministic pseudo-random field elements. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % P;
  };
}

describe('runFromSources (a worker thread evaluating some rows of a proof)', () => {
  const a = columnRef(MAIN_TREE, 0, 0);
  const b = columnRef(MAIN_TREE, 1, 1);
  const c = columnRef(MAIN_TREE, 2, -1);
  const roots = [
    a.mul(b).sub(c),
    ext(a, b, c, a).mul(param('z')).sub(b.mul(b)),
    a
      .mul(a)
      .mul(a)
      .add(c.mul(param('alpha'))),
  ];
  const n = 256;
  const compiled = compileConstraints(roots, leafKey, 'accumulate');
  const next = rng(9);
  const cols = compiled.slots.map(() => Uint32Array.from({ length: n }, next));
  const base = {
    cols,
    idx: compiled.offsets.map((o) => (o === 0 ? null : rotationIndex(n, o))),
    params: Uint32Array.from({ length: 4 * compiled.params.length }, next),
    coeffs: Uint32Array.from({ length: 4 * roots.length }, next),
    factor: Uint32Array.from({ length: n }, next),
  };
  const zeros = () =>
    [0, 1, 2, 3].map(() => new Uint32Array(n)) as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];

  it('rows split in ranges and run from the sources add up to the one-thread run', () => {
    const whole = zeros();
    compiled.run({ ...base, start: 0, end: n, out: whole, strategy: 'compiled' });
    const split = zeros();
    const run = runFromSources(compiled.sources, 'accumulate');
    for (const [start, end] of [
      [128, 256],
      [0, 64],
      [64, 128],
    ] as const)
      run({ ...base, start, end, out: split });
    expect(split).toEqual(whole);
    expect(whole[0].some((v) => v !== 0)).toBe(true);
  });

  it('other code gives other values (the sources are what runs)', () => {
    const other = compileConstraints([a.mul(b)], leafKey, 'accumulate');
    const mine = zeros();
    compiled.run({ ...base, start: 0, end: n, out: mine, strategy: 'compiled' });
    const theirs = zeros();
    runFromSources(
      other.sources,
      'accumulate',
    )({
      ...base,
      cols: cols.slice(0, 2),
      start: 0,
      end: n,
      out: theirs,
    });
    expect(theirs).not.toEqual(mine);
  });
  it('assert and write modes: a row range from the sources reports and writes what the whole run does', () => {
    const asserted = compileConstraints([a.mul(b).sub(c)], leafKey, 'assert');
    const failures = (run: (args: never) => void, start: number, end: number) => {
      const rows: number[] = [];
      run({ ...base, start, end, fail: (row: number) => rows.push(row) } as never);
      return rows;
    };
    const whole = failures(asserted.run as never, 0, n);
    const fromSources = runFromSources(asserted.sources, 'assert');
    expect([
      ...failures(fromSources as never, 0, 100),
      ...failures(fromSources as never, 100, n),
    ]).toEqual(whole);
    expect(whole.length).toBeGreaterThan(0);
    const written = compileConstraints([a.mul(b), c.add(a)], leafKey, 'write');
    const outs = () => [new Uint32Array(n), new Uint32Array(n)];
    const one = outs();
    written.run({ ...base, start: 0, end: n, outs: one, strategy: 'compiled' });
    const split = outs();
    const write = runFromSources(written.sources, 'write');
    write({ ...base, start: 0, end: 77, outs: split });
    write({ ...base, start: 77, end: n, outs: split });
    expect(split).toEqual(one);
  });
});
