// Merkle layer hashing, the prover's hot path: the WebAssembly SIMD Blake2s (four nodes per
// step, @nexus/kernels-wasm) against the unrolled JS compression, same inputs, same process.
// Median of 7 after warm-up; compressions/s counts 64-byte blocks.
//   pnpm --filter @nexus/hash-blake2s bench      (after pnpm build)
import { createBlake2sBackend } from '@nexus/hash-blake2s';

const wasm = createBlake2sBackend();
const ts = createBlake2sBackend({ kernels: 'typescript' });

function median(f) {
  const times = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[4];
}

console.log(`node ${process.version}, ${new Date().toISOString()}`);
console.log('| layer | nodes | blocks/node | JS | wasm SIMD (copies included) | speed-up |');
console.log('|---|---|---|---|---|---|');
const cases = [
  ['leaves, 8 columns', 2 ** 18, 8, false],
  ['leaves, 100 columns', 2 ** 16, 100, false],
  ['inner nodes, no columns', 2 ** 18, 0, true],
  ['inner nodes, 4 columns', 2 ** 18, 4, true],
];
for (const [name, count, nCols, inner] of cases) {
  const columns = Array.from({ length: nCols }, (_, c) =>
    Uint32Array.from({ length: count }, (_, j) => (j * 2654435761 + c) % 2147483647),
  );
  const children = inner ? Uint32Array.from({ length: 16 * count }, (_, i) => i * 40503) : null;
  const blocks = Math.max(1, Math.ceil(((inner ? 16 : 0) + nCols) / 16));
  const a = wasm.merkleLayer(count, children, columns);
  const b = ts.merkleLayer(count, children, columns);
  if (!a.every((v, i) => v === b[i])) throw new Error(`${name}: the two paths differ`);
  const tTs = median(() => ts.merkleLayer(count, children, columns));
  const tWasm = median(() => wasm.merkleLayer(count, children, columns));
  const rate = (t) => `${t.toFixed(1)} ms, ${((count * blocks) / t / 1e3).toFixed(2)} M blocks/s`;
  console.log(
    `| ${name} | ${count} | ${blocks} | ${rate(tTs)} | ${rate(tWasm)} | ${(tTs / tWasm).toFixed(1)}x |`,
  );
}
