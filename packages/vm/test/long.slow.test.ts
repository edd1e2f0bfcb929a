/**
 * Slow suite: the long-running guest through pass 2 (about 1.6 * 10^7 rows, ~1 GB of records),
 * a large random-program campaign against qemu, and rebuilding the guests from source.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deriveLayout, execute, generateRecords } from '../src/index.js';
import { hasGcc, hasQemu, runQemu, warnMissing } from './support/qemu.js';
import { randomProgram } from './support/random-program.js';
import { fingerprintRecords, replayRecords } from './support/replay.js';

const guestsDir = fileURLToPath(new URL('../../../guests/', import.meta.url));
const guest = (name: string) => new Uint8Array(readFileSync(join(guestsDir, 'bin', `${name}.elf`)));
const u32le = (...xs: number[]) => new Uint8Array(Uint32Array.from(xs).buffer);

describe('long runs through pass 2', () => {
  it('the long guest (1 round): records balance', () => {
    const elf = guest('long');
    const inputs = { publicInput: u32le(1) };
    const run = execute(elf, inputs);
    const records = generateRecords(elf, deriveLayout(run.stats), inputs);
    expect(records.cycles).toBe(run.cycles);
    expect(Buffer.from(records.publicOutput).equals(Buffer.from(run.output))).toBe(true);
    expect(fingerprintRecords(records).accesses).toBeGreaterThan(3e7);
  });
  it('factorial(300) and sort(20000): exact multiset replay', () => {
    for (const [name, input] of [
      ['factorial', u32le(300)],
      ['sort', u32le(20000, 7)],
    ] as const) {
      const elf = guest(name);
      const run = execute(elf, { publicInput: input });
      replayRecords(generateRecords(elf, deriveLayout(run.stats), { publicInput: input }));
    }
  });
});

if (!hasQemu) warnMissing('qemu-riscv32', 'qemu-user');
describe.skipIf(!hasQemu)('large random campaign vs qemu-riscv32', () => {
  it('1000 programs, longer bodies', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const { elf } = randomProgram(seed * 2654435761, { length: 300, loops: seed % 3 !== 0 });
      const q = runQemu(elf);
      const r = execute(elf);
      expect({ seed, out: Buffer.from(r.output).toString('hex'), code: r.exitCode & 0xff }).toEqual(
        {
          seed,
          out: Buffer.from(q.stdout).toString('hex'),
          code: q.exitCode,
        },
      );
    }
  });
});

if (!hasGcc)
  warnMissing('riscv64-unknown-elf-gcc', 'gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf');
describe.skipIf(!hasGcc)('guests/build.sh', () => {
  it('rebuilds every committed ELF from its source, byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'nexus-guests-'));
    try {
      const r = spawnSync('bash', [join(guestsDir, 'build.sh')], {
        env: { ...process.env, OUT: out },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      const names = readdirSync(join(guestsDir, 'c')).map((f) => f.replace(/\.c$/, ''));
      for (const name of names) {
        expect(
          Buffer.from(readFileSync(join(out, `${name}.elf`))).equals(Buffer.from(guest(name))),
          `${name}.elf differs from a fresh build`,
        ).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
