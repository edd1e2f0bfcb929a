import { elfDigest, type SegmentRunner } from '@nexus/sdk';
import { createSegmentPool } from '@nexus/sdk/node';
import { type Job, Worker } from 'bullmq';
import { decodeJob, encodeResult, type JobData, type ResultData } from './codec.js';
import { checkReachable, connectionOf, elfKey, QUEUE_NAME } from './connection.js';

export interface QueueWorkerOptions {
  /** Jobs proven at once, each on its own thread (default 1). */
  readonly threads?: number;
  /**
   * How long a job's lock lasts without renewal (ms, default 30 s): a worker that dies is
   * noticed after about this long and its job handed to another. The proving runs on a
   * thread, so the lock is renewed while a segment is proven.
   */
  readonly lockDuration?: number;
  /** Called with a line for each job started, finished or failed. */
  readonly log?: (line: string) => void;
}

/** Fetches an ELF by digest (from Redis, say) and checks its bytes have that digest. */
export type ElfFetch = (digest: string) => Promise<Uint8Array | null>;

/**
 * The processing of one queued job: decode it, make sure the runner has the ELF (fetched once
 * by digest and checked), run it, encode the result. Exported so tests can wrap it.
 */
export function segmentProcessor(
  runner: SegmentRunner,
  fetchElf: ElfFetch,
  log: (line: string) => void = () => {},
): (job: Job<JobData>) => Promise<ResultData> {
  const stored = new Set<string>();
  return async (job) => {
    const decoded = decodeJob(job.data);
    const what = `job ${job.id}: ${decoded.phase} segment ${decoded.index + 1}/${decoded.count}`;
    log(`${what} started`);
    const start = performance.now();
    if (!stored.has(decoded.elf)) {
      const elf = await fetchElf(decoded.elf);
      if (elf === null) throw new Error(`no ELF stored under ${decoded.elf} in Redis`);
      if (elfDigest(elf) !== decoded.elf)
        throw new Error(`the ELF stored under ${decoded.elf} has another digest`);
      await runner.putElf(decoded.elf, elf);
      stored.add(decoded.elf);
    }
    try {
      const result = encodeResult(await runner.run(decoded));
      log(`${what} done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
      return result;
    } catch (e) {
      log(`${what} failed: ${(e as Error).message}`);
      throw e;
    }
  };
}

/**
 * A `nexus worker`: takes segment jobs from the queue at `url` and proves them on a pool of
 * threads (so the main thread keeps renewing the jobs' locks). Close it to stop: running jobs
 * finish first.
 *
 * @throws Error when Redis does not accept connections
 */
export async function startQueueWorker(
  url: string,
  options: QueueWorkerOptions = {},
): Promise<{ readonly worker: Worker; close(): Promise<void> }> {
  await checkReachable(url);
  const threads = options.threads ?? 1;
  const lockDuration = options.lockDuration ?? 30_000;
  const pool = createSegmentPool({ threads });
  const connection = connectionOf(url);
  let fetchElf: ElfFetch = async () => null;
  const worker = new Worker<JobData, ResultData>(QUEUE_NAME, (job) => processor(job), {
    connection,
    concurrency: threads,
    lockDuration,
    // Check for dead workers' jobs twice per lock period; a job may stall a few times (its
    // workers die) before it is failed.
    stalledInterval: Math.max(1000, lockDuration / 2),
    maxStalledCount: 3,
    autorun: false,
  });
  worker.on('error', (e) => options.log?.(`queue error: ${e.message}`));
  const processor = segmentProcessor(pool, (digest) => fetchElf(digest), options.log);
  const client = await worker.client;
  fetchElf = async (digest) => {
    const b = await client.get(elfKey(digest));
    return b === null ? null : new Uint8Array(Buffer.from(b, 'base64'));
  };
  void worker.run();
  return {
    worker,
    async close() {
      await worker.close();
      await pool.close();
    },
  };
}
