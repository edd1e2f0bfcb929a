/**
 * The entry of a segment pool's worker thread (segment-pool.ts): one SegmentWorker per thread,
 * fed ELFs through the pool's workerData or, for ELFs stored after the pool started, with the
 * task itself.
 */
import Tinypool from 'tinypool';
import type { SegmentJob, SegmentJobResult } from './segment-job.js';
import { SegmentWorker } from './segment-worker.js';

const elves = new Map<string, Uint8Array>(
  // The pool's workerData (Tinypool keeps worker_threads' own for its bookkeeping).
  Object.entries(
    (Tinypool.workerData as { elves?: Record<string, Uint8Array> } | null)?.elves ?? {},
  ),
);
const worker = new SegmentWorker((digest) => {
  const elf = elves.get(digest);
  if (elf === undefined) throw new Error(`segment thread: no ELF stored under ${digest}`);
  return elf;
});

/** A pool task: the job, and the ELF's bytes when the thread may not have them yet. */
export interface SegmentTask {
  readonly job: SegmentJob;
  readonly elf?: Uint8Array;
}

export default async function runTask(task: SegmentTask): Promise<SegmentJobResult> {
  if (task.elf !== undefined) elves.set(task.job.elf, task.elf);
  return worker.run(task.job);
}
