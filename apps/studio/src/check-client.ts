import type { CheckMethod, CheckMethods, CheckRequest, CheckResponse } from './check-protocol.js';

/** Raised by the calls still waiting when the worker is stopped (another guest was opened). */
export class CheckStopped extends Error {
  override readonly name = 'CheckStopped';
}

/** What the constraint panel calls: the page's worker (CheckClient) or nexus debug's process. */
export interface CheckClientLike {
  call<K extends CheckMethod>(
    method: K,
    ...args: Parameters<CheckMethods[K]>
  ): Promise<ReturnType<CheckMethods[K]>>;
  stop(): void;
}

/**
 * The page's side of the check worker (check-worker.ts): each method of CheckMethods as a
 * promise. The worker answers in order, one call at a time.
 */
export class CheckClient implements CheckClientLike {
  private readonly worker = new Worker(new URL('./check-worker.ts', import.meta.url), {
    type: 'module',
  });
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();
  private next = 0;

  constructor() {
    this.worker.onmessage = (e: MessageEvent<CheckResponse>) => {
      const r = e.data;
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (r.ok) p?.resolve(r.value);
      else {
        const error = new Error(r.message);
        error.name = r.name;
        p?.reject(error);
      }
    };
    this.worker.onerror = (e) => this.fail(new Error(`the check worker failed: ${e.message}`));
  }

  /** Calls a method of the worker's CheckService; rejects with the worker's error, by name. */
  call<K extends CheckMethod>(
    method: K,
    ...args: Parameters<CheckMethods[K]>
  ): Promise<ReturnType<CheckMethods[K]>> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies CheckRequest);
    });
  }

  private fail(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Stops the worker at once (a build in progress is dropped); waiting calls reject. */
  stop(): void {
    this.worker.terminate();
    this.fail(new CheckStopped('another guest was opened'));
  }
}
