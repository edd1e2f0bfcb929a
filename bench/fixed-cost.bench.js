// The fixed cost of the `nexus` command and of the SDK's verifier for small statements (issue
// 12): `nexus verify` and `nexus prove` wall times (Node's start included), and in-process
// verification (first call in a fresh process, second call, warm), each process started anew.
//
//   node bench/fixed-cost.bench.js [--baseline DIR] [--runs N]
//
// --baseline DIR: another built checkout of this repository (e.g. a worktree of main), measured
// in the same run, interleaved run by run with this one, so both see the same machine load.
// Wall times on a shared machine drift by 2x from run to run: compare within one run only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  // pnpm passes the `--` of `pnpm --filter @nexus/bench <script> -- --runs 5` on.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { baseline: { type: 'string' }, runs: { type: 'string', default: '7' } },
});
const runs = Number(values.runs);
const here = fileURLToPath(new URL('..', import.meta.url));
const checkouts = [['this checkout', here]];
if (values.baseline !== undefined) checkouts.push(['baseline', resolve(values.baseline)]);

const dir = mkdtempSync(join(tmpdir(), 'nexus-fixed-cost-'));
const fibInput = join(dir, 'n.bin');
writeFileSync(fibInput, Uint8Array.of(90, 0, 0, 0));
const shaInput = join(dir, 'sha.bin');
writeFileSync(
  shaInput,
  new Uint8Array(64).map((_, i) => i),
);
const fib = join(here, 'guests/bin/fib.elf');
const sha = join(here, 'guests/bin/sha256.elf');

/** Runs node with args in a directory without a nexus.config.*; wall milliseconds. */
function timed(args) {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const cli = (root) => join(root, 'apps/cli/bin/nexus.js');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);
const fmt = (xs) => `min ${min(xs).toFixed(0)} ms, median ${median(xs).toFixed(0)} ms`;

// One proof of fib for every verify below (proofs are byte-identical across the checkouts).
const proof = join(dir, 'fib.proof');
timed([cli(here), 'prove', fib, '--public-input', fibInput, '-o', proof, '--json']);

// In-process verification in a fresh process: first call, second call, then the best of 10.
const inProcess = `
const [sdkPath, proofPath, elfPath, inputPath] = process.argv.slice(1);
const { readFileSync } = await import('node:fs');
const t0 = performance.now();
const sdk = await import(sdkPath);
const t1 = performance.now();
const zkvm = sdk.createZkvm();
const t2 = performance.now();
const file = readFileSync(proofPath), elf = readFileSync(elfPath), publicInput = readFileSync(inputPath);
const times = [];
for (let i = 0; i < 12; i++) {
  const s = performance.now();
  zkvm.verifyFile(file, elf, { publicInput });
  times.push(performance.now() - s);
}
console.log(JSON.stringify({ load: t1 - t0, create: t2 - t1, first: times[0], second: times[1], warm: Math.min(...times.slice(2)) }));
`;

const results = new Map(checkouts.map(([name]) => [name, {}]));
const add = (name, key, v) => {
  const r = results.get(name);
  if (r[key] === undefined) r[key] = [];
  r[key].push(v);
};
for (let i = 0; i < runs; i++) {
  for (const [name, root] of checkouts) {
    add(
      name,
      'verify',
      timed([cli(root), 'verify', proof, '--elf', fib, '--public-input', fibInput]).ms,
    );
    const sdk = join(root, 'packages/sdk/dist/index.js');
    const r = JSON.parse(
      timed(['--input-type=module', '-e', inProcess, sdk, proof, fib, fibInput]).stdout,
    );
    for (const k of ['load', 'create', 'first', 'second', 'warm']) add(name, `sdk ${k}`, r[k]);
  }
}
for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
  for (const [k, [name, root]] of checkouts.entries()) {
    const out = join(dir, `fib-${k}-${i}.proof`);
    add(
      name,
      'prove fib',
      timed([cli(root), 'prove', fib, '--public-input', fibInput, '-o', out, '--json']).ms,
    );
    const shaOut = join(dir, `sha-${k}-${i}.proof`);
    add(
      name,
      'prove sha256 64 B',
      timed([cli(root), 'prove', sha, '--public-input', shaInput, '-o', shaOut, '--json']).ms,
    );
  }
}
// Every checkout's fib proof must be the one verified above, byte for byte.
const same = checkouts.every((_, k) =>
  readFileSync(join(dir, `fib-${k}-0.proof`)).equals(readFileSync(proof)),
);
console.log(
  `fixed cost, ${runs} runs, Node ${process.version}; the fib proof is ${readFileSync(proof).length} bytes${same ? '' : ' (PROOFS DIFFER)'}`,
);
for (const key of Object.keys(results.get('this checkout'))) {
  console.log(
    `${key.padEnd(18)} ${checkouts.map(([name]) => `${name}: ${fmt(results.get(name)[key])}`).join(' | ')}`,
  );
}
