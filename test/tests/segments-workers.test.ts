/**
 * Segments proven by worker threads (issue 13, part A): the same proof bytes as one thread,
 * every worker result checked before use (a tampered commitment or proof is refused and the
 * job redone; a worker that always lies makes the proof fail with a clear error, never a bad
 * proof), workers that rebuild another system refused, and cancellation.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeProof, SECURITY } from '@nexus/kernel';
import { commitSegment, proveSegment } from '@nexus/prover';
import {
  createZkvm,
  elfDigest,
  type Plugin,
  type RefusedResult,
  rv32im,
  type SegmentJob,
  type SegmentJobResult,
  type SegmentRunner,
  SegmentWorker,
  ZkvmError,
} from '@nexus/sdk';
import { createSegmentPool } from '@nexus/sdk/node';
import { verifySegment } from '@nexus/verifier';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { guest, u32 } from '../src/guests.js';
import { segmentedRun } from '../src/segments.js';

const zkvm = createZkvm({ security: 'test' });
const fib = guest('fib');
const inputs = { publicInput: u32(30) };
/** fib(30) runs ~2,700 cycles: three segments of 1024. */
const SEGMENT = { segmentCycles: 1024 };

/** A runner that passes jobs to `pool` and lets `tamper` change results on their way back. */
function tampering(
  pool: SegmentRunner,
  tamper: (job: SegmentJob, result: SegmentJobResult) => SegmentJobResult,
): SegmentRunner {
  return {
    putElf: (d, e) => pool.putElf(d, e),
    run: async (job, signal) => tamper(job, await pool.run(job, signal)),
    close: async () => {},
  };
}

