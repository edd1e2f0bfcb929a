// The main job: prove and verify a bundled guest with the `nexus` CLI, as a user would (see
// the README's Quick start). fib computes fib(n) mod 2^64 for a public n; the proof shows that
// guests/bin/fib.elf, run on n, output exactly that value, at the default 96-bit security.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'apps', 'cli', 'bin', 'nexus.js');
const elf = 'guests/bin/fib.elf';
const n = 90;

const dir = mkdtempSync(join(tmpdir(), 'nexus-demo-'));
const u32 = (v) => new Uint8Array(Uint32Array.of(v).buffer);
const publicInput = join(dir, 'n.bin');
writeFileSync(publicInput, u32(n));
// What the verifier expects, computed here independently: fib(n) mod 2^64, u64 little-endian.
let [a, b] = [0n, 1n];
for (let i = 0; i < n; i++) [a, b] = [b, (a + b) % 2n ** 64n];
const expected = new Uint8Array(8);
new DataView(expected.buffer).setBigUint64(0, a, true);
const expectedOutput = join(dir, 'expected.bin');
writeFileSync(expectedOutput, expected);
const proof = join(dir, 'fib.proof');

function nexus(...args) {
  const shown = args.map((x) => (x.startsWith(dir) ? `$TMP/${relative(dir, x)}` : x));
  console.log(`\n$ nexus ${shown.join(' ')}`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\ndemo: nexus ${args[0]} failed (exit status ${r.status ?? r.signal})`);
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
}

console.log(`Proving that ${elf} computes fib(${n}) mod 2^64 ($TMP is ${dir})`);
nexus('prove', elf, '--public-input', publicInput, '-o', proof);
nexus(
  'verify',
  proof,
  '--elf',
  elf,
  '--public-input',
  publicInput,
  '--expect-output',
  expectedOutput,
);
console.log(`\nfib(${n}) = ${a}: proven (the public output is ${a} as u64 little-endian).`);
rmSync(dir, { recursive: true, force: true });
