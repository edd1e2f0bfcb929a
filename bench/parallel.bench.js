// One proof on both cores (issue 12): each statement proven as ONE STARK proof on one thread
// (WebAssembly kernels), on two threads (a prover pool started for the proof, its start
// included), and on the all-TypeScript one-thread path (TypeScript kernels and Blake2s), each
// in a fresh process so that its peak RSS is its own; the proofs must be the same bytes.
// Run from the repository root, after `pnpm build`:
//   pnpm --filter @nexus/bench bench:parallel                  fib, SHA-256 64 B, sort 2^16, 2^18
//   pnpm --filter @nexus/bench bench:parallel -- --large       and sort ~2^20 (with the segmented
//                                                              two-worker default next to it)
//   pnpm --filter @nexus/bench bench:parallel -- --no-typescript   without the TypeScript path
//   pnpm --filter @nexus/bench bench:parallel -- --only=fib,sort-2^18   these statements only
//   pnpm --filter @nexus/bench bench:parallel -- --split-share   also the share of the one-thread
//                                                              proof spent in the steps a pool
//                                                              splits (what two free cores can
//                                                              at best halve)
//   pnpm --filter @nexus/bench bench:parallel -- --repeat=3    one and two threads three times each,
//                                                              interleaved: the fastest of each
//                                                              (on a shared machine, the runs
//                                                              the other work disturbed least)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { NAME as BLAKE2S, blake2s } from '@nexus/hash-blake2s';
import { createZkvm, defaultPlugins } from '@nexus/sdk';
import { createProverPool } from '@nexus/sdk/node';

const u32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const guest = (name) => readFileSync(new URL(`../guests/bin/${name}.elf`, import.meta.url));
const STATEMENTS = {
  fib: ['fib', u32(90)],
  sha256: ['sha256', [...new Uint8Array(64).map((_, i) => i)]],
  'sort-2^16': ['sort', [...u32(581), ...u32(7)]],
  'sort-2^18': ['sort', [...u32(2177), ...u32(7)]],
  'sort-2^20': ['sort', [...u32(8000), ...u32(7)]],
};
const ONE_PROOF = 2 ** 26;

/** Child: proves one statement one way, prints one JSON line. */
async function child(statement, mode) {
  const [name, bytes] = STATEMENTS[statement];
  const elf = guest(name);
  const inputs = { publicInput: Uint8Array.from(bytes) };
  const zkvm =
    mode === 'typescript'
      ? createZkvm({
          plugins: defaultPlugins().map((p) =>
            p.name === BLAKE2S ? blake2s({ kernels: 'typescript' }) : p,
          ),
        })
      : createZkvm();
  const t = performance.now();
  let result;
  let poolStart = null;
  let split = null;
  if (mode === 'one') result = zkvm.prove(elf, inputs, { segmentCycles: ONE_PROOF });
  else if (mode === 'typescript')
    result = zkvm.prove(elf, inputs, { segmentCycles: ONE_PROOF, kernels: 'typescript' });
  else if (mode === 'two') {
    const pool = await createProverPool({ threads: 2 });
    poolStart = performance.now() - t;
    // How the tasks went: the share this thread ran, and how long it waited for the worker.
    split = { tasks: 0, here: 0, waitMs: 0 };
    const counted = {
      threads: pool.threads,
      hashes: pool.hashes,
      run(job, local) {
        const t0 = performance.now();
        let ownMs = 0;
        split.tasks += job.count;
        pool.run(job, (i) => {
          const t1 = performance.now();
          local(i);
          ownMs += performance.now() - t1;
          split.here++;
        });
        split.waitMs += performance.now() - t0 - ownMs;
      },
    };
    try {
      result = zkvm.prove(elf, inputs, { segmentCycles: ONE_PROOF, pool: counted });
    } finally {
      await pool.close();
    }
  } else if (mode === 'segments') result = await zkvm.proveAsync(elf, inputs, { workers: 2 });
  else if (mode === 'in-place') {
    // A pool whose tasks all run on this thread, timed: how much of the proof a real pool
    // splits (the steps below PARALLEL_MIN_POINTS are not offered to it).
    let inJobs = 0;
    const pool = {
      threads: 2,
      hashes: new Set([zkvm.system.hash.id]),
      run(job, local) {
        const t0 = performance.now();
        for (let i = 0; i < job.count; i++) local(i);
        inJobs += performance.now() - t0;
      },
    };
    result = zkvm.prove(elf, inputs, { segmentCycles: ONE_PROOF, pool });
    poolStart = inJobs;
  }
  const ms = performance.now() - t;
  const file = zkvm.proofFile(result);
  console.log(
    JSON.stringify({
      cycles: result.cycles,
      ms,
      poolStart,
      split,
      maxRss: process.resourceUsage().maxRSS * 1024,
      // CPU time of every thread of the process: what the threads cost together.
      cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
      size: file.length,
      sha: createHash('sha256').update(file).digest('hex'),
      segments: 'segments' in result.proof ? result.proof.segments.length : 1,
    }),
  );
}

