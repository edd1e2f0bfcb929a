import { setMaxListeners } from 'node:events';
import Tinypool from 'tinypool';
import { ZkvmError } from './errors.js';
import type { SegmentJob, SegmentJobResult, SegmentRunner } from './segment-job.js';
import type { SegmentTask } from './segment-thread.js';
import { threadEntry } from './thread-entry.js';

export interface SegmentPoolOptions {
  /** Worker threads (default `os.availableParallelism()`, one per core). */
  readonly threads?: number;
}

/**
 * Segment jobs on a pool of worker threads on this machine (Tinypool). Each thread holds one
 * segment's records and traces at a time, so the pool's memory is about `threads` segments
 * (one 2^19-cycle segment: ~2 GiB with its thread's WebAssembly memory). Threads start on
 * the first job.
 *
 * @example
 * const pool = createSegmentPool({ threads: 2 });
 * const result = await zkvm.proveAsync(elf, inputs, { runner: pool });
 * await pool.close();
 */
export function createSegmentPool(
  options: SegmentPoolOptions = {},
): SegmentRunner & { readonly threads: number } {
  const { threads, filename } = threadEntry(options.threads, 'segment-thread.js', 'segment pool');
  const elves = new Map<string, Uint8Array>();
  /** ELFs stored after the threads started travel with their tasks. */
  const late = new Set<string>();
  let pool: Tinypool | null = null;
  return {
    threads,
    async putElf(digest: string, elf: Uint8Array) {
      if (elves.has(digest)) return;
      elves.set(digest, elf);
      if (pool !== null) late.add(digest);
    },
    async run(job: SegmentJob, signal?: AbortSignal): Promise<SegmentJobResult> {
      const elf = elves.get(job.elf);
      if (elf === undefined)
        throw new ZkvmError(`no ELF stored under ${job.elf}: putElf first`, { reason: 'elf' });
      pool ??= new Tinypool({
        filename,
        minThreads: 0,
        maxThreads: threads,
        // Threads keep their zkVM and run between jobs; a proof's jobs come in bursts.
        idleTimeout: 60_000,
        workerData: { elves: Object.fromEntries(elves) },
      });
      const task: SegmentTask = late.has(job.elf) ? { job, elf } : { job };
      // Every queued job listens to the proof's one signal (a long run has hundreds of jobs):
      // not a leak, so no warning.
      if (signal) setMaxListeners(0, signal);
      return (await pool.run(task, signal ? { signal } : {})) as SegmentJobResult;
    },
    async close() {
      await pool?.destroy();
      pool = null;
    },
  };
}
