import { P, qm31ColumnLinearCombination, qm31Mul } from '@nexus/field';
import { wasmKernels } from '@nexus/kernels-wasm';
import { describe, expect, it } from 'vitest';
import { timesBasis } from '../src/columnwise-program.js';
import {
  COLUMNWISE_BELOW,
  type ColumnwiseMachine,
  type CompiledArgs,
  columnRef,
  compileConstraints,
  constant,
  type EvaluationStrategy,
  type Expr,
  ext,
  leafKey,
  MACHINE_BLOCK,
  MAIN_TREE,
  param,
  rotationIndex,
  withColumnwiseMachine,
} from '../src/index.js';

/** The WebAssembly machine (@nexus/kernels-wasm), which this runtime has. */
const machine = wasmKernels!.columnwiseMachine as ColumnwiseMachine;

/** A small deterministic generator (xorshift32). */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/**
 * Random expression DAGs over 6 columns at offsets -1, 0, 1, the constants 0, 1 and p - 1
 * (so x + 0, x·1 and x·0 shortcuts alias buffers), two QM31 parameters, ext nodes and QM31
 * products: everything the columnwise evaluator must treat as the compiled code does.
 */
function randomRoots(seed: number, count: number, withExt: boolean): Expr[] {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[next() % xs.length]!;
  const base: Expr[] = [];
  for (let c = 0; c < 6; c++) {
    for (const o of [-1, 0, 1]) base.push(columnRef(MAIN_TREE, c, o));
  }
  base.push(constant(0), constant(1), constant(P - 1), constant(12345));
  const exts: Expr[] = withExt ? [param('alpha'), param('z')] : [];
  const make = (depth: number): Expr => {
    if (depth === 0) return pick(base);
    const a = make(depth - 1);
    const b = make(depth - 1);
    switch (next() % 4) {
      case 0:
        return a.add(b);
      case 1:
        return a.sub(b);
      case 2:
        return a.mul(b);
      default:
        return a.neg().add(a);
    }
  };
  const roots: Expr[] = [];
  for (let k = 0; k < count; k++) {
    const r = make(1 + (next() % 3));
    if (withExt && next() % 2 === 0) {
      const q = ext(make(1), make(1), pick(base), make(0));
      const p = pick(exts);
      roots.push(next() % 2 === 0 ? q.mul(p).sub(r) : q.mul(q.add(p)).add(r.mul(p)));
    } else roots.push(r);
  }
  // Shared subexpressions and a root repeated: the DAG's readers counts matter.
  roots.push(roots[0]!.mul(roots[1] ?? roots[0]!), roots[0]!);
  return roots;
}

/** QM31 products whose lanes are 0 and 1: operations that may return an operand as is. */
function zeroOneLaneProducts(): Expr[] {
  const x = columnRef(MAIN_TREE, 0, 0);
  const y = columnRef(MAIN_TREE, 1, 1);
  const one = constant(1);
  const zero = constant(0);
  const a = ext(x, one, zero, one);
  const b = ext(one, y, one, zero);
  return [a.mul(b), b.mul(a), a.mul(a).mul(b), a.mul(b).sub(x), b.mul(param('z')).mul(a)];
}

const n = 64;
function inputs(seed: number, rows = n): Pick<CompiledArgs, 'cols' | 'idx' | 'params'> {
  const next = rng(seed);
  const cols = Array.from({ length: 6 }, () =>
    Uint32Array.from({ length: rows }, () => next() % P),
  );
  return {
    cols,
    idx: [],
    params: Uint32Array.from({ length: 8 }, () => next() % P),
  };
}

