/**
 * Pass 1's compiled regions (several basic blocks in one function, loops inside it) against the
 * machine stepped one instruction at a time (the interpreter, no compiled code): the same state
 * after any cycle limit (regions stop at the limit exactly, also when resumed), the same fault
 * with the same clk and the same registers, the same instruction counts.
 */
import { describe, expect, it } from 'vitest';
import {
  type BlockObserver,
  loadElf,
  Machine,
  UnmappedAddressError,
  VmConfigError,
  VmFault,
} from '../src/index.js';
import { Asm, Reg } from './support/asm.js';
import { DATA_BASE, programElf } from './support/elf-writer.js';

/**
 * Nested loops with a data-dependent if/else inside the inner loop, byte and word stores and
 * loads, a call through jal/jalr, then the exit; `walk` adds a pointer that walks up through the
 * data segment and past its end (an unmapped load inside a compiled loop).
 */
function loops(outer: number, inner: number, walk = false): Uint8Array {
  const a = new Asm();
  a.li(Reg.s0, outer).li(Reg.s1, 0).li(Reg.s2, DATA_BASE).li(Reg.t6, DATA_BASE);
  a.label('outer').li(Reg.t0, inner);
  a.label('inner');
  a.i('andi', Reg.t1, Reg.t0, 3);
  a.branch('beq', Reg.t1, Reg.zero, 'even');
  a.r('add', Reg.s1, Reg.s1, Reg.t0);
  a.store('sb', Reg.s1, Reg.s2, 1);
  a.jal(Reg.zero, 'join');
  a.label('even');
  a.r('xor', Reg.s1, Reg.s1, Reg.s0);
  a.store('sw', Reg.s1, Reg.s2, 4);
  a.label('join');
  a.load('lw', Reg.t2, Reg.s2, 4);
  a.r('mul', Reg.s1, Reg.s1, Reg.t2);
  if (walk) a.load('lw', Reg.t3, Reg.t6, 0).i('addi', Reg.t6, Reg.t6, 4);
  a.i('addi', Reg.t0, Reg.t0, -1);
  a.branch('bne', Reg.t0, Reg.zero, 'inner');
  a.jal(Reg.ra, 'f');
  a.i('addi', Reg.s0, Reg.s0, -1);
  a.branch('bne', Reg.s0, Reg.zero, 'outer');
  a.r('add', Reg.a0, Reg.s1, Reg.zero);
  a.li(Reg.a7, 93).ecall();
  a.label('f');
  a.load('lbu', Reg.t4, Reg.s2, 1);
  a.r('add', Reg.s1, Reg.s1, Reg.t4);
  a.jalr(Reg.zero, Reg.ra, 0);
  return programElf(a.bytes());
}

/** A machine stepped `n` instructions (or to its exit) with step(), never a compiled block. */
function stepped(elf: Uint8Array, n: number): Machine {
  const m = new Machine(loadElf(elf));
  while (!m.halted && m.cycles < n) m.step();
  return m;
}

function expectSameState(m: Machine, ref: Machine): void {
  expect(m.cycles).toBe(ref.cycles);
  expect(m.pc).toBe(ref.pc);
  expect(m.halted).toBe(ref.halted);
  expect([...m.x]).toEqual([...ref.x]);
  // Byte-wise comparisons (toEqual on megabyte arrays is slow).
  const same = (p: ArrayBufferView, q: ArrayBufferView) =>
    Buffer.compare(
      Buffer.from(p.buffer, p.byteOffset, p.byteLength),
      Buffer.from(q.buffer, q.byteOffset, q.byteLength),
    ) === 0;
  expect(same(m.words, ref.words), 'memory').toBe(true);
  expect(same(m.touched, ref.touched), 'touched words').toBe(true);
}

