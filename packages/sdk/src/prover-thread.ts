/**
 * The entry of a prover pool's worker thread (prover-pool.ts): runs the tasks of each job the
 * pool posts, with the bundled hash backends built here by id.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createBlake2sBackend } from '@nexus/hash-blake2s';
import { createBlake3Backend } from '@nexus/hash-blake3';
import { createPoseidon2Backend } from '@nexus/hash-poseidon2';
import type { HashBackend } from '@nexus/kernel';
import { type JobMessage, markWorkerStopped, type PoolControl, proverWorker } from '@nexus/prover';

/** What the pool gives each thread as it starts. */
export interface ProverThreadData {
  readonly control: PoolControl;
  readonly index: number;
}

if (parentPort !== null) {
  const { control, index } = workerData as ProverThreadData;
  const factories: (() => HashBackend)[] = [
    createBlake2sBackend,
    createBlake3Backend,
    createPoseidon2Backend,
  ];
  const byId = new Map<string, () => HashBackend>();
  for (const make of factories) byId.set(make().id, make);
  const onJob = proverWorker(index, (id) => byId.get(id)?.());
  // A thread that stops in the middle of a job tells the pool, which is waiting on shared
  // memory and would not see an 'exit' event until the job ends.
  process.on('exit', (code) => markWorkerStopped(control, index, `exited with code ${code}`));
  const port = parentPort;
  port.on('message', (message: JobMessage) => onJob(message));
  port.postMessage('ready');
}