describe('segments on worker threads', () => {
  const pool = createSegmentPool({ threads: 2 });
  let reference: Uint8Array;
  beforeAll(() => {
    reference = zkvm.proofFile(zkvm.prove(fib, inputs, SEGMENT));
  }, 120_000);
  afterAll(() => pool.close());

  it('gives the same proof bytes with 2 workers as in one thread', async () => {
    const seen: string[] = [];
    const result = await zkvm.proveAsync(fib, inputs, {
      ...SEGMENT,
      workers: 2,
      onSegment: (phase, k, n) => seen.push(`${phase} ${k}/${n}`),
    });
    expect('segments' in result.proof && result.proof.segments.length).toBe(3);
    expect(zkvm.proofFile(result)).toEqual(reference);
    expect(seen.toSorted()).toEqual(
      ['commit 0/3', 'commit 1/3', 'commit 2/3', 'prove 0/3', 'prove 1/3', 'prove 2/3'].sort(),
    );
  });

  it('proves a run shorter than a segment in this thread, from its one pass 1: the bytes of prove', async () => {
    const timings: Record<string, number> = {};
    const result = await zkvm.proveAsync(fib, inputs, { workers: 2, timings });
    expect('segments' in result.proof).toBe(false);
    expect(zkvm.proofFile(result)).toEqual(zkvm.proofFile(zkvm.prove(fib, inputs)));
    expect(timings.execute).toBeGreaterThan(0);
    expect(timings.trace).toBeGreaterThan(0);
  });

  it('refuses a tampered commitment and a tampered proof, redoes them, and proves', async () => {
    let commitTampered = false;
    let proofTampered = false;
    const refused: RefusedResult[] = [];
    const runner = tampering(pool, (job, r) => {
      if (r.phase === 'commit' && job.index === 1 && !commitTampered) {
        commitTampered = true;
        const mainRoot = r.commitment.mainRoot.slice();
        mainRoot[0]! ^= 1;
        return { ...r, commitment: { ...r.commitment, mainRoot } };
      }
      if (r.phase === 'prove' && job.index === 2 && !proofTampered) {
        proofTampered = true;
        const proof = r.proof.slice();
        proof[proof.length >> 1]! ^= 0x10;
        return { ...r, proof };
      }
      return r;
    });
    const result = await zkvm.proveAsync(fib, inputs, {
      ...SEGMENT,
      runner,
      onRefused: (x) => refused.push(x),
    });
    // The bad commitment passes phase 1's shape checks; phase 2 of segment 1 finds it (the
    // honest worker's roots differ), it is recomputed and replaced, and every segment is
    // proven again under the new challenges. The tampered proof fails verifySegment.
    expect(commitTampered && proofTampered).toBe(true);
    expect(refused.some((x) => x.phase === 'prove' && x.index === 1)).toBe(true);
    expect(refused.some((x) => x.phase === 'prove' && x.index === 2)).toBe(true);
    expect(zkvm.proofFile(result)).toEqual(reference);
    zkvm.verify(
      result.proof,
      { elf: fib, ...inputs, publicOutput: result.claim.publicOutput, exitCode: 0 },
      { minSecurityBits: 0 },
    );
  });

  it('fails with a clear error when a worker always returns a bad proof of a segment', async () => {
    const runner = tampering(pool, (job, r) => {
      if (r.phase !== 'prove' || job.index !== 0) return r;
      const proof = r.proof.slice();
      proof[proof.length - 5]! ^= 1;
      return { ...r, proof };
    });
    await expect(zkvm.proveAsync(fib, inputs, { ...SEGMENT, runner })).rejects.toThrow(
      /segment 0 of 3 could not be proven by any worker/,
    );
  });

  it('a worker that commits to and validly proves another segment: the balance fails, every commitment is recomputed, the proof is redone', async () => {
    // The liar answers segment 0's jobs with segment 1's traces: its commitment, then a real
    // STARK of those traces on segment 0's transcript. Both pass every per-segment check
    // (shape, bounds, verifySegment); only the LogUp balance over all segments sees it.
    const run = segmentedRun(zkvm, fib, inputs.publicInput, SEGMENT.segmentCycles);
    expect(run.traces).toHaveLength(3);
    const lie = commitSegment(
      zkvm.system,
      { statement: run.statement, traces: run.traces[1]! },
      {
        config: 'test',
      },
    );
    let lies = 0;
    const lying = (job: SegmentJob): SegmentJobResult | null => {
      if (job.index !== 0 || lies >= 2) return null;
      if (job.phase === 'commit') {
        lies++;
        return { phase: 'commit', index: 0, commitment: lie };
      }
      if (!job.commitments![0]!.mainRoot.every((w, i) => w === lie.mainRoot[i])) return null;
      lies++;
      const proof = proveSegment(
        zkvm.system,
        { statement: run.statement, traces: run.traces[1]! },
        job.commitments!,
        0,
        { config: 'test' },
      );
      // The lie passes the per-segment check the coordinator makes.
      verifySegment(zkvm.system, proof, run.statement, job.commitments!, 0, {
        configs: [SECURITY.test],
        minSecurityBits: 0,
      });
      return { phase: 'prove', index: 0, proof: encodeProof(proof) };
    };
    const runner: SegmentRunner = {
      putElf: (d, e) => pool.putElf(d, e),
      run: async (job, signal) => lying(job) ?? (await pool.run(job, signal)),
      close: async () => {},
    };
    const refused: RefusedResult[] = [];
    const result = await zkvm.proveAsync(fib, inputs, {
      ...SEGMENT,
      runner,
      onRefused: (x) => refused.push(x),
    });
    expect(lies).toBe(2);
    expect(refused.map((x) => [x.phase, x.index])).toEqual([['prove', -1]]);
    expect(refused[0]!.reason).toMatch(/the segments' proofs: the buses do not balance/);
    expect(zkvm.proofFile(result)).toEqual(reference);
  });

  it('refuses malformed commitments (a root of the wrong length)', async () => {
    let tampered = 0;
    const runner = tampering(pool, (_job, r) => {
      if (r.phase !== 'commit' || tampered > 0) return r;
      tampered++;
      return { ...r, commitment: { ...r.commitment, preprocessedRoot: new Uint32Array(7) } };
    });
    const refused: RefusedResult[] = [];
    const result = await zkvm.proveAsync(fib, inputs, {
      ...SEGMENT,
      runner,
      onRefused: (x) => refused.push(x),
    });
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toMatch(/malformed commitment/);
    expect(zkvm.proofFile(result)).toEqual(reference);
  });

  it('cancels through an AbortSignal', async () => {
    const controller = new AbortController();
    const promise = zkvm.proveAsync(fib, inputs, {
      ...SEGMENT,
      runner: pool,
      signal: controller.signal,
      onSegment: () => controller.abort(new Error('stop here')),
    });
    await expect(promise).rejects.toThrow('stop here');
  });
});

describe('the system workers rebuild', () => {
  const custom: Plugin = { name: 'my-plugin', version: '1.0.0', apply: () => {} };

  it('refuses plugins it cannot describe, naming systemModule', async () => {
    const mine = createZkvm({ security: 'test', plugins: [...rv32im(), custom] });
    const err = await mine
      .proveAsync(fib, inputs, { ...SEGMENT, workers: 2 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZkvmError);
    expect((err as Error).message).toMatch(/my-plugin is not bundled.*systemModule/);
  });

  it('rebuilds a system from a module, and a worker refuses a job for another system', async () => {
    // A directory of its own, removed after the test (a file per run used to stay in /tmp).
    const scratch = mkdtempSync(join(tmpdir(), 'nexus-system-'));
    onTestFinished(() => rmSync(scratch, { recursive: true, force: true }));
    const module = join(scratch, 'system.mjs');
    writeFileSync(
      module,
      "export default ({ rv32im }) => ({ plugins: [rv32im(), { name: 'my-plugin', version: '1.0.0', apply() {} }] });\n",
    );
    const mine = createZkvm({ security: 'test', plugins: [...rv32im(), custom] });
    const worker = new SegmentWorker(() => fib);
    const job: SegmentJob = {
      system: { module },
      systemDigest: mine.system.digest,
      security: mine.security,
      elf: elfDigest(fib),
      publicInput: inputs.publicInput,
      privateInput: new Uint8Array(0),
      segmentCycles: 1024,
      index: 1,
      count: 3,
      phase: 'commit',
    };
    const r = await worker.run(job);
    expect(r.phase === 'commit' && r.commitment.mainRoot.length).toBe(8);
    // A job names the module a worker imports: only a local file, never code in the job.
    for (const evil of [
      'data:text/javascript,globalThis.pwned=1',
      'https://example.com/x.mjs',
      'fs',
    ]) {
      await expect(worker.run({ ...job, system: { module: evil } })).rejects.toThrow(
        /must be an absolute path or a file: URL/,
      );
    }
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
    // The coordinator's digest is another system's (the default plugins): refused.
    await expect(worker.run({ ...job, systemDigest: zkvm.system.digest })).rejects.toThrow(
      /another system digest/,
    );
    // The ELF stored under the digest must be that ELF.
    const liar = new SegmentWorker(() => guest('sort'));
    await expect(liar.run(job)).rejects.toThrow(/has another digest/);
  });
});
