/**
 * The precompile's tests, with the zkVM's test kit (@nexus/air-testing): the honest run proves
 * and verifies; the stock build refuses its proofs and cannot run the call; a single-cell
 * mutation of any real row is caught; and forged proofs (a wrong result, a result word that is
 * not four bytes, a stale memory read) made by a malicious prover are rejected by the real
 * verifier.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkMutations, maliciousProver, traceRun } from '@nexus/air-testing';
import type { Plugin } from '@nexus/kernel';
import { createZkvm, defaultPlugins, type Zkvm, ZkvmError } from '@nexus/sdk';
import { SYSCALL_EXTENSION, type SyscallExtension } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import {
  layout,
  NAME,
  POPCOUNT256,
  popcount,
  popcount32,
  popcountComponent,
  popcountSyscall,
  TABLE,
} from '../src/index.js';

/** The layout's column handles: the malicious prover addresses cells by their names. */
const C = layout.shape;
const P = 0x7fffffff;
const fe = (v: number) => ((v % P) + P) % P;
const elfPath = fileURLToPath(new URL('../guest/bin/popcount.elf', import.meta.url));
const elf = new Uint8Array(readFileSync(elfPath));
/** n = 300: ten words of sieve, so one precompile call (8 words) and two words in software. */
const publicInput = Uint8Array.of(44, 1, 0, 0);
const PRIMES_BELOW_300 = 62;
const u32 = (b: Uint8Array) =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);

const custom: Zkvm = createZkvm({ plugins: [...defaultPlugins(), popcount()], security: 'test' });
/** The test config proves fast; these tests accept it (a real verifier would not). */
const insecure = { minSecurityBits: 0 };

