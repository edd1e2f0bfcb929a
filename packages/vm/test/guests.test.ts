/**
 * Every C guest: its output checked against an independent computation in TypeScript, pass 2
 * checked against pass 1 (compiled and interpreted records identical, memory argument balanced),
 * and, when qemu-riscv32 is installed, stdout/stderr/exit code identical to qemu's.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { execute, loadElf, symbolValue } from '../src/index.js';
import { hasQemu, runQemu, warnMissing } from './support/qemu.js';
import { runAllPaths } from './support/run.js';

const elf = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));
const u32le = (...xs: number[]) => new Uint8Array(Uint32Array.from(xs).buffer);
const words = (b: Uint8Array) => Array.from(new Uint32Array(b.slice().buffer));
const text = (b: Uint8Array) => new TextDecoder().decode(b);

interface Case {
  readonly guest: string;
  readonly publicInput?: Uint8Array;
  readonly privateInput?: Uint8Array;
  /** Expected public output (and exit code) computed here, independently of the VM. */
  readonly expected: { output: Uint8Array; exitCode: number };
  /** Run pass 2 and the records checks too (skipped for the longest runs). */
  readonly records: boolean;
}

function fib(n: number): Uint8Array {
  let a = 0n;
  let b = 1n;
  for (let i = 0; i < n; i++) [a, b] = [b, (a + b) & 0xffffffffffffffffn];
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, a, true);
  return out;
}

function sortExpected(n: number, seed: number): { output: Uint8Array; exitCode: number } {
  let x = seed >>> 0 || 1;
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    data.push(x);
  }
  data.sort((p, q) => p - q);
  let sum = 0;
  for (let i = 0; i < n; i++) sum = (Math.imul(sum, 31) + Math.imul(data[i]!, i + 1)) >>> 0;
  return { output: u32le(n, n ? data[0]! : 0, n ? data[n - 1]! : 0, sum), exitCode: 0 };
}

function factorial(n: number): Uint8Array {
  let f = 1n;
  for (let k = 2n; k <= BigInt(n); k++) f *= k;
  return new TextEncoder().encode(f.toString());
}

function fnv(h: number, bytes: Uint8Array): number {
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h >>> 0;
}

function ioExpected(priv: Uint8Array, pub: Uint8Array): { output: Uint8Array; exitCode: number } {
  const init = 2166136261;
  const both = new Uint8Array([...priv, ...pub]);
  return {
    output: u32le(priv.length, pub.length, fnv(init, priv), fnv(init, pub), fnv(init, both)),
    exitCode: priv.length > 0 ? priv[0]! : 0,
  };
}

/** The M extension by the spec, in BigInt (independent of the VM's alu.ts). */
function mextExpected(): Uint8Array {
  const EDGE = [
    0, 1, 0xffffffff, 2, 0xfffffffe, 0x80000000, 0x7fffffff, 0x80000001, 0x12345678, 0xdeadbeef, 3,
    7, 0xffff, 0x10000, 0xfffffff9,
  ];
  const out: number[] = [];
  const sx = (v: number) => BigInt.asIntN(32, BigInt(v));
  const ux = (v: number) => BigInt(v >>> 0);
  const w = (v: bigint) => Number(BigInt.asUintN(32, v));
  for (const a of EDGE) {
    for (const b of EDGE) {
      out.push(w(sx(a) * sx(b)));
      out.push(w((sx(a) * sx(b)) >> 32n));
      out.push(w((sx(a) * ux(b)) >> 32n));
      out.push(w((ux(a) * ux(b)) >> 32n));
      out.push(b === 0 ? 0xffffffff : a === 0x80000000 && b === 0xffffffff ? a : w(sx(a) / sx(b)));
      out.push(b === 0 ? 0xffffffff : w(ux(a) / ux(b)));
      out.push(b === 0 ? a : a === 0x80000000 && b === 0xffffffff ? 0 : w(sx(a) % sx(b)));
      out.push(b === 0 ? a : w(ux(a) % ux(b)));
    }
  }
  return u32le(...out);
}

