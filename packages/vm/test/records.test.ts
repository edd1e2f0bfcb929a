/**
 * Pass-2 records: the memory argument balances on random programs (independently of qemu), the
 * checker itself catches corrupted records, caller-given layouts work, and layouts that do not
 * fit the execution are clear errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  deriveLayout,
  execute,
  FAMILIES,
  type Family,
  generateRecords,
  type Layout,
  LayoutError,
  MAX_TRACE_CYCLES,
  padRows,
  VmConfigError,
} from '../src/index.js';
import { Asm, Reg } from './support/asm.js';
import {
  CODE_BASE,
  DATA_BASE,
  PF_R,
  PF_W,
  PF_X,
  programElf,
  writeElf,
} from './support/elf-writer.js';
import { randomProgram } from './support/random-program.js';
import { replayRecords } from './support/replay.js';
import { expectSameRecords, runAllPaths } from './support/run.js';

const guest = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));
const u32le = (...xs: number[]) => new Uint8Array(Uint32Array.from(xs).buffer);

describe('records of random programs', () => {
  it('balance, and compiled and interpreted pass 2 agree (looping and straight-line)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { records, run } = runAllPaths(
        randomProgram(seed * 104729, { length: 100, loops: seed % 2 === 0 }).elf,
      );
      expect(records.cycles).toBe(run.cycles);
    }
  });

  it('the jit option of both passes is true, false or eager; anything else is a VmConfigError', () => {
    const elf = guest('fib');
    const layout = deriveLayout(execute(elf).stats);
    expect(() => generateRecords(elf, layout, { jit: 'yes' as never })).toThrow(
      /jit is true, false or 'eager' \(got yes\)/,
    );
    // Pass 1 takes the same option and refuses the same way.
    expect(() => execute(elf, { jit: 'yes' as never })).toThrow(VmConfigError);
    expect(() => execute(elf, { jit: 'yes' as never })).toThrow(/jit is true, false or 'eager'/);
  });
});

describe('the records checker is not vacuous', () => {
  const elf = guest('io');
  const inputs = {
    publicInput: Uint8Array.of(1, 2, 3, 4, 5),
    privateInput: Uint8Array.of(9, 8, 7),
  };
  const run = execute(elf, inputs);
  const layout = deriveLayout(run.stats);
  const mutations: [string, (r: ReturnType<typeof generateRecords>) => void][] = [
    ['a previous timestamp', (r) => r.families.add.columns.rs1Ts[3]!++],
    ['a previous value', (r) => r.families.load.columns.memPrev[0]!++],
    ['a written value', (r) => r.families.store.columns.memVal[1]!++],
    [
      'a register number',
      (r) => {
        r.families.add.columns.rd[5] = (r.families.add.columns.rd[5]! + 1) % 32;
      },
    ],
    [
      'an io byte',
      (r) => {
        r.io.columns.memVal[0] = r.io.columns.memVal[0]! ^ 0x80;
      },
    ],
    ['a clk', (r) => r.families.branch.columns.clk[2]!++],
    [
      'a next pc',
      (r) => {
        r.families.jal.columns.nextPc[0] = r.families.jal.columns.nextPc[0]! + 4;
      },
    ],
    ['a final memory value', (r) => r.memoryFinal.value[0]!++],
    ['a final register timestamp', (r) => r.registersFinal.ts[10]!++],
  ];
  for (const [what, mutate] of mutations) {
    it(`rejects records with a wrong ${what}`, () => {
      const records = generateRecords(elf, layout, inputs);
      replayRecords(records);
      mutate(records);
      expect(() => replayRecords(records)).toThrow(/records check failed/);
    });
  }
});

describe('layouts', () => {
  it('pads row counts to powers of two (absent families stay 0)', () => {
    expect(padRows(0)).toBe(0);
    expect(padRows(1)).toBe(16);
    expect(padRows(16)).toBe(16);
    expect(padRows(17)).toBe(32);
    expect(padRows(3, 0)).toBe(4);
    const layout = deriveLayout(execute(guest('fib')).stats, { minLogRows: 2 });
    expect(layout.rows.fence).toBe(0);
    for (const f of FAMILIES) {
      const n = layout.rows[f]!;
      expect(n === 0 || (n & (n - 1)) === 0).toBe(true);
      expect(n).toBeGreaterThanOrEqual(layout.used!.rows[f]!);
    }
  });

  it('pass 2 works from a caller-given, larger layout', () => {
    const elf = guest('sort');
    const inputs = { publicInput: u32le(100, 3) };
    const run = execute(elf, inputs);
    const derived = deriveLayout(run.stats);
    // Extra addresses (the whole first data page and more) and doubled rows, no exact counts.
    const extra = new Set<number>(derived.addresses);
    const first = derived.addresses[0]!;
    for (let a = first & ~4095; a < (first & ~4095) + 8192; a += 4) extra.add(a);
    const addresses = Uint32Array.from([...extra].sort((p, q) => p - q));
    const rows = {} as Record<Family, number>;
    for (const f of FAMILIES) rows[f] = Math.max(1024, 2 * derived.rows[f]!);
    const layout: Layout = { addresses, rows, ioRows: 4096, memoryRows: padRows(addresses.length) };
    const a = generateRecords(elf, derived, inputs);
    const b = generateRecords(elf, layout, inputs);
    expectSameRecords(a, { ...b, memoryFinal: a.memoryFinal });
    expect(b.memoryInit.address.length).toBe(addresses.length);
    replayRecords(b);
    // Untouched layout words keep their initial value with final ts 0.
    const k = b.memoryFinal.address.findIndex((x) => !derived.addresses.includes(x));
    expect(b.memoryFinal.ts[k]).toBe(0);
    expect(b.memoryFinal.value[k]).toBe(b.memoryInit.value[k]);
  });

  it('a layout without a touched word is a LayoutError naming the word and the pc', () => {
    const a = new Asm().li(Reg.t0, DATA_BASE).li(Reg.t1, 5).store('sw', Reg.t1, Reg.t0, 8).exit(0);
    const elf = programElf(a.bytes());
    const layout = deriveLayout(execute(elf).stats);
    expect(Array.from(layout.addresses)).toEqual([DATA_BASE + 8]);
    const without = { ...layout, addresses: Uint32Array.of(DATA_BASE + 4) };
    for (const jit of [true, false]) {
      expect(() => generateRecords(elf, without, { jit })).toThrow(LayoutError);
      expect(() => generateRecords(elf, without, { jit })).toThrow(
        /memory word 0x00040008 is not in the layout.*pc 0x00010008/,
      );
    }
  });

  it('too few rows for a family is a LayoutError naming the table', () => {
    const elf = guest('fib');
    const layout = deriveLayout(execute(elf).stats);
    const small = { ...layout, rows: { ...layout.rows, add: 16 }, used: undefined };
    for (const jit of [true, false]) {
      expect(() => generateRecords(elf, small, { jit })).toThrow(
        /allows 16 rows for the add table/,
      );
    }
    const noIo = { ...layout, ioRows: 0, used: undefined };
    expect(() => generateRecords(elf, noIo)).toThrow(/allows 0 rows for the io table/);
  });

  it('malformed layouts are VmConfigErrors', () => {
    const elf = guest('fib');
    const layout = deriveLayout(execute(elf).stats);
    const bad: [Partial<Layout>, RegExp][] = [
      [{ addresses: Uint32Array.of(8, 4) }, /strictly increasing/],
      [{ addresses: Uint32Array.of(6) }, /not 4-byte aligned/],
      [{ addresses: [4] as unknown as Uint32Array }, /must be a Uint32Array/],
      [{ rows: { ...layout.rows, add: 100 } }, /rows.add must be 0 or a power of two/],
      [{ ioRows: 3 }, /ioRows/],
      [{ memoryRows: 1 }, /memoryRows/],
      [{ addresses: Uint32Array.of(0x100) }, /layout address 0x00000100 is not a mapped word/],
    ];
    for (const [patch, msg] of bad) {
      expect(() => generateRecords(elf, { ...layout, ...patch })).toThrow(VmConfigError);
      expect(() => generateRecords(elf, { ...layout, ...patch })).toThrow(msg);
    }
  });

  it('pass 2 refuses cycle limits whose timestamps would not fit in M31', () => {
    const elf = guest('fib');
    const layout = deriveLayout(execute(elf).stats);
    expect(() => generateRecords(elf, layout, { maxCycles: MAX_TRACE_CYCLES + 1 })).toThrow(
      /maxCycles must be an integer in \[1, 536870910\]/,
    );
    expect(4 * MAX_TRACE_CYCLES + 3).toBeLessThan(2 ** 31 - 1);
  });
});

describe('segments ending inside a word', () => {
  it('byte accesses to the mapped part work in both passes; the word beyond faults', () => {
    const code = new Asm()
      .li(Reg.t0, 0x50000)
      .load('lbu', Reg.a0, Reg.t0, 2)
      .store('sb', Reg.a0, Reg.t0, 1)
      .li(Reg.a7, 93)
      .ecall()
      .bytes();
    const elf = writeElf({
      entry: CODE_BASE,
      segments: [
        { vaddr: CODE_BASE, data: code, flags: PF_R | PF_X },
        { vaddr: 0x50000, data: Uint8Array.of(1, 2, 3), flags: PF_R | PF_W },
      ],
    });
    const { run } = runAllPaths(elf);
    expect(run.exitCode).toBe(3);
    expect(Array.from(run.stats.touched)).toEqual([0x50000]);
    const bad = new Asm().li(Reg.t0, 0x50000).load('lw', Reg.a0, Reg.t0, 0).exit(0).bytes();
    const elf2 = writeElf({
      entry: CODE_BASE,
      segments: [
        { vaddr: CODE_BASE, data: bad, flags: PF_R | PF_X },
        { vaddr: 0x50000, data: Uint8Array.of(1, 2, 3), flags: PF_R | PF_W },
      ],
    });
    expect(() => execute(elf2)).toThrow(/unmapped address 0x00050003/);
  });
});

describe('record shapes', () => {
  it('rd = x0 records a dropped write: new value 0, and x0 keeps its timestamp', () => {
    const a = new Asm().li(Reg.t0, 7).r('add', 0, Reg.t0, Reg.t0).exit(0);
    const { records } = runAllPaths(programElf(a.bytes()));
    const add = records.families.add.columns;
    const row = Array.from(add.rd).indexOf(0, 0);
    expect(add.rs1Val[row]).toBe(7);
    expect(add.rdVal[row]).toBe(0);
    expect(add.rdPrev[row]).toBe(0);
    // x0 was last accessed as rs1 of the li (addi t0, zero, 7) in cycle 1.
    expect(add.rdPrevTs[row]).toBe(4 * add.clk[0]!);
    // The dropped write is no access: the next read of x0 (li a0, 0) continues from x0's last
    // real access, its read in cycle 1.
    expect(add.rs1[row + 1]).toBe(0);
    expect(add.rs1Ts[row + 1]).toBe(4 * add.clk[0]!);
    expect(records.registersFinal.value[0]).toBe(0);
  });
  it('io rows bind tape bytes to memory with timestamps 4*clk + (addr mod 4)', () => {
    const { records } = runAllPaths(guest('io'), {
      privateInput: Uint8Array.of(10, 20, 30),
      publicInput: Uint8Array.of(1, 2),
    });
    const io = records.io.columns;
    const reads = Array.from({ length: records.io.length }, (_, r) => r).filter(
      (r) => io.fd[r] === 0 || io.fd[r] === 3,
    );
    expect(reads.map((r) => [io.fd[r], io.offset[r], io.byte[r]])).toEqual([
      [0, 0, 10],
      [0, 1, 20],
      [0, 2, 30],
      [3, 0, 1],
      [3, 1, 2],
    ]);
    const ecall = records.families.ecall.columns;
    // The read of the public tape (a0 = fd 3) that returned its 2 bytes.
    const k = Array.from(ecall.op).findIndex(
      (op, i) => op === 1 && ecall.a0[i] === 3 && ecall.ioLen[i]! > 0,
    );
    expect(ecall.ioLen[k]).toBe(2);
    expect(ecall.rdVal[k]).toBe(2); // returned 2 bytes
    expect(io.clk[ecall.ioStart[k]!]).toBe(ecall.clk[k]);
  });
});