describe('popcount256, honestly', () => {
  it('computes the number of set bits', () => {
    const words = Uint32Array.of(0, 1, 0xffffffff, 0x80000000, 0x12345678, 3, 0, 7, 0xdead);
    popcountSyscall.compute(words);
    expect(words[8]).toBe(0 + 1 + 32 + 1 + 13 + 2 + 0 + 3);
    expect(popcount32(0xffffffff)).toBe(32);
  });

  it('a guest calling it is proven and verified by a build with the plugin', () => {
    const r = custom.prove(elf, { publicInput });
    expect(r.components[TABLE]).toBe(4); // one call: 2^4 rows (the minimum)
    expect(u32(r.claim.publicOutput)).toBe(PRIMES_BELOW_300);
    const claim = custom.verifyFile(custom.proofFile(r), elf, { publicInput }, insecure);
    expect(u32(claim.publicOutput)).toBe(PRIMES_BELOW_300);

    // The stock build refuses the proof (another plugin set: the system digests differ) ...
    const stock = createZkvm();
    expect(() => stock.verifyFile(custom.proofFile(r), elf, { publicInput }, insecure)).toThrow(
      /different plugin set/,
    );
    // ... and cannot even run the guest: the call faults, naming the syscall.
    expect(() => stock.run(elf, { publicInput })).toThrow(/unknown syscall a7=6144 \(0x1800\)/);
  });

  it('the same ELF runs on qemu-riscv32 with the software fallback, with the same output', (ctx) => {
    const probe = spawnSync('qemu-riscv32', ['--version'], { stdio: 'ignore' });
    if (probe.status !== 0) ctx.skip('qemu-riscv32 not found');
    const dir = mkdtempSync(join(tmpdir(), 'popcount-'));
    try {
      const input = join(dir, 'n.bin');
      writeFileSync(input, publicInput);
      // qemu: public input on fd 3, public output on stdout.
      const q = spawnSync('sh', ['-c', 'exec qemu-riscv32 "$0" 3<"$1"', elfPath, input]);
      expect(q.status).toBe(0);
      expect(u32(new Uint8Array(q.stdout))).toBe(PRIMES_BELOW_300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the host refuses a second plugin claiming the same number', () => {
    const rival: SyscallExtension = { ...popcountSyscall, plugin: '@other/rival', table: 'rival' };
    const plugin: Plugin = {
      name: '@other/rival',
      version: '1.0.0',
      apply(host) {
        host.hooks.extensions.tap('@other/rival', (r) => r.add(SYSCALL_EXTENSION, rival));
      },
    };
    expect(() => createZkvm({ plugins: [...defaultPlugins(), popcount(), plugin] })).toThrow(
      new RegExp(`syscall 0x${POPCOUNT256.toString(16)} is claimed by both ${NAME}`),
    );
    expect(() => createZkvm({ plugins: [...defaultPlugins(), popcount(), plugin] })).toThrow(
      ZkvmError,
    );
  });
});

describe('popcount256 against a dishonest prover', () => {
  const syscalls = custom.system.extensions(SYSCALL_EXTENSION) as SyscallExtension[];

  it('every single-cell change of a real row breaks a constraint or a bus', () => {
    const run = traceRun(elf, { publicInput, syscalls });
    const report = checkMutations(popcountComponent, run.context(), {
      rows: [0, 1], // the call, and a padding row
      // The computed cells: a change to them alone must break a constraint, not only a bus.
      pinned: [C.countLo, C.countHi, ...C.bits, C.outQ, C.inQ].map((c) => c.name),
    });
    expect(report.checked).toBeGreaterThan(600);
    expect(report.unpinned).toEqual([]);
    expect(report.unobservable).toEqual([]);
  });

  /** A malicious prover over the honest run, and the call's row in the `popcount256` trace. */
  const attack = () => {
    const m = maliciousProver(custom.system, elf, { publicInput });
    const row = m.findRow(TABLE, (c) => c('sel') === 1);
    return { m, row };
  };

  it('a wrong result word (count + 1 written to memory) is rejected', () => {
    // The count constraint fails on the row (the mutation test above shows it alone pins
    // count_lo); the word the row writes is also not the one the guest's next load of it takes,
    // which the memory bus sees (this test does not forge the rest of the execution).
    const { m, row } = attack();
    m.set(TABLE, C.countLo.name, row, m.get(TABLE, C.countLo.name, row) + 1);
    const left = m.rebalance();
    expect(m.diagnose().constraints).toEqual([`${TABLE}: count = the number of set bits`]);
    expect(left.map((t) => t.relation)).toEqual(['ram', 'ram']);
    expect(m.verdict({ config: 'test', ...insecure })?.check).toBe('logup-sum');
  });

  it('a result word that is not four bytes (count_hi = 1, count_lo = count - 256) is rejected by the byte check', () => {
    // count_lo + 256·count_hi = count still holds mod p: only the byte lookup of count_lo sees
    // that count_lo = p - 256 + count is not a byte.
    const { m, row } = attack();
    const count = m.get(TABLE, C.countLo.name, row);
    expect(m.get(TABLE, C.countHi.name, row)).toBe(0);
    m.set(TABLE, C.countHi.name, row, 1);
    m.set(TABLE, C.countLo.name, row, count - 256);
    const left = m.rebalance().map((t) => `${t.relation}(${t.values.join(',')})`);
    expect(m.diagnose().constraints).toEqual([]);
    expect(left).toContain(`bitwise(0,${fe(count - 256)},1,0)`);
    expect(m.verdict({ config: 'test', ...insecure })?.check).toBe('logup-sum');
  });

  it('a stale memory read (an input word taken at an older timestamp) is rejected by the memory bus', () => {
    // Input word 0 claims its initial token (timestamp 0) instead of the sieve's last store to
    // it; the gap limbs are recomputed, so every constraint holds and only the RAM bus, whose
    // tuple (word, bytes, 0, 1) nobody yields any more, sees it.
    const { m, row } = attack();
    const ts = 4 * m.get(TABLE, 'clk', row) + 1;
    expect(m.get(TABLE, C.input[0]!.prevTs.name, row)).toBeGreaterThan(0);
    m.set(TABLE, C.input[0]!.prevTs.name, row, 0);
    m.set(TABLE, C.input[0]!.lo.name, row, (ts - 1) & 0xffff);
    m.set(TABLE, C.input[0]!.hi.name, row, (ts - 1) >>> 16);
    const left = m.rebalance();
    expect(m.diagnose().constraints).toEqual([]);
    expect(left.map((t) => t.relation)).toEqual(['ram', 'ram']);
    expect(m.verdict({ config: 'test', ...insecure })?.check).toBe('logup-sum');
  });
});
