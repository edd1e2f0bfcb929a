import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rv32im } from '@nexus/rv32im';
import { createZkvm } from '@nexus/sdk';
import { UnknownSyscallError } from '@nexus/vm';
import { afterAll, describe, expect, it } from 'vitest';
import { guest } from '../../src/guests.js';

// The SHA-256 guest built on the precompile (guests/c/sha256-precompile.c): the same ELF runs
// on qemu (the call answers -ENOSYS, the header's software routine runs) and in the zkVM (the
// precompile), with the same digest; proofs of it verify and tampered ones do not.
const elf = guest('sha256-precompile');
const plain = guest('sha256');
const zkvm = createZkvm();
const hasQemu = spawnSync('qemu-riscv32', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasQemu)
  console.warn('[skip] qemu-riscv32 not found: apt-get install -y qemu-user to compare with qemu');
const dir = mkdtempSync(join(tmpdir(), 'nexus-sha256-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const message = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
const digest = (m: Uint8Array) => createHash('sha256').update(m).digest('hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('the sha256 precompile guest', () => {
  it.each([0, 3, 55, 56, 64, 200, 1000])('%i bytes: VM = precompile = plain C = node', (n) => {
    const m = message(n);
    const run = zkvm.run(elf, { publicInput: m });
    expect(hex(run.publicOutput)).toBe(digest(m));
    expect(run.stats.precompileRows.sha256).toBe(Math.ceil((n + 9) / 64));
    expect(hex(zkvm.run(plain, { publicInput: m }).publicOutput)).toBe(digest(m));
  });

  it.skipIf(!hasQemu)('gives the same output on qemu (software fallback)', () => {
    for (const n of [0, 3, 200]) {
      const m = message(n);
      const input = join(dir, `in${n}`);
      const path = join(dir, 'guest.elf');
      writeFileSync(input, m);
      writeFileSync(path, elf, { mode: 0o755 }); // qemu-user runs only executable files
      const r = spawnSync('sh', ['-c', `qemu-riscv32 "${path}" 3<"${input}"`]);
      expect(r.status).toBe(0);
      expect(hex(new Uint8Array(r.stdout))).toBe(digest(m));
    }
  });

  it('proves and verifies; a tampered proof and a forged output are rejected', () => {
    const m = message(200);
    const result = zkvm.prove(elf, { publicInput: m });
    expect(hex(result.claim.publicOutput)).toBe(digest(m));
    expect(result.components.sha256).toBeDefined();
    expect(result.components['sha256-rounds']).toBe(9); // 4 calls x 68 rows
    const file = zkvm.proofFile(result);
    expect(hex(zkvm.verifyFile(file, elf).publicOutput)).toBe(digest(m));
    const tampered = file.slice();
    tampered[tampered.length - 100]! ^= 1;
    expect(() => zkvm.verifyFile(tampered, elf)).toThrow();
    const wrong = result.claim.publicOutput.slice();
    wrong[0]! ^= 1;
    expect(() => zkvm.verifyFile(file, elf, { publicOutput: wrong })).toThrow();
  });

  it('a build without the precompile faults on the call, naming the plugin', () => {
    const bare = createZkvm({ plugins: rv32im() });
    expect(() => bare.run(elf, { publicInput: message(3) })).toThrow(UnknownSyscallError);
    expect(() => bare.prove(elf, { publicInput: message(3) })).toThrow(/@nexus\/precompile-sha256/);
  });
});
