import type { ZkvmPhase } from '@nexus/sdk';
import type { ProverMessage, ProverRequest } from './prover-protocol.js';

/** A verified proof made in the browser. */
export type ProofOutcome = Extract<ProverMessage, { type: 'proved' }>;
/** A proof file that verified. */
export type VerifyOutcome = Extract<ProverMessage, { type: 'verified' }>;

/** A job in the worker: its result, and how to stop it. */
export interface WorkerJob<T> {
  /** Resolves with the result; rejects with the worker's error, or on cancel. */
  readonly result: Promise<T>;
  /** Stops the worker at once (the prover is synchronous: there is no gentler way). */
  cancel(): void;
}

/** Raised by a cancelled job's promise. */
export class ProvingCancelled extends Error {
  override readonly name = 'ProvingCancelled';
}

/** Runs one request in a new Web Worker, which ends with it. */
function runInWorker<T extends ProofOutcome | VerifyOutcome>(
  request: ProverRequest,
  onProgress: (phase: ZkvmPhase, fraction: number) => void = () => {},
): WorkerJob<T> {
  const worker = new Worker(new URL('./prove-worker.ts', import.meta.url), { type: 'module' });
  let settle: { resolve(o: T): void; reject(e: Error): void } | undefined;
  const result = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = () => {
    worker.terminate();
    settle = undefined;
  };
  worker.onmessage = (e: MessageEvent<ProverMessage>) => {
    const m = e.data;
    if (m.type === 'progress') onProgress(m.phase, m.fraction);
    else if (m.type === 'error') {
      const error = new Error(m.message);
      error.name = m.name;
      settle?.reject(error);
      finish();
    } else {
      settle?.resolve(m as T);
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

/** Proves a guest in a Web Worker, reporting progress (phase, fraction 0..1). */
export function startProving(
  guest: { elf: Uint8Array; publicInput: Uint8Array; privateInput: Uint8Array },
  onProgress: (phase: ZkvmPhase, fraction: number) => void,
): WorkerJob<ProofOutcome> {
  return runInWorker<ProofOutcome>({ kind: 'prove', ...guest }, onProgress);
}

/** Verifies a proof file against an ELF in a Web Worker. */
export function startVerifying(file: Uint8Array, elf: Uint8Array): WorkerJob<VerifyOutcome> {
  return runInWorker<VerifyOutcome>({ kind: 'verify', file, elf });
}
