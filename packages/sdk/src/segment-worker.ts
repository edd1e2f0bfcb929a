import { encodeProof } from '@nexus/kernel';
import { loadElf } from '@nexus/vm';
import { ZkvmError } from './errors.js';
import { elfDigest, type SegmentJob, type SegmentJobResult } from './segment-job.js';
import { SegmentedRun } from './segment-run.js';
import { buildSystem } from './segment-system.js';
import type { Zkvm } from './zkvm.js';

/** Where a worker gets an ELF's bytes from its digest (a map, a Redis key, ...). */
export type ElfSource = (digest: string) => Uint8Array | Promise<Uint8Array>;

/**
 * Runs segment jobs: rebuilds the zkVM a job describes (checking its system digest), loads the
 * ELF by digest (checking the bytes), re-executes the guest to the job's segment and runs the
 * phase. It keeps the last zkVM and the last run, so jobs of one proof that arrive in segment
 * order cost one pass 2 over the run per phase; a job for an earlier segment re-runs pass 2
 * from the start (without building the skipped segments' traces).
 *
 * @example
 * const worker = new SegmentWorker((digest) => elves.get(digest)!);
 * const result = await worker.run(job);
 */
export class SegmentWorker {
  private zkvm: { key: string; zkvm: Zkvm } | null = null;
  private current: { key: string; run: SegmentedRun } | null = null;

  constructor(private readonly elves: ElfSource) {}

  /**
   * Runs one job and returns its result.
   *
   * @throws ZkvmError when the rebuilt system or the ELF is not the job's, or the segment does
   *   not exist; VM and prover errors as they come
   */
  async run(job: SegmentJob): Promise<SegmentJobResult> {
    const zkvm = await this.system(job);
    const run = await this.segmentedRun(zkvm, job);
    if (run.count !== job.count) {
      throw new ZkvmError(
        `the run has ${run.count} segments here, the coordinator counted ${job.count}: the worker's VM differs`,
        { reason: 'system' },
      );
    }
    const options = zkvm.proverOptions({ security: job.security });
    if (job.phase === 'commit')
      return { phase: 'commit', index: job.index, commitment: run.commit(job.index, options) };
    if (job.commitments === undefined)
      throw new ZkvmError('a prove job needs every commitment', { reason: 'job' });
    const proof = run.prove(job.index, job.commitments, options);
    return { phase: 'prove', index: job.index, proof: encodeProof(proof) };
  }

  private async system(job: SegmentJob): Promise<Zkvm> {
    const key = JSON.stringify([job.system, job.security]);
    if (this.zkvm?.key !== key) {
      this.current = null;
      this.zkvm = { key, zkvm: await buildSystem(job.system, job.security) };
    }
    const zkvm = this.zkvm.zkvm;
    const digest = zkvm.system.digest;
    if (
      digest.length !== job.systemDigest.length ||
      digest.some((b, i) => b !== job.systemDigest[i])
    ) {
      throw new ZkvmError(
        "the worker's zkVM has another system digest than the coordinator's: the plugins (or their versions) differ; install the same build on every worker",
        { reason: 'system' },
      );
    }
    return zkvm;
  }

  private async segmentedRun(zkvm: Zkvm, job: SegmentJob): Promise<SegmentedRun> {
    const key = JSON.stringify([
      this.zkvm!.key,
      job.elf,
      job.segmentCycles,
      elfDigest(job.publicInput),
      elfDigest(job.privateInput),
    ]);
    if (this.current?.key === key) return this.current.run;
    this.current = null; // drop the last run before building the next
    const elf = await this.elves(job.elf);
    if (elfDigest(elf) !== job.elf)
      throw new ZkvmError(`the ELF stored under ${job.elf} has another digest`, { reason: 'elf' });
    const run = new SegmentedRun(
      zkvm,
      loadElf(elf),
      { publicInput: job.publicInput, privateInput: job.privateInput },
      job.segmentCycles,
    );
    this.current = { key, run };
    return run;
  }
}
