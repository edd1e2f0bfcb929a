import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keccak256 } from '@nexus/precompile-keccak';
import { bundledPlugins, createZkvm } from '@nexus/sdk';
import { UnknownSyscallError } from '@nexus/vm';
import { afterAll, describe, expect, it } from 'vitest';
import { guest } from '../../src/guests.js';

// The Keccak-256 guests: plain C (guests/c/keccak256.c) and through the keccakf precompile
// (guests/c/keccak256-precompile.c, which falls back to software on qemu's -ENOSYS). The
// precompile is not in the default build: a build names it.
const elf = guest('keccak256-precompile');
const plain = guest('keccak256');
const zkvm = createZkvm({ plugins: bundledPlugins() });
const hasQemu = spawnSync('qemu-riscv32', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasQemu)
  console.warn('[skip] qemu-riscv32 not found: apt-get install -y qemu-user to compare with qemu');
const dir = mkdtempSync(join(tmpdir(), 'nexus-keccak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const message = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 29 + n) & 0xff);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('the keccak256 precompile guest', () => {
  it('hashes "" and "abc" to the published Keccak-256 digests', () => {
    expect(hex(zkvm.run(elf).publicOutput)).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    expect(hex(zkvm.run(elf, { publicInput: new TextEncoder().encode('abc') }).publicOutput)).toBe(
      '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
  });

  it.each([1, 135, 136, 137, 1000])('%i bytes: precompile = plain C = reference', (n) => {
    const m = message(n);
    const run = zkvm.run(elf, { publicInput: m });
    expect(hex(run.publicOutput)).toBe(hex(keccak256(m)));
    expect(run.stats.precompileRows.keccak).toBe(Math.floor(n / 136) + 1);
    expect(hex(zkvm.run(plain, { publicInput: m }).publicOutput)).toBe(hex(keccak256(m)));
  });

  it.skipIf(!hasQemu)('gives the same output on qemu (software fallback)', () => {
    const path = join(dir, 'guest.elf');
    writeFileSync(path, elf, { mode: 0o755 }); // qemu-user runs only executable files
    for (const n of [0, 200]) {
      const input = join(dir, `in${n}`);
      writeFileSync(input, message(n));
      const r = spawnSync('sh', ['-c', `qemu-riscv32 "${path}" 3<"${input}"`]);
      expect(r.status).toBe(0);
      expect(hex(new Uint8Array(r.stdout))).toBe(hex(keccak256(message(n))));
    }
  });

  it('proves and verifies; a forged output is rejected', () => {
    const m = new TextEncoder().encode('abc');
    const result = zkvm.prove(elf, { publicInput: m });
    expect(result.components['keccak-rounds']).toBe(5); // 25 rows, padded to 32
    const file = zkvm.proofFile(result);
    expect(hex(zkvm.verifyFile(file, elf).publicOutput)).toBe(hex(keccak256(m)));
    const wrong = result.claim.publicOutput.slice();
    wrong[31]! ^= 0x80;
    expect(() => zkvm.verifyFile(file, elf, { publicOutput: wrong })).toThrow();
  });

  it('the default build faults on the call, naming the plugin to add', () => {
    expect(() => createZkvm().run(elf)).toThrow(UnknownSyscallError);
    expect(() => createZkvm().run(elf)).toThrow(/@nexus\/precompile-keccak/);
  });
});
