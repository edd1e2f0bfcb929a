import { type CompiledArgs, type HashBackend, runFromSources } from '@nexus/kernel';
import { columnwiseMachineFor, proverKernels } from './kernels.js';
import { type JobMessage, workOnJob } from './pool.js';
import { runProverTask, type TaskEnvironment } from './tasks.js';

/**
 * The body of a prover pool's worker, whatever starts it (a Node worker thread, a Web
 * Worker): give each job posted to it to the returned function. `hashes` builds the hash
 * backends the pool said its workers know (`ProverPool.hashes`), by id.
 *
 * @example
 * // a Node worker thread's entry
 * const onJob = proverWorker(workerData.index, (id) => backends[id]);
 * parentPort.on('message', onJob);
 */
export function proverWorker(
  index: number,
  hashes: (id: string) => HashBackend | undefined,
): (message: JobMessage) => void {
  const env = workerEnvironment(hashes);
  return (message) => workOnJob(index, message, (task) => runProverTask(message.job, task, env));
}

/** A worker's environment: its hash backends and compiled code, each made once and kept. */
function workerEnvironment(hashes: (id: string) => HashBackend | undefined): TaskEnvironment {
  const backends = new Map<string, HashBackend>();
  const compiled = new Map<string, (args: CompiledArgs) => void>();
  return {
    hash(id) {
      let backend = backends.get(id);
      if (backend === undefined) {
        backend = hashes(id);
        if (backend?.id !== id)
          throw new Error(
            `this worker has no hash backend ${id} (it has ${backend?.id ?? 'none'})`,
          );
        backends.set(id, backend);
      }
      return backend;
    },
    kernels: proverKernels,
    machine: columnwiseMachineFor({}),
    compiled(sources, mode) {
      // The code itself is the key: a component's sources are the same string every proof.
      const key = `${mode}\n${sources.join('\n')}`;
      let run = compiled.get(key);
      if (run === undefined) {
        run = runFromSources(sources, mode);
        compiled.set(key, run);
      }
      return run;
    },
  };
}
