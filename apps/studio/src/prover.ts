import type { ZkvmPhase } from '@nexus/sdk';
import type { ProveRequest, ProverMessage } from './prover-protocol.js';

/** A verified proof made in the browser. */
export type ProofOutcome = Extract<ProverMessage, { type: 'done' }>;

/** A proving job: its result, and how to stop it. */
export interface ProvingJob {
  /** Resolves with the verified proof; rejects with the prover's error, or on cancel. */
  readonly result: Promise<ProofOutcome>;
  /** Stops the worker at once (the prover is synchronous: there is no gentler way). */
  cancel(): void;
}

/** Raised by a cancelled job's promise. */
export class ProvingCancelled extends Error {
  override readonly name = 'ProvingCancelled';
}

/** Proves a guest in a new Web Worker, reporting progress (phase, fraction 0..1). */
export function startProving(
  request: ProveRequest,
  onProgress: (phase: ZkvmPhase, fraction: number) => void,
): ProvingJob {
  const worker = new Worker(new URL('./prove-worker.ts', import.meta.url), { type: 'module' });
  let settle: { resolve(o: ProofOutcome): void; reject(e: Error): void } | undefined;
  const result = new Promise<ProofOutcome>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = () => {
    worker.terminate();
    settle = undefined;
  };
  worker.onmessage = (e: MessageEvent<ProverMessage>) => {
    const m = e.data;
    if (m.type === 'progress') onProgress(m.phase, m.fraction);
    else if (m.type === 'done') {
      settle?.resolve(m);
      finish();
    } else {
      const error = new Error(m.message);
      error.name = m.name;
      settle?.reject(error);
      finish();
    }
  };
  worker.onerror = (e) => {
    settle?.reject(new Error(`the proving worker failed: ${e.message}`));
    finish();
  };
  // Copies, not transfers: the page keeps the guest's bytes for the debugger.
  worker.postMessage(request);
  return {
    result,
    cancel() {
      settle?.reject(new ProvingCancelled('cancelled'));
      finish();
    },
  };
}
