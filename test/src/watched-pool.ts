import type { ProverJob, ProverPool } from '@nexus/prover';

/**
 * A pool that passes jobs on to `pool` and records their kinds (which steps a proof split over
 * the threads); `after` may change what a job wrote, as a lying worker would.
 */
export function watched(pool: ProverPool, after: (job: ProverJob) => void = () => {}) {
  const kinds = new Set<string>();
  const wrapped: ProverPool = {
    threads: pool.threads,
    hashes: pool.hashes,
    run(job, local) {
      kinds.add(job.kind);
      pool.run(job, local);
      after(job);
    },
  };
  return { pool: wrapped, kinds };
}
