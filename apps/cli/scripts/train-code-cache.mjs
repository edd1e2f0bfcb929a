// The build's training run for the bundle's code cache (src/bundle-loader.ts): proves fib at
// the standard security level (what `nexus prove` runs by default: proof of work, every FRI
// step) and verifies the proof, in one process, then writes the cache.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundle } from '../dist/bundle-loader.js';

const fib = fileURLToPath(new URL('../../../guests/bin/fib.elf', import.meta.url));
if (!existsSync(fib)) throw new Error(`no ${fib} to train on`);
const dir = mkdtempSync(join(tmpdir(), 'nexus-code-cache-'));
try {
  const input = join(dir, 'n.bin');
  const proof = join(dir, 'fib.proof');
  writeFileSync(input, Uint8Array.of(30, 0, 0, 0));
  const { cli, writeCache } = loadBundle({ produceCache: true });
  const io = { ...cli.nodeIo(), stdout: () => {}, stderr: () => {} };
  const run = async (argv) => {
    const code = await cli.main(argv, io);
    if (code !== 0) throw new Error(`nexus ${argv[0]} exited with ${code}`);
  };
  await run(['prove', fib, '--public-input', input, '-o', proof, '--json']);
  await run(['verify', proof, '--elf', fib, '--public-input', input, '--json']);
  writeCache();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