function run(
  roots: readonly Expr[],
  mode: 'accumulate' | 'assert' | 'write',
  seed: number,
  strategy: EvaluationStrategy,
  range: [number, number] = [0, n],
  combine = false,
  rows = n,
) {
  const compiled = compileConstraints(roots, leafKey, mode);
  const { cols, params: raw } = inputs(seed, rows);
  const columns = compiled.slots.map((key) => cols[Number(key.slice(2))]!);
  const idx = compiled.offsets.map((o) => (o === 0 ? null : rotationIndex(rows, o)));
  const params = new Uint32Array(4 * compiled.params.length);
  compiled.params.forEach((name, i) => {
    params.set(raw.subarray(name === 'alpha' ? 0 : 4, name === 'alpha' ? 4 : 8), 4 * i);
  });
  const [start, end] = range;
  const args = { start, end, cols: columns, idx, params, strategy };
  if (mode === 'write') {
    const outs = roots.map(() => new Uint32Array(rows));
    compiled.run({ ...args, outs });
    return outs;
  }
  if (mode === 'assert') {
    const failures: [number, number][] = [];
    compiled.run({ ...args, fail: (row, k) => failures.push([row, k]) });
    return failures.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }
  const next = rng(seed + 1);
  const coeffs = Uint32Array.from({ length: 4 * roots.length }, () => next() % P);
  const factor = Uint32Array.from({ length: rows }, () => next() % P);
  const out = [0, 1, 2, 3].map(() => Uint32Array.from({ length: rows }, () => next() % P)) as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  compiled.run({
    ...args,
    coeffs,
    factor,
    out,
    ...(combine ? { linearCombination: qm31ColumnLinearCombination } : {}),
  });
  return out;
}

describe("columnwise evaluation gives the compiled code's values", () => {
  for (let seed = 1; seed <= 12; seed++) {
    it(`random DAG ${seed}: accumulate (base and QM31 roots), assert, write`, () => {
      const mixed = randomRoots(seed, 30, true);
      const base = randomRoots(seed + 100, 30, false);
      expect(run(mixed, 'accumulate', seed, 'columnwise')).toEqual(
        run(mixed, 'accumulate', seed, 'compiled'),
      );
      expect(run(mixed, 'assert', seed, 'columnwise')).toEqual(
        run(mixed, 'assert', seed, 'compiled'),
      );
      expect(run(base, 'write', seed, 'columnwise')).toEqual(run(base, 'write', seed, 'compiled'));
      // A block of rows inside the trace (rows read through the offsets' maps).
      expect(run(mixed, 'accumulate', seed, 'columnwise', [16, 40])).toEqual(
        run(mixed, 'accumulate', seed, 'compiled', [16, 40]),
      );
    });
  }

  it('assert mode reports the failing rows of a constraint that holds nowhere and one that holds somewhere', () => {
    const x = columnRef(MAIN_TREE, 0, 0);
    const roots = [constant(7).mul(constant(1)), x.sub(x), x.mul(x.sub(x.mul(x)))];
    const failures = run(roots, 'assert', 3, 'columnwise');
    expect(failures.filter(([, k]) => k === 0)).toHaveLength(n);
    expect(failures.filter(([, k]) => k === 1)).toHaveLength(0);
    expect(failures).toEqual(run(roots, 'assert', 3, 'compiled'));
  });

  it('QM31 products whose lanes are 0 and 1 (operations that return an operand as is)', () => {
    const roots = zeroOneLaneProducts();
    for (const mode of ['accumulate', 'assert'] as const) {
      expect(run(roots, mode, 5, 'columnwise')).toEqual(run(roots, mode, 5, 'compiled'));
    }
  });

  it('a non-canonical cell (p itself, as a forged trace may hold) gives the compiled verdicts', () => {
    const x = columnRef(MAIN_TREE, 0, 0);
    const one = constant(1);
    const roots = [
      x.mul(param('z')),
      ext(x, constant(0), one, constant(0)).mul(param('z')),
      x.add(x.sub(x)),
    ];
    const compiled = compileConstraints(roots, leafKey, 'assert');
    const failures = (strategy: EvaluationStrategy) => {
      const out: [number, number][] = [];
      compiled.run({
        start: 0,
        end: 4,
        cols: [Uint32Array.of(P, 0, 5, P)],
        idx: compiled.offsets.map(() => null),
        params: Uint32Array.of(1, 0, 0, 0),
        fail: (row, k) => out.push([row, k]),
        strategy,
      });
      return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    };
    expect(failures('columnwise')).toEqual(failures('compiled'));
  });

  it('accumulate with a linear-combination kernel (base constraints summed in one call)', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const mixed = randomRoots(seed, 30, true);
      const compiled = run(mixed, 'accumulate', seed, 'compiled');
      expect(run(mixed, 'accumulate', seed, 'columnwise', [0, n], true)).toEqual(compiled);
      expect(run(mixed, 'accumulate', seed, 'columnwise', [16, 40], true)).toEqual(
        run(mixed, 'accumulate', seed, 'compiled', [16, 40]),
      );
    }
    // More base constraints than are kept at once (256): summed in several calls.
    const many = randomRoots(200, 600, false);
    expect(run(many, 'accumulate', 200, 'columnwise', [0, n], true)).toEqual(
      run(many, 'accumulate', 200, 'compiled'),
    );
  });

  it("'auto' picks the columns for short runs: the same values again", () => {
    const roots = randomRoots(77, 20, true);
    expect(run(roots, 'accumulate', 77, 'auto')).toEqual(run(roots, 'accumulate', 77, 'compiled'));
  });
});

