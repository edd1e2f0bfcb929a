// Microbenchmark of each WebAssembly kernel against its TypeScript reference in @nexus/field,
// same inputs, same process: elements (rows) per second, median of 7 runs after warm-up.
// The wasm figures include copying the columns into linear memory and back (the API copies).
//   pnpm --filter @nexus/kernels-wasm bench            (after pnpm build; log sizes 16 20)
//   node bench/kernels.bench.js 18
import {
  evaluateUnchecked,
  interpolateInPlace,
  qm31ColumnBatchInverse,
  qm31ColumnLinearCombination,
  qm31ColumnMul,
  qm31ColumnScaleAdd,
} from '@nexus/field';
import { wasmKernels } from '@nexus/kernels-wasm';

if (!wasmKernels) throw new Error('the wasm kernels are not available in this runtime');
const k = wasmKernels;
const P = 0x7fffffff;

function randomColumn(n, seed) {
  const out = new Uint32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) % P;
  }
  return out;
}
const qcol = (n, seed) => [0, 1, 2, 3].map((c) => randomColumn(n, seed + c));

function median(f, setup) {
  const times = [];
  for (let i = 0; i < 9; i++) {
    const args = setup();
    const t = performance.now();
    f(args);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[4];
}

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
console.log(`node ${process.version}, ${new Date().toISOString()}`);
console.log('| kernel | log n | TypeScript | wasm SIMD (copies included) | speed-up |');
console.log('|---|---|---|---|---|');
for (const log of sizes.length ? sizes : [16, 20]) {
  const n = 2 ** log;
  const alphas = Array.from({ length: 8 }, (_, i) => [i + 1, 3 * i + 7, 11, 5 * i]);
  const base = Array.from({ length: 8 }, (_, i) => randomColumn(n, 100 + i));
  const cases = [
    [
      'interpolate (circle IFFT)',
      () => () => randomColumn(n, 1),
      interpolateInPlace,
      k.interpolateInPlace,
    ],
    [
      'evaluate 2x (LDE)',
      () => () => randomColumn(n, 2),
      (c) => evaluateUnchecked(c, log + 1),
      (c) => k.evaluateUnchecked(c, log + 1),
    ],
    [
      'QM31 column mul',
      () => () => [qcol(n, 3), qcol(n, 9)],
      ([a, b]) => qm31ColumnMul(a, b, a),
      ([a, b]) => k.qm31ColumnMul(a, b, a),
    ],
    [
      'QM31 column scaleAdd',
      () => () => [qcol(n, 3), qcol(n, 9)],
      ([a, b]) => qm31ColumnScaleAdd(a, b, [1, 2, 3, 4]),
      ([a, b]) => k.qm31ColumnScaleAdd(a, b, [1, 2, 3, 4]),
    ],
    [
      'QM31 batch inverse',
      () => () => qcol(n, 5),
      (a) => qm31ColumnBatchInverse(a),
      (a) => k.qm31ColumnBatchInverse(a),
    ],
    [
      'linear combination of 8 columns',
      () => () => [0, 1, 2, 3].map(() => new Uint32Array(n)),
      (o) => qm31ColumnLinearCombination(base, alphas, [1, 2, 3, 4], o),
      (o) => k.qm31ColumnLinearCombination(base, alphas, [1, 2, 3, 4], o),
    ],
  ];
  // What the copies alone cost: a QM31 product's 8 columns in and 4 out of a separate buffer
  // (the same memcpy the kernels do into linear memory), against the kernel call above.
  const arena = new Uint32Array(12 * n);
  const copies = median(
    ([a, b]) => {
      for (let c = 0; c < 4; c++) arena.set(a[c], c * n);
      for (let c = 0; c < 4; c++) arena.set(b[c], (4 + c) * n);
      for (let c = 0; c < 4; c++) a[c].set(arena.subarray(c * n, (c + 1) * n));
    },
    () => [qcol(n, 3), qcol(n, 9)],
  );
  console.log(
    `| (copies of a QM31 product: 8 columns in, 4 out) | ${log} | | ${copies.toFixed(2)} ms | |`,
  );
  for (const [name, setup, ts, wasm] of cases) {
    const tTs = median(ts, setup());
    const tWasm = median(wasm, setup());
    const rate = (t) => `${t.toFixed(2)} ms, ${(n / t / 1e3).toFixed(0)} M/s`;
    console.log(
      `| ${name} | ${log} | ${rate(tTs)} | ${rate(tWasm)} | ${(tTs / tWasm).toFixed(1)}x |`,
    );
  }
}
