// One thread of the in-page prover pool (web-prover-pool.ts): a Web Worker started by the
// prover's own Web Worker. Its first message says which worker it is and where the pool's
// control block is; every later message is a job, whose tasks it runs.
import { createBlake2sBackend } from '@nexus/hash-blake2s';
import { type JobMessage, markWorkerStopped, type PoolControl, proverWorker } from '@nexus/prover';

/** The first message a pool worker receives. */
export interface PoolWorkerStart {
  readonly control: PoolControl;
  readonly index: number;
}

// The worker's global scope, typed without the WebWorker lib (the page's DOM lib clashes with it).
const scope = self as unknown as {
  onmessage: ((e: MessageEvent) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (start: MessageEvent<PoolWorkerStart>) => {
  const { control, index } = start.data;
  // The page proves with the default build, whose Merkle trees use Blake2s; a job naming
  // another backend is refused by the worker's environment with a clear error.
  const blake2s = createBlake2sBackend();
  const onJob = proverWorker(index, (id) => (id === blake2s.id ? blake2s : undefined));
  // An error that escapes a job (workOnJob itself never throws) stops the pool's waiting
  // thread at once instead of leaving it waiting.
  scope.onerror = (e) => markWorkerStopped(control, index, e.message);
  scope.onmessage = (e: MessageEvent<JobMessage>) => onJob(e.data);
  scope.postMessage('ready');
};