describe("columnwise evaluation on the WebAssembly machine gives the compiled code's values", () => {
  const onMachine = <T>(fn: () => T): T => withColumnwiseMachine(machine, fn);
  for (let seed = 1; seed <= 12; seed++) {
    it(`random DAG ${seed}: accumulate, assert, write, and blocks of rows`, () => {
      const mixed = randomRoots(seed, 30, true);
      const base = randomRoots(seed + 100, 30, false);
      for (const mode of ['accumulate', 'assert'] as const) {
        expect(onMachine(() => run(mixed, mode, seed, 'columnwise'))).toEqual(
          run(mixed, mode, seed, 'compiled'),
        );
      }
      expect(onMachine(() => run(base, 'write', seed, 'columnwise'))).toEqual(
        run(base, 'write', seed, 'compiled'),
      );
      expect(onMachine(() => run(mixed, 'accumulate', seed, 'columnwise', [16, 40]))).toEqual(
        run(mixed, 'accumulate', seed, 'compiled', [16, 40]),
      );
      // 22 rows: not a multiple of 4, so the TypeScript path runs them.
      expect(onMachine(() => run(mixed, 'accumulate', seed, 'columnwise', [16, 38]))).toEqual(
        run(mixed, 'accumulate', seed, 'compiled', [16, 38]),
      );
    });
  }

  it("runs of several blocks, 'auto' on a domain of 2^16 rows, failures in two blocks", () => {
    const mixed = randomRoots(41, 30, true);
    const base = randomRoots(141, 30, false);
    // Three blocks, the last of 36 rows; then a last block of 22 rows (the TypeScript path's).
    const rows = 2 * MACHINE_BLOCK + 64;
    for (const range of [
      [0, 2 * MACHINE_BLOCK + 36],
      [6, 2 * MACHINE_BLOCK + 28],
    ] as [number, number][]) {
      expect(
        onMachine(() => run(mixed, 'accumulate', 41, 'columnwise', range, true, rows)),
      ).toEqual(run(mixed, 'accumulate', 41, 'compiled', range, false, rows));
      expect(onMachine(() => run(base, 'write', 41, 'columnwise', range, false, rows))).toEqual(
        run(base, 'write', 41, 'compiled', range, false, rows),
      );
    }
    // 'auto' with a machine stays column by column above COLUMNWISE_BELOW: same values.
    const big = 1 << 16;
    expect(big).toBeGreaterThanOrEqual(COLUMNWISE_BELOW);
    expect(onMachine(() => run(mixed, 'accumulate', 42, 'auto', [0, big], true, big))).toEqual(
      run(mixed, 'accumulate', 42, 'compiled', [0, big], false, big),
    );
    // x - y at offset 1 holds nowhere on random columns: every block fails, and the rows
    // come in order, as the compiled code names them.
    const x = columnRef(MAIN_TREE, 0, 0);
    const y = columnRef(MAIN_TREE, 1, 1);
    const failing = [x.sub(x), x.sub(y)];
    const failures = onMachine(() =>
      run(failing, 'assert', 9, 'columnwise', [0, rows], false, rows),
    );
    expect(failures).toHaveLength(rows);
    expect(failures).toEqual(run(failing, 'assert', 9, 'compiled', [0, rows], false, rows));
  });

  it('a constraint that fails: the TypeScript path names the rows, as without the machine', () => {
    const x = columnRef(MAIN_TREE, 0, 0);
    const y = columnRef(MAIN_TREE, 1, 1);
    const roots = [x.sub(x), constant(7).mul(constant(1)), x.mul(y).sub(y.mul(x)), x.sub(y)];
    const failures = onMachine(() => run(roots, 'assert', 9, 'columnwise'));
    expect(failures.filter(([, k]) => k === 1)).toHaveLength(n);
    expect(failures.filter(([, k]) => k === 3).length).toBeGreaterThan(0);
    expect(failures).toEqual(run(roots, 'assert', 9, 'compiled'));
    // A failing root that is a register only (no constant one).
    const some = [x.sub(x), x.sub(y)];
    const registerOnly = onMachine(() => run(some, 'assert', 9, 'columnwise'));
    expect(registerOnly.length).toBeGreaterThan(0);
    expect(registerOnly).toEqual(run(some, 'assert', 9, 'compiled'));
  });

  it('QM31 products with 0 and 1 lanes; writes of a constant, a column as is, an alias', () => {
    const roots = zeroOneLaneProducts();
    const x = columnRef(MAIN_TREE, 0, 0);
    const y = columnRef(MAIN_TREE, 1, 1);
    const one = constant(1);
    const zero = constant(0);
    expect(onMachine(() => run(roots, 'accumulate', 5, 'columnwise'))).toEqual(
      run(roots, 'accumulate', 5, 'compiled'),
    );
    const writes = [constant(5), x, y, x.mul(one), x.add(y), x.sub(zero)];
    expect(onMachine(() => run(writes, 'write', 5, 'columnwise'))).toEqual(
      run(writes, 'write', 5, 'compiled'),
    );
  });

  it('a non-canonical cell (p itself) leaves every mode to the TypeScript path', () => {
    const x = columnRef(MAIN_TREE, 0, 0);
    const z = param('z');
    const byMode = {
      assert: [x.mul(z), x.add(x.sub(x)), x.sub(x)],
      accumulate: [x.mul(z), x.add(x.sub(x)), x.sub(x)],
      write: [x.add(x.sub(x)), x.mul(constant(3))],
    };
    for (const mode of ['assert', 'write', 'accumulate'] as const) {
      const roots = byMode[mode];
      const compiled = compileConstraints(roots, leafKey, mode);
      const go = () => {
        const failures: [number, number][] = [];
        const out = [0, 1, 2, 3].map(() => new Uint32Array(4)) as [
          Uint32Array,
          Uint32Array,
          Uint32Array,
          Uint32Array,
        ];
        const outs = roots.map(() => new Uint32Array(4));
        compiled.run({
          start: 0,
          end: 4,
          cols: [Uint32Array.of(P, 0, 5, P)],
          idx: compiled.offsets.map(() => null),
          params: Uint32Array.of(3, 1, 4, 1).subarray(0, 4 * compiled.params.length),
          fail: (row, k) => failures.push([row, k]),
          coeffs: Uint32Array.from({ length: 4 * roots.length }, (_, i) => i + 2),
          factor: null,
          out,
          outs,
          strategy: 'columnwise',
        });
        return { failures, out, outs };
      };
      expect(onMachine(go)).toEqual(go());
    }
  });
});

describe('timesBasis', () => {
  it('is qm31Mul by 1, i, u and iu, edge values included', () => {
    const values = [0, 1, 2, P - 1, P - 2, 12345, (P - 1) / 2, 0x40000000];
    const basis = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ] as const;
    const out = [0, 0, 0, 0];
    let seed = 7;
    for (let n = 0; n < 400; n++) {
      const c = Uint32Array.from({ length: 4 }, (_, j) => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return n < 64 ? values[(n >> (2 * (j % 3))) % values.length]! : seed % P;
      });
      for (let lane = 0; lane < 4; lane++) {
        timesBasis(c, 0, lane, out, 0);
        expect(out).toEqual([...qm31Mul([c[0]!, c[1]!, c[2]!, c[3]!], basis[lane]!)]);
      }
    }
  });
});