describe('compiled regions', () => {
  const elf = loops(40, 37);
  const total = stepped(elf, Number.POSITIVE_INFINITY).cycles;

  it('stop exactly at any cycle limit, from a fresh machine and resumed', () => {
    const program = loadElf(elf);
    // Limits inside the interpreted warm-up, inside compiled loops, at block edges, at the end.
    const limits = [1, 2, 17, 100, 333, 1000, 1001, 2999, 4096, 4097, 5000, total - 1, total];
    const resumed = new Machine(program);
    const ref = new Machine(program);
    for (const limit of limits) {
      // Fresh: regions compiled by earlier runs are cached on the program's ROM and reused.
      const fresh = new Machine(program);
      fresh.run(limit);
      while (ref.cycles < limit && !ref.halted) ref.step();
      expectSameState(fresh, ref);
      resumed.run(limit);
      expectSameState(resumed, ref);
    }
    expect(resumed.halted).toBe(true);
    expect(resumed.opCounts()).toEqual(ref.opCounts());
  });

  it('count every instruction the regions run (the mix the layout is built from)', () => {
    const m = new Machine(loadElf(elf));
    m.run(Number.MAX_SAFE_INTEGER);
    const ref = stepped(elf, Number.POSITIVE_INFINITY);
    expect(m.halted).toBe(true);
    expect(m.exitCode).toBe(ref.exitCode);
    expect(m.opCounts()).toEqual(ref.opCounts());
    expect(m.touchedAddresses()).toEqual(ref.touchedAddresses());
    // ... and they are the flagged words, one by one (touchedAddresses skips groups of four).
    const flagged: number[] = [];
    m.touched.forEach((f, i) => {
      if (f === 1) flagged.push(m.map.addressOf(i));
    });
    expect(flagged.length).toBeGreaterThan(0);
    expect(m.touchedAddresses()).toEqual(Uint32Array.from(flagged));
    // The loops did run as regions: one function entered from several blocks.
    const entries = (m.rom.compiled.get('pass1') ?? []).filter((f) => f !== undefined);
    expect(new Set(entries).size).toBeLessThan(entries.length);
  });

  it('list flagged words at page edges, on consecutive and far apart pages, in order', () => {
    const m = new Machine(loadElf(elf));
    const t = m.touched;
    const pages = t.length / 1024;
    expect(pages).toBeGreaterThan(3);
    const at = [0, 1, 1023, 1024, 2047, 2 * 1024 + 5, (pages - 1) * 1024, t.length - 1];
    for (const i of at) t[i] = 1;
    expect(m.touchedAddresses()).toEqual(Uint32Array.from(at, (i) => m.map.addressOf(i)));
    t.fill(0);
    expect(m.touchedAddresses()).toEqual(new Uint32Array(0));
    t[t.length - 1] = 1;
    expect(m.touchedAddresses()).toEqual(Uint32Array.of(m.map.addressOf(t.length - 1)));
  });

  it('report the same blocks in bulk as one by one, up to a fault inside a compiled loop', () => {
    // A bulk observer is told in batches (at ecalls, before interpreted blocks, at the end or
    // a fault); what it hears adds up to what a block-by-block observer hears.
    const walking = loops(100, 37, true);
    const heard = (bulk: boolean) => {
      const perBlock = new Map<number, number>();
      let reports = 0;
      const add = (wi: number, count: number) => perBlock.set(wi, (perBlock.get(wi) ?? 0) + count);
      const observer: BlockObserver = {
        block: (wi) => add(wi, 1),
        blocks: bulk
          ? (starts, counts, n) => {
              reports++;
              for (let k = 0; k < n; k++) add(starts[k]!, counts[k]!);
            }
          : undefined,
      };
      const m = new Machine(loadElf(walking));
      expect(() => m.run(Number.MAX_SAFE_INTEGER, observer)).toThrow(UnmappedAddressError);
      return { perBlock, reports, cycles: m.cycles };
    };
    const bulk = heard(true);
    const one = heard(false);
    expect(bulk.cycles).toBe(one.cycles);
    expect(bulk.reports).toBeGreaterThan(0);
    expect([...bulk.perBlock].sort((p, q) => p[0] - q[0])).toEqual(
      [...one.perBlock].sort((p, q) => p[0] - q[0]),
    );
  });

  it('run the same without access flags (trackTouched: false), and say the flags are missing', () => {
    const program = loadElf(elf);
    const ref = stepped(elf, Number.POSITIVE_INFINITY);
    const m = new Machine(program, { trackTouched: false });
    m.run(Number.MAX_SAFE_INTEGER);
    expect(m.halted).toBe(true);
    expect(m.cycles).toBe(ref.cycles);
    expect(m.exitCode).toBe(ref.exitCode);
    expect([...m.x]).toEqual([...ref.x]);
    expect(Buffer.from(m.words.buffer).equals(Buffer.from(ref.words.buffer))).toBe(true);
    expect(m.opCounts()).toEqual(ref.opCounts());
    expect(() => m.touchedAddresses()).toThrow(VmConfigError);
    expect(() => m.touchedAddresses()).toThrow(/trackTouched: false/);
    // Its regions are compiled apart (no flag stores), and a tracking machine on the same
    // program still flags every access.
    const untracked = (m.rom.compiled.get('pass1 untracked') ?? []).filter((f) => f !== undefined);
    expect(untracked.length).toBeGreaterThan(0);
    expect(untracked.every((f) => !String(f).includes('T[i] = 1'))).toBe(true);
    expect(untracked.some((f) => String(f).includes('M8['))).toBe(true);
    const tracked = new Machine(program);
    tracked.run(Number.MAX_SAFE_INTEGER);
    expect(tracked.touchedAddresses()).toEqual(ref.touchedAddresses());
    const withFlags = (m.rom.compiled.get('pass1') ?? []).filter((f) => f !== undefined);
    expect(withFlags.some((f) => String(f).includes('T[i] = 1'))).toBe(true);
  });

  it('fault inside a compiled loop with the interpreter’s pc, clk and registers', () => {
    // The walking load leaves the 4 KiB data segment after 1024 loads, long after the loop's
    // region was compiled.
    const walking = loops(100, 37, true);
    const fault = (run: (m: Machine) => void): [VmFault, Machine] => {
      const m = new Machine(loadElf(walking));
      try {
        run(m);
      } catch (e) {
        expect(e).toBeInstanceOf(VmFault);
        return [e as VmFault, m];
      }
      throw new Error('no fault');
    };
    const [e, m] = fault((m) => m.run(Number.MAX_SAFE_INTEGER));
    const [ref, r] = fault((m) => {
      for (;;) m.step();
    });
    expect(e).toBeInstanceOf(UnmappedAddressError);
    expect(e.message).toBe(ref.message);
    expect(e.pc).toBe(ref.pc);
    expect(e.clk).toBe(ref.clk);
    expect(e.clk).toBeGreaterThan(1024 * 8);
    expect((m.rom.compiled.get('pass1') ?? []).some((f) => f !== undefined)).toBe(true);
    expect(m.cycles).toBe(r.cycles);
    // The instructions before the faulting one completed, registers included.
    expect([...m.x]).toEqual([...r.x]);
  });
});
