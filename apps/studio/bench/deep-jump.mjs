// How long the constraint view takes to reach a window deep in a long run: pass 2 from cycle 0
// (the reference: what a jump cost before pass-2 checkpoints, and what the first one still
// costs) against pass 2 from the nearest checkpoint, then the whole window build (traces) both
// ways. Needs `pnpm build` (apps/studio/lib). Usage: node bench/deep-jump.mjs [guest] [cycle]
import { readFileSync } from 'node:fs';
import { createZkvm } from '@nexus/sdk';
import { deriveLayout, execute, loadElf, Pass2Checkpoints, recordSegments } from '@nexus/vm';
import { PASS2_CHECKPOINT_WINDOWS, TraceBuilder, WINDOW_CYCLES } from '../lib/trace-window.js';

const name = process.argv[2] ?? 'long';
const cycle = Number(process.argv[3] ?? 10_000_000);
const elf = loadElf(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));
const zkvm = createZkvm();
const inputs = { publicInput: new Uint8Array(0), privateInput: new Uint8Array(0) };
const options = zkvm.runOptions(inputs);
const layout = deriveLayout(execute(elf, options).stats);
const index = Math.floor((cycle - 1) / WINDOW_CYCLES);
const time = (f) => {
  const t = performance.now();
  const v = f();
  return [performance.now() - t, v];
};
const pass2To = (k, checkpoints) => {
  for (const r of recordSegments(elf, layout, {
    ...options,
    segmentCycles: WINDOW_CYCLES,
    ...(checkpoints ? { checkpoints, fromSegment: k } : {}),
  }))
    if (r.segment.index === k) return r;
};
const ms = (x) => `${(x / 1000).toFixed(2)} s`;
const [reference] = time(() => pass2To(index));
const store = new Pass2Checkpoints(PASS2_CHECKPOINT_WINDOWS);
const [first] = time(() => pass2To(index, store));
const [again] = time(() => pass2To(index, store));
const [back] = time(() => pass2To(index >> 1, store));
console.log(`${name}, window ${index} (cycle ${cycle}), pass 2 only:`);
console.log(`  from cycle 0 (reference)             ${ms(reference)}`);
console.log(
  `  from 0, taking checkpoints            ${ms(first)}  (${store.count} checkpoints, ${(store.storedBytes() / 2 ** 20).toFixed(1)} MiB)`,
);
console.log(`  from the checkpoint, same window      ${ms(again)}`);
console.log(`  from a checkpoint, window ${index >> 1}          ${ms(back)}`);
const builder = new TraceBuilder(zkvm, elf, inputs);
const [build0] = time(() => builder.windowFor(cycle));
const [build1] = time(() => builder.windowFor(cycle + 3 * WINDOW_CYCLES));
const [build2] = time(() => builder.windowFor(cycle >> 1));
console.log('the constraint view (TraceBuilder.windowFor: pass 2 and every trace):');
console.log(`  first jump to cycle ${cycle} (from 0)       ${ms(build0)}`);
console.log(`  then cycle ${cycle + 3 * WINDOW_CYCLES} (3 windows on)  ${ms(build1)}`);
console.log(`  then cycle ${cycle >> 1} (back)            ${ms(build2)}`);
// What the check worker does while idle: checkpoints through the whole run, a step at a time.
const prepared = new TraceBuilder(zkvm, elf, inputs);
let steps = 0;
let longest = 0;
const [prep] = time(() => {
  for (;;) {
    const [t, more] = time(() => prepared.prepareAhead());
    steps++;
    longest = Math.max(longest, t);
    if (!more) break;
  }
});
console.log(
  `prepared while idle: the whole run (${builder.windowCount} windows) in ${steps} steps, ${ms(prep)} (longest step ${(longest * 1).toFixed(0)} ms), ${(prepared.checkpointBytes() / 2 ** 20).toFixed(1)} MiB`,
);
const [jump] = time(() => prepared.windowFor(cycle));
console.log(`  then a first jump to cycle ${cycle}        ${ms(jump)}`);
