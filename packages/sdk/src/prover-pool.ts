import { Worker } from 'node:worker_threads';
import { createPoolControl, ForkJoinPool, type ProverPool } from '@nexus/prover';
import { ZkvmError } from './errors.js';
import { HASH_BACKENDS } from './hash-backends.js';
import type { ProverThreadData } from './prover-thread.js';
import { threadEntry } from './thread-entry.js';

export interface ProverPoolOptions {
  /** Threads that prove, this one included (default `os.availableParallelism()`). */
  readonly threads?: number;
}

/** A prover pool on Node worker threads; `close` stops the threads. */
export interface ProverThreadPool extends ProverPool {
  close(): Promise<void>;
}

/**
 * The threads one proof is split over (issue 12): `threads - 1` Node worker threads next to
 * this one, sharing columns through SharedArrayBuffer (@nexus/prover pool.ts). Resolves once
 * every thread has loaded the prover; a thread that stops later makes the job it was in, and
 * every later one, fail with a clear error instead of a hang. Each thread has its own
 * WebAssembly memory (its kernels' scratch: a few columns of the largest domain).
 *
 * @example
 * const pool = await createProverPool({ threads: 2 });
 * try { zkvm.prove(elf, inputs, { pool }); } finally { await pool.close(); }
 */
export async function createProverPool(options: ProverPoolOptions = {}): Promise<ProverThreadPool> {
  const { threads, filename } = threadEntry(options.threads, 'prover-thread.js', 'prover pool');
  const control = createPoolControl(threads - 1);
  const workers = Array.from(
    { length: threads - 1 },
    (_, index) =>
      new Worker(filename, { workerData: { control, index } satisfies ProverThreadData }),
  );
  const stop = () => Promise.all(workers.map((w) => w.terminate())).then(() => undefined);
  try {
    await Promise.all(workers.map(ready));
  } catch (e) {
    await stop();
    throw e;
  }
  const pool = new ForkJoinPool(
    workers,
    control,
    Object.values(HASH_BACKENDS).map((b) => b.id),
  );
  let closed = false;
  workers.forEach((w, index) => {
    // Seen between jobs (during one, the thread's exit hook tells the waiting pool itself).
    w.on('error', (e) => pool.fail(`prover worker ${index} failed: ${e.message}`));
    w.on('exit', (code) => {
      if (!closed) pool.fail(`prover worker ${index} exited (code ${code})`);
    });
  });
  return {
    threads: pool.threads,
    hashes: pool.hashes,
    run: (job, local) => pool.run(job, local),
    async close() {
      closed = true;
      pool.fail('the pool was closed');
      await stop();
    },
  };
}

/** Resolves when the worker says it is ready; rejects if it fails or exits first. */
function ready(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) =>
      reject(new ZkvmError(`a prover worker did not start: ${why}`, { reason: 'workers' }));
    worker.once('message', (m) => (m === 'ready' ? resolve() : fail(String(m))));
    worker.once('error', (e) => fail(e.message));
    worker.once('exit', (code) => fail(`it exited with code ${code}`));
  });
}
