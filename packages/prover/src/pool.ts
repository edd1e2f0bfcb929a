import { KernelError } from '@nexus/kernel';
import type { ProverJob } from './tasks.js';

/**
 * A fork-join pool of threads that the prover splits its heavy loops over (issue 12): the
 * columns' extensions, Merkle layers, constraint evaluation on the extended domain and DEEP
 * quotients. The prover stays synchronous and keeps the transcript on its own thread; a job's
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

/** Words of the control block shared by a pool and its workers. */
const NEXT = 0; // the next unclaimed task of the current job
const FINISHED = 1; // workers done with the current job
const DEAD = 2; // 1 + the index of a worker that stopped (0: none)
const ERROR_LENGTH = 8; // per worker from here: its error text's byte length (0: none)
/** Past any task count: a failed job moves NEXT here so that no thread starts another task. */
const CANCELLED = 1 << 30;
/** Bytes of error text kept per worker. */
const ERROR_BYTES = 2048;

/** The shared memory of a pool and its workers: give it to each worker as it starts. */
export interface PoolControl {
  readonly words: Int32Array;
  readonly errors: Uint8Array;
}

/** A control block for `workers` workers. */
export function createPoolControl(workers: number): PoolControl {
  return {
    words: new Int32Array(new SharedArrayBuffer(4 * (ERROR_LENGTH + workers))),
    errors: new Uint8Array(new SharedArrayBuffer(ERROR_BYTES * workers)),
  };
}

/** Where a job goes to a worker: Node's `Worker` and a browser's `Worker` both fit. */
export interface JobPort {
  postMessage(job: ProverJob): void;
}

/**
 * The calling thread's side of the fork-join protocol, over any workers that run
 * `workOnJob` on the jobs posted to them. Platform-neutral: it posts jobs and waits on shared
 * memory, so it runs wherever SharedArrayBuffer and `Atomics.wait` do (Node's main thread,
 * any worker).
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

  /** Marks the pool unusable (a worker stopped between jobs): later runs throw `reason`. */
  fail(reason: string): void {
    this.#broken ??= reason;
  }

  run(job: ProverJob, local: (task: number) => void): void {
    if (this.#broken !== null) throw new KernelError(`the prover's thread pool: ${this.#broken}`);
    const words = this.#control.words;
    Atomics.store(words, NEXT, 0);
    Atomics.store(words, FINISHED, 0);
    for (let w = 0; w < this.#ports.length; w++) Atomics.store(words, ERROR_LENGTH + w, 0);
    for (const port of this.#ports) port.postMessage(job);
    let own: unknown = null;
    try {
      for (let i = Atomics.add(words, NEXT, 1); i < job.count; i = Atomics.add(words, NEXT, 1))
        local(i);
    } catch (e) {
      own = e ?? new Error('a task threw nothing');
      Atomics.store(words, NEXT, CANCELLED);
    }
    // The workers report through shared memory only: this thread's event loop is blocked.
    for (;;) {
      const finished = Atomics.load(words, FINISHED);
      if (finished >= this.#ports.length) break;
      const dead = Atomics.load(words, DEAD);
      if (dead !== 0) {
        this.fail(`prover worker ${dead - 1} stopped during a ${job.kind} job`);
        throw new KernelError(`the prover's thread pool: ${this.#broken}`);
      }
      Atomics.wait(words, FINISHED, finished, 1000);
    }
    if (own !== null) throw own;
    for (let w = 0; w < this.#ports.length; w++) {
      const length = Atomics.load(words, ERROR_LENGTH + w);
      if (length === 0) continue;
      const text = new TextDecoder().decode(
        this.#control.errors.slice(ERROR_BYTES * w, ERROR_BYTES * w + length),
      );
      throw new KernelError(`prover worker ${w} failed in a ${job.kind} job: ${text}`);
    }
  }
}

/**
 * A worker's side of the protocol, for each job posted to it: claims tasks until none is left,
 * runs them with `runTask`, reports an error in its slot (and stops the others), and counts
 * itself finished. Never throws.
 */
export function workOnJob(
  control: PoolControl,
  index: number,
  job: ProverJob,
  runTask: (task: number) => void,
): void {
  const words = control.words;
  try {
    for (let i = Atomics.add(words, NEXT, 1); i < job.count; i = Atomics.add(words, NEXT, 1))
      runTask(i);
  } catch (e) {
    reportError(control, index, e);
    Atomics.store(words, NEXT, CANCELLED);
  } finally {
    Atomics.add(words, FINISHED, 1);
    Atomics.notify(words, FINISHED);
  }
}

/**
 * Tells a waiting pool that worker `index` stopped (its exit hook): the job it was in fails
 * with a clear error instead of waiting for it forever.
 */
export function markWorkerStopped(control: PoolControl, index: number, reason: unknown): void {
  reportError(control, index, reason);
  Atomics.store(control.words, DEAD, index + 1);
  Atomics.notify(control.words, FINISHED);
}

function reportError(control: PoolControl, index: number, e: unknown): void {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const slot = control.errors.subarray(ERROR_BYTES * index, ERROR_BYTES * (index + 1));
  // Encoded into a plain buffer first: encodeInto does not take shared memory everywhere.
  const bytes = new TextEncoder().encode(text).subarray(0, ERROR_BYTES);
  slot.set(bytes);
  Atomics.store(control.words, ERROR_LENGTH + index, bytes.length);
}

/**
 * Points (rows of a domain) below which a step stays on the calling thread: a job costs a
 * postMessage per worker and a wake-up, ~0.1-0.5 ms here, against ~10 ms of work at 2^14 points
 * per column (bench/README.md, "One proof on both cores").
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
