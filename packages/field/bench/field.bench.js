// Field benchmarks: M31 column multiplication and circle FFT (interpolate + evaluate).
// Run from the repository root: pnpm --filter @nexus/field bench   (after pnpm build)
// Pure TypeScript compiled to JS, one core. Prints one line per measurement.
import { columnMul, evaluateInPlace, interpolateInPlace, P } from '@nexus/field';

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

/** Median of `runs` timings of fn, after `warmup` untimed calls, in milliseconds. */
function time(fn, runs = 7, warmup = 3) {
  for (let i = 0; i < warmup; i++) fn();
  const t = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

const results = [];
{
  const n = 1 << 20;
  const a = randomColumn(n, 1);
  const b = randomColumn(n, 2);
  const out = new Uint32Array(n);
  const ms = time(() => columnMul(a, b, out), 15, 5);
  results.push({
    name: 'M31 column multiply, 2^20 elements',
    ms,
    rate: `${(n / ms / 1e3).toFixed(0)} M mul/s`,
  });
}
for (const log of [16, 18, 20, 22]) {
  const n = 2 ** log;
  const original = randomColumn(n, log);
  const work = new Uint32Array(n);
  // Warm the twiddle cache once (computed once per size in real use).
  interpolateInPlace(work.fill(0));
  const ms = time(
    () => {
      work.set(original);
      interpolateInPlace(work);
      evaluateInPlace(work);
    },
    log >= 22 ? 3 : 7,
    log >= 22 ? 1 : 3,
  );
  for (let i = 0; i < n; i++) if (work[i] !== original[i]) throw new Error('FFT round trip failed');
  results.push({
    name: `circle FFT interpolate + evaluate, 2^${log}`,
    ms,
    rate: `${((n * log) / ms / 1e3).toFixed(0)} M butterflies/s`,
  });
}
console.log(`node ${process.version}, ${new Date().toISOString()}`);
for (const r of results)
  console.log(`${r.name.padEnd(44)} ${r.ms.toFixed(1).padStart(9)} ms   ${r.rate}`);
