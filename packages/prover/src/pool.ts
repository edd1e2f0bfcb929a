import { KernelError } from '@nexus/kernel';
import type { ProverJob } from './tasks.js';

/**
 * A fork-join pool of threads that the prover splits its heavy loops over (issue 12): trace
 * checks, the columns' extensions, Merkle layers, bus entry and LogUp columns, constraint
 * evaluation on the extended domain, OODS samples and DEEP quotients (tasks.ts). The prover stays synchronous and keeps the transcript on its own thread; a job's
 * tasks each write their own part of shared output arrays, so the proof does not depend on
 * which thread ran which task: it is the one-thread proof, byte for byte.
 *
 * The prover only sees this interface; what the threads are is the caller's choice (the SDK
 * starts Node worker threads, `createProverPool` in @nexus/sdk/node; Web Workers would do in a
 * browser, with the prover itself in a Web Worker since `run` blocks in `Atomics.wait`).
 */
export interface ProverPool {
  /** Threads that take tasks, the calling one included. */
  readonly threads: number;
  /** Ids of the hash backends the workers can hash Merkle layers with (others stay here). */
  readonly hashes: ReadonlySet<string>;
  /**
   * Runs tasks 0..job.count-1 over the threads, the calling one included (it runs its tasks
   * with `local`); returns once every thread is done.
   *
   * @throws KernelError naming the worker and its error when a worker's task threw or a
   *   worker stopped; what `local` threw, as it is
   */
  run(job: ProverJob, local: (task: number) => void): void;
}

/** Words of the control block shared by a pool and its workers, for the pool's life. */
const DEAD = 0; // 1 + the index of a worker that stopped (0: none)
const STOP_LENGTH = 8; // per worker from here: the byte length of why it stopped
/** Bytes of error text kept per worker. */
const ERROR_BYTES = 2048;

/** Words of a job's own control block. */
const NEXT = 0; // the next unclaimed task
const DONE = 1; // tasks finished (run, or skipped once the job failed)
const FAILED = 2; // 1 + the index of the first worker whose task threw (0: none)

/**
 * How long the calling thread waits between looks at the pool's control block while workers
 * finish a job (a worker that stops mid-job is seen within this).
 */
const POLL_MS = 200;

/** The shared memory of a pool and its workers: give it to each worker as it starts. */
export interface PoolControl {
  readonly words: Int32Array;
  readonly errors: Uint8Array;
}

/** A control block for `workers` workers. */
export function createPoolControl(workers: number): PoolControl {
  return {
    words: new Int32Array(new SharedArrayBuffer(4 * (STOP_LENGTH + workers))),
    errors: new Uint8Array(new SharedArrayBuffer(ERROR_BYTES * workers)),
  };
}

/**
 * What a worker receives per job: the job and its own control block (task counter, finished
 * count, failure) with an error slot per worker. A block per job means that a worker which
 * receives a job late, after the other threads finished it, finds no task left and can never
 * take a task of another job: no thread waits for a worker that has nothing to do.
 */
export interface JobMessage {
  readonly job: ProverJob;
  readonly sync: Int32Array;
  readonly errors: Uint8Array;
}

/** Where a job goes to a worker: Node's `Worker` and a browser's `Worker` both fit. */
export interface JobPort {
  postMessage(message: JobMessage): void;
}

/**
 * The calling thread's side of the fork-join protocol, over any workers that run
 * `workOnJob` on the messages posted to them. Platform-neutral: it posts jobs and waits on
 * shared memory, so it runs wherever SharedArrayBuffer and `Atomics.wait` do (Node's main
 * thread, any worker).
 */
export class ForkJoinPool implements ProverPool {
  readonly threads: number;
  readonly hashes: ReadonlySet<string>;
  readonly #ports: readonly JobPort[];
  readonly #control: PoolControl;
  #broken: string | null = null;

  constructor(ports: readonly JobPort[], control: PoolControl, hashes: Iterable<string>) {
    this.#ports = ports;
    this.#control = control;
    this.threads = ports.length + 1;
    this.hashes = new Set(hashes);
  }