function measure(statement, mode) {
  const out = execFileSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', statement, mode],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop());
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  await child(argv[1], argv[2]);
} else {
  const large = argv.includes('--large');
  const typescript = !argv.includes('--no-typescript');
  const splitShare = argv.includes('--split-share');
  const repeat = Number(argv.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 1);
  /** The fastest of `repeat` runs of each mode, run interleaved; every run's wall listed. */
  const fastest = (statement, modes) => {
    const runs = Object.fromEntries(modes.map((m) => [m, []]));
    for (let k = 0; k < repeat; k++) for (const m of modes) runs[m].push(measure(statement, m));
    return Object.fromEntries(
      modes.map((m) => {
        const best = runs[m].reduce((a, b) => (b.ms < a.ms ? b : a));
        return [m, { ...best, all: runs[m].map((r) => (r.ms / 1000).toFixed(1)).join('/') }];
      }),
    );
  };
  const only = argv.find((a) => a.startsWith('--only='))?.slice(7);
  const list = only
    ? only.split(',')
    : ['fib', 'sha256', 'sort-2^16', 'sort-2^18', ...(large ? ['sort-2^20'] : [])];
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    `node ${process.version}, ${new Date().toISOString()}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (2 cores: above 2 the threads share them with other work)`,
  );
  console.log(
    '| statement | cycles | one thread | two threads (pool start) | speed-up | TypeScript, one thread | cycles/s one / two | CPU one / two | peak RSS one / two / TS | proof |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const statement of list) {
    const { one, two } = fastest(statement, ['one', 'two']);
    const ts = typescript ? measure(statement, 'typescript') : null;
    for (const other of [two, ts]) {
      if (other !== null && other.sha !== one.sha)
        throw new Error(`${statement}: a path gave another proof (${other.sha} vs ${one.sha})`);
    }
    const cps = (r) => Math.round(r.cycles / (r.ms / 1000)).toLocaleString('en-US');
    console.log(
      `| ${statement} | ${one.cycles.toLocaleString('en-US')} | ${s(one.ms)}${repeat > 1 ? ` (${one.all})` : ''} | ${s(two.ms)} (${two.poolStart.toFixed(0)} ms)${repeat > 1 ? ` (${two.all})` : ''} | ${(one.ms / two.ms).toFixed(2)}x | ${ts ? `${s(ts.ms)} (${(ts.ms / two.ms).toFixed(2)}x two)` : '-'} | ${cps(one)} / ${cps(two)} | ${s(one.cpuMs)} / ${s(two.cpuMs)} | ${mib(one.maxRss)} / ${mib(two.maxRss)}${ts ? ` / ${mib(ts.maxRss)}` : ''} | ${(one.size / 1024).toFixed(0)} KiB |`,
    );
    if (two.split !== null && two.split.tasks > 0) {
      console.log(
        `|  two threads: tasks run on the proving thread | | | ${two.split.here} of ${two.split.tasks} (${((100 * two.split.here) / two.split.tasks).toFixed(0)}%), waited for the worker ${s(two.split.waitMs)} | | | | | | |`,
      );
    }
    if (splitShare) {
      const inPlace = measure(statement, 'in-place');
      if (inPlace.sha !== one.sha)
        throw new Error(`${statement}: the in-place pool gave another proof`);
      const share = inPlace.poolStart / inPlace.ms;
      console.log(
        `| ${statement}: share of the one-thread proof in split steps | | ${s(inPlace.ms)} | ${s(inPlace.poolStart)} in jobs (${(100 * share).toFixed(0)}%) | at best ${(1 / (1 - share / 2)).toFixed(2)}x on two free cores | | | | | |`,
      );
    }
    if (statement === 'sort-2^20') {
      const seg = measure(statement, 'segments');
      console.log(
        `| ${statement}, segmented two-worker default (${seg.segments} segments) | ${seg.cycles.toLocaleString('en-US')} | | ${s(seg.ms)} | ${(one.ms / seg.ms).toFixed(2)}x | | - / ${cps(seg)} | - / ${s(seg.cpuMs)} | - / ${mib(seg.maxRss)} | ${(seg.size / 1024).toFixed(0)} KiB |`,
      );
    }
  }
  console.log('same proof bytes on every path of each statement: yes');
}