const script = (s: string) => new TextEncoder().encode(s);
/** The count of primes below n and the last one, by a sieve (the guest's script divides). */
function primes(n: number): [number, number] {
  const composite = new Uint8Array(n);
  let count = 0;
  let last = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i]) continue;
    count++;
    last = i;
    for (let j = 2 * i; j < n; j += i) composite[j] = 1;
  }
  return [count, last];
}
/** The forth guest's default script with another bound. */
const primesScript = (n: number) =>
  `0 c!  0 l!  2 n!
begin n@ ${n} < while
  1 p!  2 d!
  begin d@ d@ * n@ > not p@ and while
    n@ d@ mod 0 = if 0 p! then
    d@ 1 + d!
  repeat
  p@ if c@ 1 + c!  n@ l! then
  n@ 1 + n!
repeat
c@ .  l@ .`;

const random = (n: number, seed: number) => {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
};
const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

const CASES: Case[] = [
  ...[0, 1, 2, 50, 93, 94, 1000].map((n) => ({
    guest: 'fib',
    publicInput: u32le(n),
    expected: { output: fib(n), exitCode: 0 },
    records: true,
  })),
  { guest: 'fib', expected: { output: fib(50), exitCode: 0 }, records: true },
  ...[
    new Uint8Array(0),
    new TextEncoder().encode('abc'),
    random(55, 1),
    random(56, 2),
    random(64, 3),
    random(1000, 4),
  ].map((b) => ({
    guest: 'sha256',
    publicInput: b,
    expected: { output: sha(b), exitCode: 0 },
    records: b.length <= 64,
  })),
  { guest: 'sort', publicInput: u32le(0, 1), expected: sortExpected(0, 1), records: true },
  { guest: 'sort', publicInput: u32le(1, 5), expected: sortExpected(1, 5), records: true },
  { guest: 'sort', publicInput: u32le(300, 9), expected: sortExpected(300, 9), records: true },
  { guest: 'sort', expected: sortExpected(2000, 1), records: false },
  {
    guest: 'sort',
    publicInput: u32le(20000, 42),
    expected: sortExpected(20000, 42),
    records: false,
  },
  ...[0, 1, 5, 25].map((n) => ({
    guest: 'factorial',
    publicInput: u32le(n),
    expected: { output: factorial(n), exitCode: 0 },
    records: true,
  })),
  { guest: 'factorial', expected: { output: factorial(100), exitCode: 0 }, records: false },
  {
    guest: 'factorial',
    publicInput: u32le(400),
    expected: { output: factorial(400), exitCode: 0 },
    records: false,
  },
  { guest: 'io', expected: ioExpected(new Uint8Array(0), new Uint8Array(0)), records: true },
  {
    guest: 'io',
    privateInput: random(23, 5),
    publicInput: random(17, 6),
    expected: ioExpected(random(23, 5), random(17, 6)),
    records: true,
  },
  {
    guest: 'io',
    privateInput: Uint8Array.of(200),
    expected: ioExpected(Uint8Array.of(200), new Uint8Array(0)),
    records: true,
  },
  {
    guest: 'io',
    publicInput: random(300, 7),
    expected: ioExpected(new Uint8Array(0), random(300, 7)),
    records: true,
  },
  { guest: 'mext', expected: { output: mextExpected(), exitCode: 0 }, records: true },
  {
    guest: 'forth',
    publicInput: script(primesScript(100)),
    expected: { output: u32le(...primes(100)), exitCode: 0 },
    records: true,
  },
  {
    // every word: 10 / 3, 10 mod 3, 2 - 5 wraps, over, swap, drop, else, until (sum 1..10), x / 0
    guest: 'forth',
    publicInput: script(
      '10 3 / .  10 3 mod .  2 5 - .  7 8 over . . .  4 9 swap . .  6 6 drop .  1 2 < if 11 else 12 then .' +
        '  0 s! 1 i! begin s@ i@ + s! i@ 1 + i! i@ 10 > until s@ .  5 0 / .  3 dup * .',
    ),
    expected: { output: u32le(3, 1, 0xfffffffd, 7, 8, 7, 4, 9, 6, 11, 55, 0, 9), exitCode: 0 },
    records: true,
  },
  // A malformed script is refused with exit 2 and no output.
  ...['1 if 2', 'then', '1 +', 'frob'].map((s) => ({
    guest: 'forth',
    publicInput: script(s),
    expected: { output: new Uint8Array(0), exitCode: 2 },
    records: true,
  })),
  // The default script: the long interpreter run segments are benchmarked on (~5.6·10^7 cycles).
  { guest: 'forth', expected: { output: u32le(...primes(9000)), exitCode: 0 }, records: false },
];