  /** Throws if a worker stopped (told by its exit hook, or by `fail`). */
  #checkAlive(job: ProverJob): void {
    const dead = Atomics.load(this.#control.words, DEAD);
    if (dead !== 0) {
      const w = dead - 1;
      const why = readText(this.#control.errors, w, this.#control.words[STOP_LENGTH + w]!);
      this.fail(`prover worker ${w} stopped (${why}) during or before a ${job.kind} job`);
    }
    if (this.#broken !== null) throw new KernelError(`the prover's thread pool: ${this.#broken}`);
  }

  /** Marks the pool unusable (a worker stopped between jobs): later runs throw `reason`. */
  fail(reason: string): void {
    this.#broken ??= reason;
  }

  run(job: ProverJob, local: (task: number) => void): void {
    this.#checkAlive(job);
    const message: JobMessage = {
      job,
      sync: new Int32Array(new SharedArrayBuffer(12)),
      errors: new Uint8Array(new SharedArrayBuffer(ERROR_BYTES * this.#ports.length)),
    };
    for (const port of this.#ports) port.postMessage(message);
    const { sync } = message;
    let own: unknown = null;
    for (let i = Atomics.add(sync, NEXT, 1); i < job.count; i = Atomics.add(sync, NEXT, 1)) {
      if (own === null && Atomics.load(sync, FAILED) === 0) {
        try {
          local(i);
        } catch (e) {
          own = e ?? new Error('a task threw nothing');
          // The workers skip the rest (-1: this thread; its error is thrown as it is).
          Atomics.compareExchange(sync, FAILED, 0, -1);
        }
      }
      Atomics.add(sync, DONE, 1);
    }
    // The workers report through shared memory only: this thread's event loop is blocked.
    for (;;) {
      const done = Atomics.load(sync, DONE);
      if (done >= job.count) break;
      this.#checkAlive(job);
      Atomics.wait(sync, DONE, done, POLL_MS);
    }
    if (own !== null) throw own;
    const failed = Atomics.load(sync, FAILED);
    if (failed > 0) {
      const w = failed - 1;
      const length = new Int32Array(message.errors.buffer, ERROR_BYTES * w, 1)[0]!;
      const text = readText(message.errors, w, length, 4);
      throw new KernelError(`prover worker ${w} failed in a ${job.kind} job: ${text}`);
    }
  }
}

/**
 * A worker's side of the protocol, for each message posted to it: claims tasks until none is
 * left and runs them with `runTask` (once a task has thrown, anywhere, the rest are counted
 * without running); reports its error in its slot. Never throws.
 */
export function workOnJob(
  index: number,
  message: JobMessage,
  runTask: (task: number) => void,
): void {
  const { job, sync, errors } = message;
  for (let i = Atomics.add(sync, NEXT, 1); i < job.count; i = Atomics.add(sync, NEXT, 1)) {
    if (Atomics.load(sync, FAILED) === 0) {
      try {
        runTask(i);
      } catch (e) {
        // The text first, then the flag: the waiting thread reads it once every task is done.
        const length = writeText(errors, index, e, 4);
        new Int32Array(errors.buffer, ERROR_BYTES * index, 1)[0] = length;
        Atomics.compareExchange(sync, FAILED, 0, index + 1);
      }
    }
    Atomics.add(sync, DONE, 1);
    Atomics.notify(sync, DONE);
  }
}

/**
 * Tells a waiting pool that worker `index` stopped (its exit hook): the job it was in fails
 * with a clear error instead of waiting for it forever.
 */
export function markWorkerStopped(control: PoolControl, index: number, reason: unknown): void {
  control.words[STOP_LENGTH + index] = writeText(control.errors, index, reason, 0);
  Atomics.store(control.words, DEAD, index + 1);
}

/** Writes an error's text into slot `index` (after `skip` bytes); returns its byte length. */
function writeText(slots: Uint8Array, index: number, e: unknown, skip: number): number {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  // Encoded into a plain buffer first: encodeInto does not take shared memory everywhere.
  const bytes = new TextEncoder().encode(text).subarray(0, ERROR_BYTES - skip);
  slots.set(bytes, ERROR_BYTES * index + skip);
  return bytes.length;
}

function readText(slots: Uint8Array, index: number, length: number, skip = 0): string {
  const start = ERROR_BYTES * index + skip;
  return new TextDecoder().decode(slots.slice(start, start + length));
}

/**
 * Points (rows of a domain) below which a step stays on the calling thread. Measured here
 * (2026-12-07, under load): a job that does nothing costs 35-60 µs (a postMessage and a wake-up
 * per worker), one 2^14-point column's interpolation and extension with the WebAssembly
 * kernels ~3 ms; a step's tasks are at least that big from 2^14 points on, so the cost of a job
 * stays near 1-2% of its work (bench/README.md, "One proof on both cores").
 */
export const PARALLEL_MIN_POINTS = 2 ** 14;

/** The pool when a step over `points` rows is worth splitting, else null (stay here). */
export function poolFor(pool: ProverPool | null, points: number): ProverPool | null {
  return pool !== null && pool.threads > 1 && points >= PARALLEL_MIN_POINTS ? pool : null;
}

/**
 * Rows per task when `rows` rows are split over the pool: about eight tasks per thread (so a
 * slow thread is made up for by the others), a power of two of at least 2^12 rows.
 */
export function rowChunk(pool: ProverPool, rows: number): number {
  const target = Math.ceil(rows / (8 * pool.threads));
  return Math.max(2 ** 12, 2 ** Math.ceil(Math.log2(Math.max(1, target))));
}
