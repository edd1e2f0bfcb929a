/**
 * Every Rust guest on the project's VM: public output, exit code and debug log equal to an
 * independent computation (test/reference.ts) and, when qemu-riscv32 is installed, byte for byte
 * equal to what qemu-riscv32 gives for the same ELF (stdout, exit status, stderr).
 */
import { bundledPlugins, createZkvm } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';
import * as ref from './reference.js';
import {
  bytes,
  elf,
  elfPath,
  GUESTS,
  hasQemu,
  type Inputs,
  runQemu,
  text,
  u32le,
  warnMissing,
} from './support.js';

interface Case {
  readonly guest: (typeof GUESTS)[number];
  readonly label: string;
  readonly inputs: Inputs;
  readonly expected: ref.Expected;
}

const pangram = bytes('Sphinx of black quartz, judge my vow! The vow: BLACK quartz.\n');
const cases: Case[] = [
  { guest: 'fib', label: 'default n', inputs: {}, expected: ref.fib(50) },
  { guest: 'fib', label: 'n = 0', inputs: { publicInput: u32le(0) }, expected: ref.fib(0) },
  { guest: 'fib', label: 'n = 93', inputs: { publicInput: u32le(93) }, expected: ref.fib(93) },
  {
    guest: 'fib',
    label: 'n = 1000',
    inputs: { publicInput: u32le(1000) },
    expected: ref.fib(1000),
  },
  { guest: 'sha256', label: 'empty', inputs: {}, expected: ref.sha256(new Uint8Array(0)) },
  ...[3, 55, 56, 63, 64, 65, 119, 120, 1023, 1024, 1025, 5000].map((n) => {
    const input = Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff);
    return {
      guest: 'sha256' as const,
      label: `${n} bytes`,
      inputs: { publicInput: input },
      expected: ref.sha256(input),
    };
  }),
  ...[0, 3, 64, 1000].map((n) => {
    const input = Uint8Array.from({ length: n }, (_, i) => (i * 11 + n) & 0xff);
    return {
      guest: 'hash' as const,
      label: `${n} bytes through the sha256 precompile`,
      inputs: { publicInput: input },
      expected: ref.hash(input),
    };
  }),
  ...[0, 3, 136, 1000].map((n) => {
    const input = Uint8Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 0x6b : (i * 13) & 0xff));
    return {
      guest: 'hash' as const,
      label: `${n} bytes through the keccakf precompile`,
      inputs: { publicInput: input },
      expected: ref.hash(input),
    };
  }),
  {
    guest: 'collections',
    label: 'built-in text',
    inputs: {},
    expected: ref.collections(new Uint8Array(0), new Uint8Array(0)),
  },
  {
    guest: 'collections',
    label: 'text and stop words',
    inputs: { publicInput: pangram, privateInput: bytes('of my\tTHE') },
    expected: ref.collections(pangram, bytes('of my\tTHE')),
  },
  {
    guest: 'collections',
    label: 'non-ASCII bytes separate words',
    inputs: { publicInput: Uint8Array.of(0x61, 0xc3, 0xa9, 0x62, 0x20, 0x41, 0xff, 0x62, 0x0a) },
    expected: ref.collections(
      Uint8Array.of(0x61, 0xc3, 0xa9, 0x62, 0x20, 0x41, 0xff, 0x62, 0x0a),
      new Uint8Array(0),
    ),
  },
  ...[undefined, 0, 1, 2, 3, 9].map((mode) => ({
    guest: 'panic' as const,
    label: `mode ${mode ?? 'none'}`,
    inputs: mode === undefined ? {} : { publicInput: Uint8Array.of(mode) },
    expected: ref.panic(mode),
  })),
  ...[65536, 300000, 1 << 20].map((size) => ({
    guest: 'oom' as const,
    label: `blocks of ${size} bytes`,
    inputs: { publicInput: u32le(size) },
    expected: ref.oom(size),
  })),
  { guest: 'oom', label: 'default size', inputs: {}, expected: ref.oom(65536) },
  { guest: 'recursion', label: 'default depth', inputs: {}, expected: ref.recursion(1000, false) },
  {
    guest: 'recursion',
    label: 'depth 0',
    inputs: { publicInput: u32le(0) },
    expected: ref.recursion(0, false),
  },
  {
    guest: 'recursion',
    label: 'depth 10000 overflows',
    inputs: { publicInput: u32le(10000) },
    expected: ref.recursion(10000, true),
  },
  {
    guest: 'recursion',
    label: 'depth 2^32 - 1 overflows',
    inputs: { publicInput: u32le(0xffffffff) },
    expected: ref.recursion(0xffffffff, true),
  },
  { guest: 'selftest', label: 'every check', inputs: {}, expected: ref.selftest() },
];

// The bundled build: the default one and the Keccak precompile (the hash guest calls both).
const zkvm = createZkvm({ plugins: bundledPlugins(), security: 'test' });

describe('Rust guests on the VM', () => {
  it('covers every committed guest', () => {
    expect(new Set(cases.map((c) => c.guest))).toEqual(new Set(GUESTS));
  });

  for (const c of cases) {
    it(`${c.guest}: ${c.label}`, () => {
      const run = zkvm.run(elf(c.guest), c.inputs);
      expect(text(run.log)).toMatch(c.expected.log);
      expect(run.exitCode).toBe(c.expected.exitCode);
      expect(Buffer.from(run.publicOutput).toString('hex')).toBe(
        Buffer.from(c.expected.output).toString('hex'),
      );
    });
  }
});

describe.skipIf(!hasQemu)('Rust guests: the VM and qemu-riscv32 agree', () => {
  for (const c of cases) {
    it(`${c.guest}: ${c.label}`, () => {
      const q = runQemu(elfPath(c.guest), c.inputs);
      const run = zkvm.run(elf(c.guest), c.inputs);
      expect(q.signal).toBeNull();
      expect(q.exitCode).toBe(run.exitCode & 0xff);
      expect(Buffer.from(q.stdout).equals(Buffer.from(run.publicOutput))).toBe(true);
      expect(text(q.stderr)).toBe(text(run.log));
    });
  }
});
if (!hasQemu) warnMissing('qemu-riscv32', 'apt-get install -y qemu-user');

describe('the stack guard', () => {
  it('stops the guest before its stack leaves the stack region', () => {
    const run = zkvm.run(elf('recursion'), { publicInput: u32le(10000) });
    const [bottom, top] = run.stats.stackRegion ?? [0, 0];
    expect(top - bottom).toBe(256 << 10);
    // The report names the sp the guard saw: inside the stack, within the guard's margin.
    const sp = Number.parseInt(/sp reached (0x[0-9a-f]{8})/.exec(text(run.log))?.[1] ?? '', 16);
    expect(sp).toBeGreaterThanOrEqual(bottom);
    expect(sp).toBeLessThan(bottom + 8192);
    // Nothing below the stack was written by the overflow: the lowest stack address touched is
    // inside the stack, and the heap was never used by this guest.
    expect(run.stats.stackLowWater).toBeGreaterThanOrEqual(bottom);
    expect(run.stats.heapHighWater).toBeNull();
  });

  it('is in every guest', () => {
    for (const name of GUESTS) {
      const program = elf(name);
      // The symbol `mcount` is only linked when instrumented guest code calls it.
      expect(Buffer.from(program).includes('mcount\0'), name).toBe(true);
    }
  });
});
