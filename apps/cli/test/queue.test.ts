/**
 * `nexus prove --queue` with `nexus worker` processes over a real redis-server (issue 13, part
 * B): a worker killed mid-job loses nothing (BullMQ hands its stalled job to the other), and
 * the proof verifies; a worker returning a tampered proof is refused and the job redone; one
 * that always does makes the prove fail with a clear error (exit 7), never a bad proof file.
 * Skipped, with a message, where redis-server is not installed (.ci/run installs it).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createSegmentPool } from '@nexus/sdk/node';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOf, QUEUE_NAME } from '../src/queue/connection.js';
import { segmentProcessor } from '../src/queue/worker.js';
import { bin, guest, nexus, tempDir, u32le, writeIn } from './support/nexus.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) {
  console.warn(
    'apps/cli/test/queue.test.ts: SKIPPED: redis-server is not installed (apt-get install redis-server; .ci/run does)',
  );
}

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Resolves when the process writes a line matching `re` on `stream`. */
function waitFor(proc: ChildProcess, stream: 'stdout' | 'stderr', re: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    proc[stream]!.on('data', (d: Buffer) => {
      text += d.toString();
      if (re.test(text)) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`exited (${code}) before ${re}: ${text}`)));
  });
}

describe.skipIf(!hasRedis)('nexus prove --queue, nexus worker', () => {
  const { dir, cleanup } = tempDir('nexus-queue-');
  const fib = guest('fib');
  const children: ChildProcess[] = [];
  let url = '';
  let input = '';
  beforeAll(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    const redis = spawn('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    children.push(redis);
    await waitFor(redis, 'stdout', /Ready to accept connections/);
    input = writeIn(dir, 'n.bin', u32le(30));
  });
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    cleanup();
  });

  /** A `nexus worker` process whose dead jobs are handed on after ~2-3 s. */
  const startWorker = async () => {
    const w = spawn(process.execPath, [bin, 'worker', '--queue', url, '--lock-duration', '2000']);
    children.push(w);
    let log = '';
    w.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
    });
    await waitFor(w, 'stderr', /waiting for jobs/);
    return { process: w, log: () => log };
  };

  const prove = (out: string) =>
    nexus([
      'prove',
      fib,
      '--public-input',
      input,
      '--segment-cycles',
      '1024',
      '--security',
      'test',
      '--queue',
      url,
      '-o',
      join(dir, out),
    ]);
  const verify = (out: string) =>
    nexus(['verify', join(dir, out), '--elf', fib, '--public-input', input, '--allow-insecure']);

  it('two workers, one killed mid-job: the other finishes its job and the proof verifies', async () => {
    const [w1, w2] = await Promise.all([startWorker(), startWorker()]);
    let killedDuring = '';
    w1.process.stderr!.on('data', () => {
      const started = /job (\S+): (\w+ segment \d+\/\d+) started/.exec(w1.log());
      if (killedDuring === '' && started) {
        killedDuring = started[2]!;
        w1.process.kill('SIGKILL');
      }
    });
    const proved = await prove('killed.proof');
    expect(proved.code, proved.stderr).toBe(0);
    expect(killedDuring).not.toBe('');
    expect(w1.log()).not.toMatch(/done in/);
    // The job the dead worker held was done by the other one.
    expect(w2.log()).toMatch(new RegExp(`${killedDuring} done in`));
    const verified = await verify('killed.proof');
    expect(verified.code, verified.stderr).toBe(0);
    w2.process.kill('SIGTERM');
    await new Promise((r) => w2.process.once('exit', r));
  }, 180_000);

  /** An in-process worker that runs the real processing and lets `tamper` change results. */
  const maliciousWorker = (tamper: (result: { phase: string; proof?: string }) => void) => {
    const pool = createSegmentPool({ threads: 1 });
    const client = { get: async (_: string) => null as string | null };
    const process = segmentProcessor(pool, async (digest) => {
      const b = await client.get(`nexus:elf:${digest}`);
      return b === null ? null : new Uint8Array(Buffer.from(b, 'base64'));
    });
    const worker = new Worker(
      QUEUE_NAME,
      async (job) => {
        const result = await process(job);
        tamper(result as { phase: string; proof?: string });
        return result;
      },
      { connection: connectionOf(url), lockDuration: 5000 },
    );
    void worker.client.then((c) => {
      client.get = (key) => c.get(key);
    });
    return {
      close: async () => {
        await worker.close(true);
        await pool.close();
      },
    };
  };

  const flip = (b64: string) => {
    const b = Buffer.from(b64, 'base64');
    b[b.length >> 1]! ^= 1;
    return b.toString('base64');
  };

  it('refuses a tampered proof from a worker and has the job redone', async () => {
    let tampered = 0;
    const bad = maliciousWorker((r) => {
      if (r.phase === 'prove' && tampered === 0) {
        tampered++;
        r.proof = flip(r.proof!);
      }
    });
    try {
      const proved = await prove('tampered.proof');
      expect(proved.code, proved.stderr).toBe(0);
      expect(tampered).toBe(1);
      expect(proved.stderr).toMatch(/refused a worker's prove result for segment \d \(try 1\)/);
      const verified = await verify('tampered.proof');
      expect(verified.code, verified.stderr).toBe(0);
    } finally {
      await bad.close();
    }
  }, 180_000);

  it('fails with a clear error (exit 7) when every proof of a segment is tampered', async () => {
    const bad = maliciousWorker((r) => {
      if (r.phase === 'prove') r.proof = flip(r.proof!);
    });
    try {
      const proved = await prove('never.proof');
      expect(proved.code).toBe(7);
      expect(proved.stderr).toMatch(/segment \d of 3 could not be proven by any worker/);
      expect(existsSync(join(dir, 'never.proof'))).toBe(false);
    } finally {
      await bad.close();
    }
  }, 180_000);

  it('a Redis that does not answer is a clear error, not a hang', async () => {
    const port = await freePort();
    const proved = await nexus([
      'prove',
      fib,
      '--public-input',
      input,
      '--segment-cycles',
      '1024',
      '--security',
      'test',
      '--queue',
      `redis://127.0.0.1:${port}`,
      '-o',
      join(dir, 'none.proof'),
    ]);
    expect(proved.code).toBe(7);
    expect(proved.stderr).toMatch(/cannot reach Redis/);
  }, 60_000);
});