const label = (c: Case) =>
  `${c.guest}(public ${c.publicInput?.length ?? 0} B, private ${c.privateInput?.length ?? 0} B)`;

describe('guests compute what they should', () => {
  for (const c of CASES) {
    it(`${label(c)}${c.records ? ' with records' : ''}`, () => {
      const inputs = { publicInput: c.publicInput, privateInput: c.privateInput };
      const run = c.records ? runAllPaths(elf(c.guest), inputs).run : execute(elf(c.guest), inputs);
      expect(Buffer.from(run.output).toString('hex')).toBe(
        Buffer.from(c.expected.output).toString('hex'),
      );
      expect(run.exitCode).toBe(c.expected.exitCode);
    });
  }
  it('the logs say what the guests did', () => {
    expect(text(execute(elf('fib'), { publicInput: u32le(10) }).log)).toBe(
      'fib(10) mod 2^64 = 55\n',
    );
    expect(text(execute(elf('sha256'), { publicInput: new TextEncoder().encode('abc') }).log)).toBe(
      'sha256 of 3 bytes: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n',
    );
    expect(text(execute(elf('factorial'), { publicInput: u32le(30) }).log)).toBe(
      '30! has 33 digits\n',
    );
    expect(words(execute(elf('sort'), { publicInput: u32le(3, 1) }).output)[0]).toBe(3);
  });
  it('the long-running guest runs over 10^7 cycles', () => {
    const run = execute(elf('long'), { publicInput: u32le(1) });
    expect(run.cycles).toBeGreaterThan(1e7);
    expect(text(run.log)).toMatch(/^round 0: 25997 primes, checksum [0-9a-f]{8}\n$/);
  });
});

describe('pass-1 statistics', () => {
  it('instruction mix, rows, stack low-water and heap high-water', () => {
    const program = loadElf(elf('factorial'));
    const run = execute(program, { publicInput: u32le(100) });
    const s = run.stats;
    const total = Object.values(s.mix).reduce((p, q) => p + q, 0);
    expect(total).toBe(run.cycles);
    expect(Object.values(s.familyRows).reduce((p, q) => p + q, 0)).toBe(run.cycles);
    expect(s.mix.divu).toBeGreaterThan(0);
    expect(s.mix.ecall).toBe(s.syscalls.exit + s.syscalls.read + s.syscalls.write);
    expect(s.syscalls.exit).toBe(1);
    const top = symbolValue(program, '__stack_top')!;
    const bottom = symbolValue(program, '__stack_bottom')!;
    expect(s.stackRegion).toEqual([bottom, top]);
    expect(s.stackLowWater).toBeGreaterThanOrEqual(bottom);
    expect(s.stackLowWater).toBeLessThan(top);
    // malloc'd 158 + 1 digit bytes from the heap's start.
    expect(s.heapRegion![0]).toBe(symbolValue(program, '__heap_start'));
    expect(s.heapHighWater! - s.heapRegion![0]).toBeGreaterThanOrEqual(159);
    expect(s.heapHighWater! - s.heapRegion![0]).toBeLessThan(4096);
    // touched words: sorted, distinct, aligned
    for (let i = 1; i < s.touched.length; i++) expect(s.touched[i]! > s.touched[i - 1]!).toBe(true);
    expect(s.ioBytes).toBe(4 + 158 + '100! has 158 digits\n'.length);
  });
});

if (!hasQemu) warnMissing('qemu-riscv32', 'qemu-user');

describe.skipIf(!hasQemu)('guests: this VM vs qemu-riscv32', () => {
  for (const c of [...CASES, { guest: 'long', publicInput: u32le(1), records: false } as Case]) {
    it(label(c), () => {
      const inputs = { publicInput: c.publicInput, privateInput: c.privateInput };
      const q = runQemu(elf(c.guest), inputs);
      const r = execute(elf(c.guest), inputs);
      expect(Buffer.from(r.output).toString('hex')).toBe(Buffer.from(q.stdout).toString('hex'));
      expect(text(r.log)).toBe(text(q.stderr));
      expect(r.exitCode & 0xff).toBe(q.exitCode);
    });
  }
});
