/**
 * Constraint evaluation split over a pool (constraint-jobs.ts): with a WebAssembly machine
 * every thread runs the machine program it is posted, a block a machine declines (a
 * non-canonical cell, as a forged trace may hold) is evaluated afterwards on the calling
 * thread, and the values are those of one thread's compiled code in every mode.
 *
 * The pool here runs odd tasks through runProverTask with a worker's environment (its own
 * machine, code compiled from sources), even ones through the calling thread's `local`.
 */
import {
  type ColumnwiseMachine,
  columnRef,
  compileConstraints,
  constant,
  type Expr,
  leafKey,
  MACHINE_BLOCK,
  MAIN_TREE,
  param,
  rotationIndex,
  runFromSources,
  withColumnwiseMachine,
} from '@nexus/kernel';
import { wasmKernels } from '@nexus/kernels-wasm';
import { describe, expect, it } from 'vitest';
import { constraintPool, runConstraintJob } from '../src/constraint-jobs.js';
import { proverKernels } from '../src/kernels.js';
import type { ProverPool } from '../src/pool.js';
import { type CompiledJob, type ProverJob, runProverTask } from '../src/tasks.js';

const P = 0x7fffffff;
const machine = wasmKernels!.columnwiseMachine as ColumnwiseMachine;
const rows = 1 << 14;
/** A row in the sixth block of MACHINE_BLOCK rows: its block is declined wherever it runs. */
const FORGED_ROW = 5 * MACHINE_BLOCK + 17;

/** A pool of two "threads" in this one; records the jobs it is given. */
function twoThreads(): ProverPool & { jobs: ProverJob[] } {
  const jobs: ProverJob[] = [];
  const worker = {
    hash(): never {
      throw new Error('no hashing here');
    },
    kernels: proverKernels,
    machine,
    compiled: runFromSources,
  };
  return {
    threads: 2,
    hashes: new Set(),
    jobs,
    run(job, local) {
      jobs.push(job);
      for (let i = 0; i < job.count; i++) {
        if (i % 2 === 0) local(i);
        else runProverTask(job, i, worker);
      }
    },
  };
}

/** Shared columns (as a pool's jobs need them), canonical but for `forged` cells set to p. */
function columns(seed: number, forged: boolean): Uint32Array[] {
  let s = seed;
  return Array.from({ length: 3 }, (_, c) => {
    const col = new Uint32Array(new SharedArrayBuffer(4 * rows));
    for (let i = 0; i < rows; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      col[i] = s % P;
    }
    if (forged && c === 0) col[FORGED_ROW] = P;
    return col;
  });
}

const x = columnRef(MAIN_TREE, 0, 0);
const y = columnRef(MAIN_TREE, 1, 0);
const z = columnRef(MAIN_TREE, 2, 1);
const roots: Expr[] = [x.mul(y).sub(z), x.add(constant(7)).mul(z), y.sub(x).mul(param('a'))];

/** The rotation by `o` rows over shared memory (null for 0). */
function sharedRotation(o: number): Int32Array | null {
  if (o === 0) return null;
  const shared = new Int32Array(new SharedArrayBuffer(4 * rows));
  shared.set(rotationIndex(rows, o));
  return shared;
}

/** A constraint set compiled for `mode` and its leaves' columns, offsets and parameters. */
function setFor(mode: 'accumulate' | 'write', of: readonly Expr[], cols: Uint32Array[]) {
  const compiled = compileConstraints(of, leafKey, mode);
  const args = {
    cols: compiled.slots.map((key) => cols[Number(key.slice(2))]!),
    idx: compiled.offsets.map(sharedRotation),
    params: Uint32Array.of(3, 1, 4, 1),
  };
  return { compiled, args };
}

const sharedColumns = (n: number) =>
  Array.from({ length: n }, () => new Uint32Array(new SharedArrayBuffer(4 * rows)));

