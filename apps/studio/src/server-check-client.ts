import { type CheckClientLike, CheckStopped } from './check-client.js';
import type { CheckMethod, CheckMethods } from './check-protocol.js';

/**
 * The constraint view's calls answered by the `nexus debug` process (POST api/check) instead of
 * the page's worker: with a config, only that process has the plugins to build and check
 * traces with. Same methods and errors as CheckClient; `open` ignores its guest (the server
 * checks the guest it serves).
 */
export class ServerCheckClient implements CheckClientLike {
  private stopped = false;

  async call<K extends CheckMethod>(
    method: K,
    ...args: Parameters<CheckMethods[K]>
  ): Promise<ReturnType<CheckMethods[K]>> {
    const response = await fetch('api/check', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ method, args: method === 'open' ? [] : args }),
    });
    const answer = (await response.json()) as
      | { ok: true; value: ReturnType<CheckMethods[K]> }
      | { ok: false; name: string; message: string }
      | { error: string };
    if (this.stopped) throw new CheckStopped('another guest was opened');
    if ('error' in answer)
      throw new Error(`nexus debug refused the check (HTTP ${response.status}): ${answer.error}`);
    if (answer.ok) return answer.value;
    const error = new Error(answer.message);
    error.name = answer.name;
    throw error;
  }

  /** Drops the answers still to come (the server finishes its work; nothing is shown of it). */
  stop(): void {
    this.stopped = true;
  }
}
