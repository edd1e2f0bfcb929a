import { setMaxListeners } from 'node:events';
import type { SegmentJob, SegmentJobResult, SegmentRunner } from '@nexus/sdk';
import { Queue, QueueEvents } from 'bullmq';
import { decodeResult, encodeJob } from './codec.js';
import { checkReachable, connectionOf, elfKey, QUEUE_NAME } from './connection.js';

/** How long an ELF stays in Redis after its proof started (a week: long proofs, retries). */
const ELF_TTL_S = 7 * 24 * 3600;

/**
 * The coordinator's side of the queue: each segment job is a BullMQ job for any `nexus worker`
 * on the queue; its result is decoded and handed back for the coordinator to check. A worker
 * killed mid-job loses nothing: its lock lapses and BullMQ hands the job to another worker
 * (stalled-job retry). Jobs carry the ELF's digest; its bytes are stored once, under that key.
 *
 * @throws Error when Redis does not answer
 */
export async function createQueueRunner(url: string): Promise<SegmentRunner> {
  await checkReachable(url);
  const connection = connectionOf(url);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  // Errors reach us through the calls below; without a listener they would be thrown.
  queue.on('error', () => {});
  events.on('error', () => {});
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  return {
    async putElf(digest: string, elf: Uint8Array) {
      const client = await queue.client;
      // Base64 text: BullMQ's client interface stores strings.
      await client.set(elfKey(digest), Buffer.from(elf).toString('base64'), { EX: ELF_TTL_S });
    },
    async run(job: SegmentJob, signal?: AbortSignal): Promise<SegmentJobResult> {
      signal?.throwIfAborted();
      // Every pending job listens to the proof's one signal: not a leak, so no warning.
      if (signal) setMaxListeners(0, signal);
      const added = await queue.add(`${job.phase} ${job.index + 1}/${job.count}`, encodeJob(job), {
        // The coordinator retries refused or failed jobs itself; BullMQ retries stalled ones.
        attempts: 1,
        removeOnComplete: { age: 600 },
        removeOnFail: { age: 600 },
      });
      let onAbort: (() => void) | undefined;
      try {
        const value = await Promise.race([
          added.waitUntilFinished(events),
          new Promise<never>((_, reject) => {
            onAbort = () => reject(signal!.reason);
            signal?.addEventListener('abort', onAbort, { once: true });
          }),
        ]);
        return decodeResult(value);
      } catch (e) {
        if (signal?.aborted) await added.remove().catch(() => {});
        throw e;
      } finally {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      await Promise.allSettled([events.close(), queue.close()]);
    },
  };
}
