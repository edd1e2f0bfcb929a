// Precompile benchmark: hashing the public input in plain C against the same hash through the
// precompile (sha256_compress 0x1001; keccakf 0x1002 when its guests are built), both proven in
// the same run with the default build at the standard security config. Reports cycles, rows
// (padded, all components), main-trace cells, prove time, proof size and verify time, and the
// plain/precompile ratios. Run from the repository root, after `pnpm build`:
//   pnpm --filter @nexus/bench bench:precompile              (64 B, 1 KiB, 16 KiB)
//   pnpm --filter @nexus/bench bench:precompile -- 1024      (explicit sizes in bytes)
//   pnpm --filter @nexus/bench bench:precompile -- sha256 64 1024   (one hash only)
import { existsSync, readFileSync } from 'node:fs';
import { bundledPlugins, createZkvm } from '@nexus/sdk';

const guest = (name) => new URL(`../guests/bin/${name}.elf`, import.meta.url);
const args = process.argv.slice(2);
const only = args.filter((a) => !/^\d+$/.test(a));
const pairs = [
  ['sha256', 'sha256', 'sha256-precompile'],
  ['keccak256', 'keccak256', 'keccak256-precompile'],
].filter(
  ([hash, a, b]) =>
    (only.length === 0 || only.includes(hash)) && existsSync(guest(a)) && existsSync(guest(b)),
);
const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
const lengths = sizes.length ? sizes : [64, 1024, 16384];
// The default build and the Keccak precompile (left out of the default build).
const zkvm = createZkvm({ plugins: bundledPlugins() });
const columns = new Map(zkvm.system.components.map((c) => [c.name, c.component.columns.length]));

function measure(elf, publicInput) {
  // Small proofs are timed three times (the median): this shared machine's noise is larger
  // than their differences.
  const reps = zkvm.run(elf, { publicInput }).cycles < 200_000 ? 3 : 1;
  const times = [];
  let result;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = zkvm.prove(elf, { publicInput });
    times.push(performance.now() - t0);
  }
  const proveMs = times.sort((x, y) => x - y)[reps >> 1];
  const file = zkvm.proofFile(result);
  const t1 = performance.now();
  zkvm.verifyFile(file, elf);
  const verifyMs = performance.now() - t1;
  let rows = 0;
  let cells = 0;
  for (const [name, log] of Object.entries(result.components)) {
    rows += 2 ** log;
    cells += 2 ** log * columns.get(name);
  }
  return { cycles: result.cycles, rows, cells, proveMs, bytes: file.length, verifyMs };
}

console.log(
  `node ${process.version}, ${new Date().toISOString()}, security ${zkvm.security.name}, one core`,
);
const fmt = (m) =>
  `${m.cycles.toLocaleString('en')} cycles, ${m.rows.toLocaleString('en')} rows, ${(m.cells / 1e6).toFixed(2)} M cells, prove ${(m.proveMs / 1000).toFixed(1)} s, proof ${(m.bytes / 1024).toFixed(0)} KiB, verify ${m.verifyMs.toFixed(0)} ms`;
const ratio = (x, y) => (y > 0 ? `${(x / y).toFixed(1)}x` : 'n/a');
const minus = (a, b) => ({
  cycles: a.cycles - b.cycles,
  cells: a.cells - b.cells,
  proveMs: a.proveMs - b.proveMs,
});
// One proof first, not measured: the first proof of a process also compiles every component's
// constraints and warms the JIT, which would land on whichever guest came first.
if (pairs.length > 0) measure(readFileSync(guest(pairs[0][2])), new Uint8Array(0));
for (const [hash, plainName, preName] of pairs) {
  const plain = readFileSync(guest(plainName));
  const pre = readFileSync(guest(preName));
  const empty = new Uint8Array(0);
  const base = [measure(plain, empty), measure(pre, empty)];
  console.log(`${hash} of 0 B (the guests' fixed cost)`);
  console.log(`  plain C     ${fmt(base[0])}`);
  console.log(`  precompile  ${fmt(base[1])}`);
  for (const n of lengths) {
    const input = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 0xff);
    const a = measure(plain, input);
    const b = measure(pre, input);
    const da = minus(a, base[0]);
    const db = minus(b, base[1]);
    console.log(`${hash} of ${n} B`);
    console.log(`  plain C     ${fmt(a)}`);
    console.log(`  precompile  ${fmt(b)}`);
    console.log(
      `  plain/precompile, whole proof: cycles ${ratio(a.cycles, b.cycles)}, cells ${ratio(a.cells, b.cells)}, prove time ${ratio(a.proveMs, b.proveMs)}, proof size ${ratio(a.bytes, b.bytes)}`,
    );
    console.log(
      `  plain/precompile, the hash's own cost (minus 0 B): cycles ${da.cycles} / ${db.cycles} = ${ratio(da.cycles, db.cycles)}, cells ${(da.cells / 1e6).toFixed(2)} M / ${(db.cells / 1e6).toFixed(2)} M = ${ratio(da.cells, db.cells)}, prove time ${(da.proveMs / 1000).toFixed(1)} s / ${(db.proveMs / 1000).toFixed(1)} s`,
    );
  }
}
