// zkVM benchmark: proves the bundled sort guest at growing sizes with the standard security
// config and reports cycles/s, peak memory, proof size, verification time and where the time
// goes. Run from the repository root:
//   pnpm --filter @nexus/bench bench                 (sizes 2^14, 2^16, 2^18 cycles)
//   pnpm --filter @nexus/bench bench -- 2000 20000   (explicit sort sizes n)
// One core (Node is single-threaded here), after `pnpm build`.
import { readFileSync } from 'node:fs';
import { encodeProofWithLayout } from '@nexus/kernel';
import { createZkvm } from '@nexus/sdk';

const elf = readFileSync(new URL('../guests/bin/sort.elf', import.meta.url));
const u32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const input = (n) => Uint8Array.from([...u32(n), ...u32(7)]);
const zkvm = createZkvm();

// sort's cycle count grows a little faster than n: find n for a target cycle count.
function nFor(cycles) {
  let lo = 1;
  let hi = 1 << 20;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (zkvm.run(elf, { publicInput: input(mid) }).cycles < cycles) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const args = process.argv
  .slice(2)
  .map(Number)
  .filter((x) => x > 0);
const sizes = args.length ? args : [2 ** 14, 2 ** 16, 2 ** 18].map(nFor);
console.log(
  `node ${process.version}, ${new Date().toISOString()}, guest sort.elf, security ${zkvm.security.name}`,
);
for (const n of sizes) {
  const publicInput = input(n);
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  const timings = {};
  let t = performance.now();
  const result = zkvm.prove(elf, { publicInput }, { timings });
  const proveMs = performance.now() - t;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const file = zkvm.proofFile(result);
  const { sections } = encodeProofWithLayout(result.proof);
  const verifyTimes = [];
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    zkvm.verifyFile(file, elf);
    verifyTimes.push(performance.now() - t);
  }
  const cps = result.cycles / (proveMs / 1000);
  const phases = Object.entries(timings)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`)
    .join(', ');
  const largest = Object.entries(result.components)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([k, v]) => `${k} 2^${v}`)
    .join(', ');
  const openings = sections
    .filter((s) => /tree|FRI layer/.test(s.name))
    .reduce((a, s) => a + s.end - s.start, 0);
  console.log(
    `n=${n}: ${result.cycles} cycles, prove ${(proveMs / 1000).toFixed(1)} s (${cps.toFixed(0)} cycles/s), peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB, proof ${(file.length / 1024).toFixed(0)} KiB (openings ${(openings / 1024).toFixed(0)} KiB), verify ${verifyTimes.map((v) => v.toFixed(0)).join('/')} ms`,
  );
  console.log(`   phases: ${phases}`);
  console.log(`   largest components: ${largest}`);
}
