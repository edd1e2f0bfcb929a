// Hash backend benchmark: proves the bundled sort guest at ~2^16 and ~2^18 cycles with each hash
// backend (Blake2s, BLAKE3, Poseidon2 over M31) at the standard security config, and reports
// prove time, verify time (first and warm), proof file size and the hash-heavy phases. Run from
// the repository root, after `pnpm build`:
//   pnpm --filter @nexus/bench bench:hash                    (all backends, 2^16 and 2^18)
//   pnpm --filter @nexus/bench bench:hash -- poseidon2 16    (one backend, one size: log2 cycles)
// One core (Node is single-threaded here). Timings are one proof each: compare backends within
// one run, on one machine.
import { readFileSync } from 'node:fs';
import { createZkvm, HASH_NAMES } from '@nexus/sdk';

const elf = readFileSync(new URL('../guests/bin/sort.elf', import.meta.url));
const u32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const input = (n) => Uint8Array.from([...u32(n), ...u32(7)]);

const args = process.argv.slice(2);
const hashes = HASH_NAMES.filter((h) => args.length === 0 || args.includes(h));
const logs = args.map(Number).filter((x) => x > 0);
const logSizes = logs.length ? logs : [16, 18];

// sort's cycle count grows a little faster than n: find n for a target cycle count.
const probe = createZkvm();
function nFor(cycles) {
  let lo = 1;
  let hi = 1 << 20;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (probe.run(elf, { publicInput: input(mid) }).cycles < cycles) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

console.log(
  `node ${process.version}, ${new Date().toISOString()}, guest sort.elf, security standard`,
);
console.log(
  '| backend | cycles | prove | verify (first / warm) | proof file | main tree | FRI | proof of work |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const log of logSizes) {
  const n = nFor(2 ** log);
  const publicInput = input(n);
  for (const hash of hashes) {
    const zkvm = createZkvm({ hash });
    global.gc?.();
    const timings = {};
    let t = performance.now();
    const result = zkvm.prove(elf, { publicInput }, { timings });
    const proveMs = performance.now() - t;
    const file = zkvm.proofFile(result);
    t = performance.now();
    zkvm.verifyFile(file, elf);
    const first = performance.now() - t;
    t = performance.now();
    zkvm.verifyFile(file, elf);
    const warm = performance.now() - t;
    const s = (ms) => `${((ms ?? 0) / 1000).toFixed(2)} s`;
    console.log(
      `| ${hash} (${zkvm.system.hash.id}) | ${result.cycles.toLocaleString('en-US')} (sort n = ${n}) | ${s(proveMs)} | ${first.toFixed(0)} / ${warm.toFixed(0)} ms | ${(file.length / 1024).toFixed(1)} KiB | ${s(timings.main)} | ${s(timings.fri)} | ${s(timings['proof-of-work'])} |`,
    );
  }
}
