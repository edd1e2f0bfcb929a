// VM benchmarks: pass 1 (the `run` path) side by side with qemu-riscv32 on the same ELF, and
// pass 2 (records) speed and size. Run from the repository root (after pnpm build):
//   pnpm --filter @nexus/vm bench
// One core, the long-running guest guests/bin/long.elf (about 1.66 * 10^7 instructions a round).
// `-- --vm=PATH` measures another build of the VM (its dist/index.js, e.g. one built in a
// worktree of an earlier commit) with this same script: before/after figures of one session.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const vmArg = process.argv.find((a) => a.startsWith('--vm='));
const vm = await import(
  vmArg === undefined ? '@nexus/vm' : pathToFileURL(resolve(vmArg.slice(5))).href
);
const { deriveLayout, execute, generateRecords, loadElf, recordSegments } = vm;

const elfPath = fileURLToPath(new URL('../../../guests/bin/long.elf', import.meta.url));
const elf = new Uint8Array((await import('node:fs')).readFileSync(elfPath));
const u32le = (n) => new Uint8Array(Uint32Array.of(n).buffer);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gc = () => globalThis.gc?.();

const PASS1_ROUNDS = 32;
const PASS2_ROUNDS = 1;
const RUNS = 5;

// ---- pass 1 ------------------------------------------------------------------------------
const pass1Input = u32le(PASS1_ROUNDS);
const pass1 = [];
let cycles1 = 0;
for (let i = 0; i < RUNS + 1; i++) {
  // A fresh program each time: block compilation is part of every measured run.
  const program = loadElf(elf);
  const t0 = performance.now();
  const r = execute(program, { publicInput: pass1Input, maxCycles: 2 ** 40 });
  pass1.push(performance.now() - t0);
  cycles1 = r.cycles;
}
const firstMs = pass1[0];
const pass1Ms = median(pass1.slice(1));

// ---- qemu-riscv32 on the same ELF and input ----------------------------------------------------
let qemuMs = null;
const probe = spawnSync('qemu-riscv32', ['--version']);
if (probe.error === undefined && probe.status === 0) {
  const pub = join(tmpdir(), `nexus-bench-${process.pid}.in`);
  writeFileSync(pub, pass1Input);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const fd = openSync(pub, 'r');
    const t0 = performance.now();
    const q = spawnSync('qemu-riscv32', [elfPath], { stdio: ['ignore', 'ignore', 'ignore', fd] });
    times.push(performance.now() - t0);
    closeSync(fd);
    if (q.status !== 0) throw new Error(`qemu-riscv32 exited with ${q.status}`);
  }
  qemuMs = median(times);
}

// ---- pass 2 ------------------------------------------------------------------------------
const pass2Input = u32le(PASS2_ROUNDS);
const run = execute(elf, { publicInput: pass2Input });
const layout = deriveLayout(run.stats);
const pass2 = [];
let bytesPerCycle = 0;
let recordMb = 0;
for (let i = 0; i < 3; i++) {
  gc();
  const t0 = performance.now();
  const rec = generateRecords(elf, layout, { publicInput: pass2Input });
  pass2.push(performance.now() - t0);
  bytesPerCycle = rec.byteLength / rec.cycles;
  recordMb = rec.byteLength / 2 ** 20;
}
const pass2Ms = median(pass2);

// Pass 2 as `nexus prove` runs it: segments of 2^19 cycles, one set of record buffers reused.
const SEGMENT = 2 ** 19;
const segmented = [];
for (let i = 0; i < 3; i++) {
  gc();
  const t0 = performance.now();
  const options = { publicInput: pass2Input, segmentCycles: SEGMENT, reuseBuffers: true };
  let cycles = 0;
  for (const records of recordSegments(elf, layout, options)) cycles = records.cycles;
  segmented.push(performance.now() - t0);
  if (cycles !== run.cycles) throw new Error(`segments ended at ${cycles}, not ${run.cycles}`);
}
const segmentedMs = median(segmented);
const peakRssMb = process.resourceUsage().maxRSS / 1024;

const mips = (c, ms) => (c / ms / 1e3).toFixed(1);
const lines = [
  [
    `pass 1, long.elf x${PASS1_ROUNDS} (${cycles1.toLocaleString('en-US')} instr), first run`,
    `${firstMs.toFixed(0)} ms`,
    `${mips(cycles1, firstMs)} MIPS`,
  ],
  [
    `pass 1, same, median of ${RUNS} fresh runs`,
    `${pass1Ms.toFixed(0)} ms`,
    `${mips(cycles1, pass1Ms)} MIPS`,
  ],
];
if (qemuMs !== null) {
  lines.push([
    `qemu-riscv32, same ELF and input, median of ${RUNS}`,
    `${qemuMs.toFixed(0)} ms`,
    `${mips(cycles1, qemuMs)} MIPS`,
  ]);
  lines.push(['pass 1 / qemu speed ratio', (qemuMs / pass1Ms).toFixed(2), '']);
} else {
  lines.push(['qemu-riscv32', 'not installed (apt-get install qemu-user)', '']);
}
lines.push([
  `pass 2 (records), long.elf x${PASS2_ROUNDS} (${run.cycles.toLocaleString('en-US')} instr), median of 3`,
  `${pass2Ms.toFixed(0)} ms`,
  `${mips(run.cycles, pass2Ms)} MIPS`,
]);
lines.push([
  `pass 2, same, in 2^19-cycle segments reusing buffers (nexus prove), median of 3`,
  `${segmentedMs.toFixed(0)} ms`,
  `${mips(run.cycles, segmentedMs)} MIPS`,
]);
lines.push([
  'pass 2 records size',
  `${bytesPerCycle.toFixed(1)} B/cycle`,
  `${recordMb.toFixed(0)} MiB of records; peak RSS ${peakRssMb.toFixed(0)} MiB`,
]);
for (const [name, a, b] of lines) console.log(`${name.padEnd(72)} ${a.padStart(12)}  ${b}`);
