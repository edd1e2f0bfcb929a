// zkVM benchmark: proves the bundled sort guest at growing sizes with the standard security
// config and reports cycles/s, peak memory, proof size, verification time and where the time
// goes. Run from the repository root:
//   pnpm --filter @nexus/bench bench                 (sizes 2^14, 2^16, 2^18 cycles)
//   pnpm --filter @nexus/bench bench -- 2000 20000   (explicit sort sizes n)
//   pnpm --filter @nexus/bench bench -- --reference  (each proof also all in TypeScript: the
//                                                     prover's reference path and the JS
//                                                     Blake2s, checked byte-identical)
// One core (Node is single-threaded here), after `pnpm build`. The small statements (fib, the
// plain C SHA-256 of 64 bytes) come first: their time is the per-proof floor.
import { readFileSync } from 'node:fs';
import { NAME as BLAKE2S, blake2s } from '@nexus/hash-blake2s';
import { encodeProofWithLayout } from '@nexus/kernel';
import { wasmUnavailableReason } from '@nexus/kernels-wasm';
import { createZkvm, defaultPlugins } from '@nexus/sdk';

const elf = readFileSync(new URL('../guests/bin/sort.elf', import.meta.url));
const u32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const input = (n) => Uint8Array.from([...u32(n), ...u32(7)]);
const zkvm = createZkvm();
// The all-TypeScript yardstick for --reference: the prover's reference path (no WebAssembly
// kernels, every constraint compiled) with the hash backend's JS Merkle layers.
const typescriptZkvm = createZkvm({
  plugins: defaultPlugins().map((p) =>
    p.name === BLAKE2S ? blake2s({ kernels: 'typescript' }) : p,
  ),
});

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

const withReference = process.argv.includes('--reference');
// One STARK proof per statement, as the figures in bench/README.md were measured (the SDK cuts
// runs over 2^19 cycles into segments by default): --segment-cycles=N to measure segments.
const segmentArg = process.argv.find((a) => a.startsWith('--segment-cycles='));
const segmentCycles = segmentArg === undefined ? 2 ** 26 : Number(segmentArg.split('=')[1]);
const args = process.argv
  .slice(2)
  .map(Number)
  .filter((x) => x > 0);
const sizes = args.length ? args : [2 ** 14, 2 ** 16, 2 ** 18].map(nFor);
console.log(
  `node ${process.version}, ${new Date().toISOString()}, guest sort.elf, security ${zkvm.security.name}, kernels ${wasmUnavailableReason === null ? 'WebAssembly SIMD' : `TypeScript (${wasmUnavailableReason})`}`,
);

/** Proves once on the default path (and the reference path with --reference): ms, result. */
function proveTimed(guestElf, publicInput, options = {}) {
  const t = performance.now();
  const result = zkvm.prove(guestElf, { publicInput }, { segmentCycles, ...options });
  return { ms: performance.now() - t, result };
}

/**
 * With --reference, proves the same statement all in TypeScript twice: the default path with
 * the TypeScript kernels (the default path before the WebAssembly kernels) and the reference
 * path; both must give the fast path's proof, byte for byte.
 */
function compareReference(guestElf, publicInput, fast) {
  if (!withReference) return '';
  const timed = (options) => {
    const t = performance.now();
    const result = typescriptZkvm.prove(guestElf, { publicInput }, { segmentCycles, ...options });
    const ms = performance.now() - t;
    const same = Buffer.from(zkvm.proofFile(result)).equals(zkvm.proofFile(fast.result));
    if (!same)
      throw new Error(`the TypeScript run (${JSON.stringify(options)}) gave another proof`);
    return `${(ms / 1000).toFixed(2)} s (${(ms / fast.ms).toFixed(2)}x)`;
  };
  const ts = timed({ kernels: 'typescript' });
  const ref = timed({ reference: true });
  return `; TypeScript default path ${ts}, reference path ${ref}, same proofs`;
}

// Small statements: the floor every proof pays. Each proven three times (the median).
const small = [
  ['fib.elf n=90', readFileSync(new URL('../guests/bin/fib.elf', import.meta.url)), u32(90)],
  [
    'sha256.elf (plain C) 64 B',
    readFileSync(new URL('../guests/bin/sha256.elf', import.meta.url)),
    new Uint8Array(64).map((_, i) => i),
  ],
];
if (args.length === 0) {
  for (const [name, guestElf, publicInput] of small) {
    const runs = [0, 1, 2].map(() => proveTimed(guestElf, Uint8Array.from(publicInput)));
    const median = runs.sort((a, b) => a.ms - b.ms)[1];
    const size = zkvm.proofFile(median.result).length;
    console.log(
      `${name}: ${median.result.cycles} cycles, prove ${runs.map((r) => (r.ms / 1000).toFixed(2)).join('/')} s (median ${(median.ms / 1000).toFixed(2)} s), proof ${(size / 1024).toFixed(0)} KiB${compareReference(guestElf, Uint8Array.from(publicInput), median)}`,
    );
  }
}

for (const n of sizes) {
  const publicInput = input(n);
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  const timings = {};
  const fast = proveTimed(elf, publicInput, { timings });
  const { result } = fast;
  const proveMs = fast.ms;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const file = zkvm.proofFile(result);
  const { sections } = encodeProofWithLayout(result.proof);
  const verifyTimes = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
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
  if (withReference) console.log(`   ${compareReference(elf, publicInput, fast).slice(2)}`);
}
