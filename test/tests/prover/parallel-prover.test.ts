/**
 * One proof on several threads (issue 12): the prover splits its heavy steps over a
 * ProverPool (the SDK's Node worker threads) and the proof is the one-thread proof, byte for
 * byte, with either kernel set; a thread that computes a wrong value gets the proof refused,
 * and one that fails or stops gives a clear error, never a hang.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MaliciousProver } from '@nexus/air-testing';
import { assembleSystem, assertConstraints, ConstraintError } from '@nexus/kernel';
import { createPoolControl, ForkJoinPool, type ProverJob, prove } from '@nexus/prover';
import { rv32im } from '@nexus/rv32im';
import { createZkvm, PARALLEL_PROOF_MIN_CYCLES, ZkvmError } from '@nexus/sdk';
import { createProverPool, type ProverThreadPool } from '@nexus/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guest, u32 } from '../../src/guests.js';
import { watched } from '../../src/watched-pool.js';

const fib = guest('fib');
const fibInputs = { publicInput: u32(90) };
const sort = guest('sort');
/** ~68 k cycles: components of 2^16 rows, so constraint evaluation is split as well. */
const sortInputs = { publicInput: Uint8Array.of(...u32(581), ...u32(7)) };

describe('one proof on a pool of threads', () => {
  const zkvm = createZkvm();
  let pool: ProverThreadPool;
  beforeAll(async () => {
    pool = await createProverPool({ threads: 2 });
  });
  afterAll(() => pool.close());

  it('fib: the same proof bytes on 2 threads as on one, WebAssembly and TypeScript kernels', () => {
    const one = zkvm.proofFile(zkvm.prove(fib, fibInputs));
    const { pool: seen, kinds } = watched(pool);
    const two = zkvm.proofFile(zkvm.prove(fib, fibInputs, { pool: seen }));
    expect(Buffer.from(two).equals(one)).toBe(true);
    // Its largest component has 2^13 rows: its composition and bus entries (2^14 points) are
    // split over the threads' WebAssembly machines too.
    expect([...kinds].sort()).toEqual([
      'compose',
      'deep',
      'entries',
      'extension',
      'logup',
      'merkle',
    ]);
    const typescript = zkvm.proofFile(zkvm.prove(fib, fibInputs, { pool, kernels: 'typescript' }));
    expect(Buffer.from(typescript).equals(one)).toBe(true);
  });

  it('sort (68 k cycles): the same proof bytes on 2 threads, constraint evaluation split too', () => {
    const test = createZkvm({ security: 'test' });
    const one = test.proofFile(test.prove(sort, sortInputs));
    const { pool: seen, kinds } = watched(pool);
    const two = test.proofFile(test.prove(sort, sortInputs, { pool: seen }));
    expect(Buffer.from(two).equals(one)).toBe(true);
    // Composition and bus entries go to every thread's WebAssembly machine as its program
    // (constraint-jobs.ts); the TypeScript kernels post the generated code instead
    // (parallel-prover.slow.test.ts).
    // The trace checks of its 2^15-row components as well.
    expect([...kinds].sort()).toEqual([
      'assert',
      'compose',
      'deep',
      'entries',
      'extension',
      'interaction',
      'logup',
      'merkle',
      'oods',
    ]);
    // With the TypeScript kernels too: parallel-prover.slow.test.ts (twice as slow).
  });

  it('a pool of one thread proves on this thread only', async () => {
    const single = await createProverPool({ threads: 1 });
    try {
      const { pool: seen, kinds } = watched(single);
      const proof = zkvm.proofFile(zkvm.prove(fib, fibInputs, { pool: seen }));
      expect(Buffer.from(proof).equals(zkvm.proofFile(zkvm.prove(fib, fibInputs)))).toBe(true);
      expect(kinds.size).toBe(0);
    } finally {
      await single.close();
    }
  });

  it('proveAsync with a pool: the proof is verified before it is returned; wrong digests from a thread are refused', async () => {
    const fine = watched(pool);
    const result = await zkvm.proveAsync(fib, fibInputs, { pool: fine.pool });
    expect(fine.kinds.has('merkle')).toBe(true);
    expect(
      Buffer.from(zkvm.proofFile(result)).equals(zkvm.proofFile(zkvm.prove(fib, fibInputs))),
    ).toBe(true);
    // A thread that hashed the leaves wrong: every opening of that tree fails.
    const lying = watched(pool, (job) => {
      if (job.kind === 'merkle' && job.children === null) job.out.fill(0x1234);
    });
    const refused = zkvm.proveAsync(fib, fibInputs, { pool: lying.pool });
    await expect(refused).rejects.toBeInstanceOf(ZkvmError);
    await expect(refused).rejects.toThrow(/made on the prover's threads does not verify/);
  });

  it(`proveAsync splits a single proof over its workers from ${PARALLEL_PROOF_MIN_CYCLES} cycles: the same bytes; an abort still cancels`, async () => {
    const test = createZkvm({ security: 'test' });
    const one = test.proofFile(test.prove(sort, sortInputs));
    const two = await test.proveAsync(sort, sortInputs, { workers: 2 });
    expect(two.cycles).toBeGreaterThanOrEqual(PARALLEL_PROOF_MIN_CYCLES);
    expect('segments' in two.proof).toBe(false);
    expect(Buffer.from(test.proofFile(two)).equals(one)).toBe(true);
    const controller = new AbortController();
    const cancelled = test.proveAsync(sort, sortInputs, { workers: 2, signal: controller.signal });
    controller.abort(new Error('stop proving'));
    await expect(cancelled).rejects.toThrow('stop proving');
  });

  it('a trace row that breaks a constraint: the same ConstraintError (row and label) with the rows checked on 2 threads, either kernels', () => {
    const system = assembleSystem(rv32im());
    // ~140 k cycles: the largest component has 2^16 rows (checked in row ranges); a cell that
    // a constraint reads is changed.
    const m = new MaliciousProver(system, sort, {
      publicInput: Uint8Array.of(...u32(1100), ...u32(7)),
    });
    const [name, trace] = [...m.traces].sort((a, b) => b[1].logSize - a[1].logSize)[0]!;
    expect(trace.logSize).toBeGreaterThanOrEqual(16);
    const air = system.components.find((c) => c.name === name)!;
    const preprocessed = (id: string) =>
      system.preprocessed.get(id)!.generate(m.statement, trace.logSize);
    const broken = trace.columns.findIndex((column) => {
      column[40_000] = (column[40_000]! + 1) % 0x7fffffff;
      try {
        assertConstraints(air, { trace, preprocessed });
        column[40_000] = (column[40_000]! + 0x7fffffff - 1) % 0x7fffffff;
        return false;
      } catch (e) {
        return e instanceof ConstraintError;
      }
    });
    expect(broken).toBeGreaterThanOrEqual(0);
    const input = { statement: m.statement, traces: m.traces };
    const oneThread = (() => {
      try {
        prove(system, input);
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(oneThread).toBeInstanceOf(ConstraintError);
    expect(oneThread!.message).toMatch(/row 40000/);
    // The threads check row ranges on their WebAssembly machines (1,024 rows at a time), or
    // with the compiled code on the TypeScript kernels; this thread then names the rows.
    const onMachine = watched(pool);
    expect(() => prove(system, input, { pool: onMachine.pool })).toThrow(oneThread!.message);
    expect(onMachine.kinds.has('assert')).toBe(true);
    const { pool: seen, kinds } = watched(pool);
    expect(() => prove(system, input, { pool: seen, kernels: 'typescript' })).toThrow(
      oneThread!.message,
    );
    expect(kinds.has('assert')).toBe(true);
  });

  it('a task that throws on a worker: a clear error naming the worker and the job', () => {
    const job: ProverJob = {
      kind: 'merkle',
      count: 50,
      hash: 'no-such-hash',
      chunk: 4,
      children: null,
      columns: [],
      out: new Uint32Array(new SharedArrayBuffer(4 * 8 * 200)),
    };
    // This thread's tasks take a while, so the worker claims some of them.
    const slow = () => {
      const until = performance.now() + 20;
      while (performance.now() < until);
    };
    expect(() => pool.run(job, slow)).toThrow(
      /prover worker 0 failed in a merkle job: Error: this worker has no hash backend no-such-hash/,
    );
    // The pool is still usable afterwards.
    const proof = zkvm.proofFile(zkvm.prove(fib, fibInputs, { pool }));
    expect(Buffer.from(proof).equals(zkvm.proofFile(zkvm.prove(fib, fibInputs)))).toBe(true);
  });
});

describe('a worker that stops', () => {
  it('in the middle of a job: the job fails with a clear error instead of waiting forever', async () => {
    const control = createPoolControl(1);
    const worker = new Worker(
      fileURLToPath(new URL('./fixtures/stopping-worker.mjs', import.meta.url)),
      { workerData: { control } },
    );
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const pool = new ForkJoinPool([worker], control, []);
    const job: ProverJob = {
      kind: 'deep',
      count: 8,
      typescript: true,
      chunk: 1,
      plan: {
        xs: new Uint32Array(2),
        ys: new Uint32Array(2),
        ldes: [],
        groups: [],
        out: [new Uint32Array(2), new Uint32Array(2), new Uint32Array(2), new Uint32Array(2)],
      },
    };
    // This thread's tasks take a while, so the worker takes one (and stops in it).
    const slow = () => {
      const until = performance.now() + 50;
      while (performance.now() < until);
    };
    expect(() => pool.run(job, slow)).toThrow(
      /prover worker 0 stopped \(exited with code 3\) during or before a deep job/,
    );
    expect(() => pool.run(job, slow)).toThrow(/prover worker 0 stopped/);
    await worker.terminate();
  });

  it('a closed pool refuses jobs', async () => {
    const pool = await createProverPool({ threads: 2 });
    await pool.close();
    expect(() => createZkvm().prove(fib, fibInputs, { pool })).toThrow(/the pool was closed/);
  });
});