describe('constraint jobs on a pool', () => {
  it('are split from PARALLEL_MIN_POINTS with a machine, from COLUMNWISE_BELOW without', () => {
    const pool = twoThreads();
    expect(withColumnwiseMachine(machine, () => constraintPool(pool, rows))).toBe(pool);
    expect(withColumnwiseMachine(null, () => constraintPool(pool, rows))).toBeNull();
    expect(withColumnwiseMachine(null, () => constraintPool(pool, 1 << 16))).toBe(pool);
  });

  for (const forged of [false, true]) {
    it(`write and accumulate: one thread's compiled values${forged ? ', with a cell at p in one block' : ''}`, () => {
      const cols = columns(forged ? 7 : 3, forged);
      // write (base-field roots only)
      {
        const { compiled, args } = setFor('write', roots.slice(0, 2), cols);
        const expected = [0, 1].map(() => new Uint32Array(rows));
        compiled.run({ ...args, start: 0, end: rows, outs: expected, strategy: 'compiled' });
        const pool = twoThreads();
        const outs = sharedColumns(2);
        withColumnwiseMachine(machine, () =>
          runConstraintJob(pool, 'entries', compiled, { ...args, outs }, rows),
        );
        expect(outs).toEqual(expected);
        const job = pool.jobs[0] as CompiledJob;
        expect(job.program).not.toBeNull();
        expect(job.sources).toBeNull();
        // The forged cell's block was declined (on a worker or here) and evaluated here.
        expect(job.declined![Math.floor(FORGED_ROW / MACHINE_BLOCK)]).toBe(forged ? 1 : 0);
        expect(job.declined!.reduce((a, b) => a + b, 0)).toBe(forged ? 1 : 0);
      }
      // accumulate
      {
        const { compiled, args } = setFor('accumulate', roots, cols);
        const coeffs = Uint32Array.from({ length: 4 * roots.length }, (_, i) => (i * 7919) % P);
        const factor = new Uint32Array(new SharedArrayBuffer(4 * rows)).map((_, i) => i + 1);
        const start = () =>
          sharedColumns(4).map((c) => c.fill(5)) as [
            Uint32Array,
            Uint32Array,
            Uint32Array,
            Uint32Array,
          ];
        const expected = start();
        compiled.run({
          ...args,
          coeffs,
          factor,
          out: expected,
          start: 0,
          end: rows,
          strategy: 'compiled',
        });
        const out = start();
        const pool = twoThreads();
        withColumnwiseMachine(machine, () =>
          runConstraintJob(pool, 'compose', compiled, { ...args, coeffs, factor, out }, rows),
        );
        expect(out).toEqual(expected);
        // Without a machine every thread compiles the generated code: the same values.
        const again = start();
        const plain = twoThreads();
        withColumnwiseMachine(null, () =>
          runConstraintJob(
            plain,
            'compose',
            compiled,
            { ...args, coeffs, factor, out: again },
            rows,
          ),
        );
        expect(again).toEqual(expected);
        const job = plain.jobs[0] as CompiledJob;
        expect(job.program).toBeNull();
        expect(job.sources!.length).toBeGreaterThan(0);
      }
    });
  }

  it('assert: a failing row, or a cell at p, raises failed; holding constraints do not', () => {
    const cols = columns(11, false);
    const holds = compileConstraints([x.sub(x), x.mul(y).sub(y.mul(x))], leafKey, 'assert');
    const fails = compileConstraints([x.sub(x), x.sub(y)], leafKey, 'assert');
    const check = (compiled: typeof holds, cs: Uint32Array[]) => {
      const failed = new Int32Array(new SharedArrayBuffer(4));
      const args = {
        cols: compiled.slots.map((key) => cs[Number(key.slice(2))]!),
        idx: compiled.offsets.map(() => null),
        params: new Uint32Array(0),
      };
      withColumnwiseMachine(machine, () =>
        runConstraintJob(twoThreads(), 'assert', compiled, args, rows, failed),
      );
      return failed[0];
    };
    expect(check(holds, cols)).toBe(0);
    expect(check(fails, cols)).toBe(1);
    expect(check(holds, columns(11, true))).toBe(1);
  });
});
