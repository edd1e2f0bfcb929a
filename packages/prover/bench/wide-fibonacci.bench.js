// Wide Fibonacci benchmark: prove time, verify time, proof size, peak memory.
// Run from the repository root: pnpm --filter @nexus/prover bench [-- <logSizes...>]
// (after pnpm build). Standard security config, one core.
import { blake2s } from '@nexus/hash-blake2s';
import {
  assembleSystem,
  defineRelation,
  encodeProof,
  freeSize,
  makeStatement,
} from '@nexus/kernel';
import { prove } from '@nexus/prover';
import { verify } from '@nexus/verifier';

const WIDTH = Number(process.env.WIDTH ?? 100);
const logSizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const sizes = logSizes.length ? logSizes : [16, 18, 20];
const P = 2147483647;
const mul = (a, b) => Number((BigInt(a) * BigInt(b)) % BigInt(P));
const fibInput = defineRelation('fib_input', 2);
const le32 = (v) => new Uint8Array(new Uint32Array([v]).buffer);

const columns = Array.from({ length: WIDTH }, (_, i) => `c${i}`);
const component = {
  name: 'wide-fib',
  version: '1.0.0',
  columns,
  // The bench proves it at the sizes it is given: rows the prover chooses, up to 2^24.
  size: freeSize(24),
  evaluate(e) {
    const c = columns.map(() => e.next());
    for (let i = 0; i + 2 < WIDTH; i++)
      e.constraint(c[i + 2].sub(c[i].mul(c[i]).add(c[i + 1].mul(c[i + 1]))), `c${i + 2}`);
    e.use(fibInput, [c[0], c[1]], e.preprocessed('is_first'));
  },
};
const plugin = {
  name: 'bench-wide-fib',
  version: '1.0.0',
  apply(host) {
    host.hooks.components.tap('bench-wide-fib', (r) => r.add(component));
    host.hooks.boundary.tap('bench-wide-fib', (r) =>
      r.add((s) => [
        {
          relation: fibInput,
          values: [
            new DataView(s.publicData.a.buffer).getUint32(0, true),
            new DataView(s.publicData.b.buffer).getUint32(0, true),
          ],
          multiplicity: -1,
        },
      ]),
    );
  },
};

function trace(logSize, a, b) {
  const n = 2 ** logSize;
  const cols = columns.map(() => new Uint32Array(n));
  for (let r = 0; r < n; r++) {
    let x = (a + r) % P;
    let y = b;
    cols[0][r] = x;
    cols[1][r] = y;
    for (let i = 2; i < WIDTH; i++) {
      // small-number fast path is not needed: this is setup, not measured
      const z = (mul(x, x) + mul(y, y)) % P;
      cols[i][r] = z;
      x = y;
      y = z;
    }
  }
  return { logSize, columns: cols };
}

const system = assembleSystem([blake2s(), plugin]);
const statement = makeStatement({ a: le32(1), b: le32(1) });
console.log(
  `node ${process.version}, ${new Date().toISOString()}, width ${WIDTH}, config standard`,
);
for (const logSize of sizes) {
  const t = trace(logSize, 1, 1);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const timings = {};
  let start = performance.now();
  const proof = prove(system, { statement, traces: { 'wide-fib': t } }, { timings });
  const proveMs = performance.now() - start;
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(timer);
  const bytes = encodeProof(proof);
  // verify a few times; report the median (the first run also commits the preprocessed columns)
  const vt = [];
  for (let i = 0; i < 5; i++) {
    start = performance.now();
    verify(system, bytes, statement);
    vt.push(performance.now() - start);
  }
  vt.sort((x, y) => x - y);
  const phases = Object.entries(timings)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}s`)
    .join(', ');
  console.log(
    `2^${logSize} rows: prove ${(proveMs / 1000).toFixed(2)} s, verify ${vt[2].toFixed(1)} ms (first ${vt[0] === vt[2] ? vt[0].toFixed(1) : Math.max(...vt).toFixed(1)} ms), proof ${(bytes.length / 1024).toFixed(1)} KiB, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(`   phases: ${phases}`);
}
