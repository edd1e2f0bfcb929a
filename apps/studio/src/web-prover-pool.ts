import { createBlake2sBackend } from '@nexus/hash-blake2s';
import { createPoolControl, ForkJoinPool, type ProverPool } from '@nexus/prover';
import type { PoolWorkerStart } from './prover-pool-worker.js';

/** Most threads a page proves on: more rarely pays on a laptop, and each holds its own memory. */
const MAX_THREADS = 4;

/**
 * Why a proof in this page stays on one thread, or null when it can be split: the pool's
 * workers share columns through SharedArrayBuffer, which a browser gives only to a
 * cross-origin isolated page (the COOP and COEP headers `nexus debug` sends; README.md).
 */
export function singleThreadReason(): string | null {
  const g = globalThis as { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown };
  if (g.SharedArrayBuffer === undefined || g.crossOriginIsolated !== true)
    return 'the page is not cross-origin isolated (no SharedArrayBuffer)';
  if (threadCount() < 2) return 'the browser reports one core';
  return null;
}

function threadCount(): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return Math.min(MAX_THREADS, Math.max(1, cores ?? 1));
}

/**
 * The in-page counterpart of @nexus/sdk/node's `createProverPool`: `threads - 1` Web Workers
 * next to the calling one (which must itself be a Web Worker: the pool waits in
 * `Atomics.wait`, which a page's main thread may not). The proof is the same, byte for byte,
 * as on one thread (the prover's own guarantee, tested in Node; the studio's browser test
 * compares the bytes with `nexus prove`'s). Terminating the calling worker ends them too.
 * Null when the page cannot share memory or has one core (`singleThreadReason`).
 */
export async function createWebProverPool(): Promise<(ProverPool & { close(): void }) | null> {
  if (singleThreadReason() !== null) return null;
  const threads = threadCount();
  const control = createPoolControl(threads - 1);
  const workers = Array.from(
    { length: threads - 1 },
    () => new Worker(new URL('./prover-pool-worker.ts', import.meta.url), { type: 'module' }),
  );
  const close = () => {
    for (const w of workers) w.terminate();
  };
  try {
    await Promise.all(workers.map((w, index) => started(w, { control, index })));
  } catch (e) {
    close();
    throw e;
  }
  const pool = new ForkJoinPool(workers, control, [createBlake2sBackend().id]);
  workers.forEach((w, index) => {
    w.onerror = (e) => pool.fail(`prover worker ${index} failed: ${e.message}`);
  });
  return {
    threads: pool.threads,
    hashes: pool.hashes,
    run: (job, local) => pool.run(job, local),
    close,
  };
}

/** Sends a worker its start message; resolves when it is ready, rejects if it fails first. */
function started(worker: Worker, start: PoolWorkerStart): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e) => {
      worker.onmessage = null;
      if (e.data === 'ready') resolve();
      else reject(new Error(`a prover worker did not start: ${String(e.data)}`));
    };
    worker.onerror = (e) => reject(new Error(`a prover worker did not start: ${e.message}`));
    worker.postMessage(start);
  });
}
