import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ElfProgram, loadElf, Machine, stepWithEffects } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { PAGE_SYSCALLS } from './precompiles.js';
import { DebugSession } from './session.js';

const guest = (name: string): ElfProgram =>
  loadElf(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));

const STACK_TOP = 0x7f00_0000;

/** The reference: a fresh machine run straight to `cycle`, as `nexus trace` does. */
function freshAt(program: ElfProgram, cycle: number, publicInput?: Uint8Array): Machine {
  const m = new Machine(program, publicInput ? { publicInput } : {});
  m.run(cycle);
  return m;
}

describe('DebugSession', () => {
  const sort = guest('sort');
  // A small interval, so that the run has many checkpoints and every path is exercised.
  const session = new DebugSession(sort, { interval: 1000 });
  const end = session.recordAll();

  it('records the whole run with its end', () => {
    expect(end).toEqual({ kind: 'exit', exitCode: 0 });
    expect(session.lastCycle).toBe(freshAt(sort, 1e9).cycles);
    expect(session.checkpointCount).toBe(Math.floor(session.lastCycle / 1000) + 1);
  });

  it('the state at cycle k is a fresh run to k: pc, registers, memory, effects', () => {
    // Forward, backward, across checkpoints and exactly on them.
    for (const k of [1, 2, 999, 1000, 1001, 54_321, 3, 200_000, 200_001, session.lastCycle]) {
      const st = session.stateAt(k, STACK_TOP - 256, 64);
      const ref = freshAt(sort, k - 1);
      const effects = stepWithEffects(ref);
      expect(st.executed).toEqual(effects);
      expect(st.nextPc).toBe(ref.pc);
      expect(Array.from(st.registers)).toEqual(Array.from(ref.x));
      const words = Array.from({ length: 64 }, (_, i) => {
        const w = ref.map.wordIndex(STACK_TOP - 256 + 4 * i);
        return w < 0 ? undefined : ref.words[w]! >>> 0;
      });
      expect(st.memory.words).toEqual(words);
      expect(st.changed).toEqual(new Set(effects.writes.map((w) => w.reg)));
    }
  });

  it('the whole memory at a cycle restored from a checkpoint equals a fresh run', () => {
    for (const k of [150_000, 7_000]) {
      session.stateAt(k);
      const ref = freshAt(sort, k);
      // The cursor machine is private: reach it through a state that reads all of memory.
      const regions = ref.map.regions;
      for (const r of regions) {
        const st = session.stateAt(k, r.start, Math.min((r.end - r.start) / 4, 4096));
        st.memory.words.forEach((w, i) => {
          const idx = ref.map.wordIndex(r.start + 4 * i);
          expect(w).toBe(ref.words[idx]! >>> 0);
        });
      }
    }
  });

  it('stepping back equals re-running', () => {
    const forward = [5000, 5001, 5002].map((k) => session.stateAt(k));
    const back = [5002, 5001, 5000].map((k) => session.stateAt(k)).reverse();
    expect(back).toEqual(forward);
  });

  it('cycle 0 is the initial state', () => {
    const st = session.stateAt(0);
    expect(st.executed).toBeUndefined();
    expect(st.nextPc).toBe(sort.entry);
    expect(st.registers[2]! >>> 0).toBe(STACK_TOP);
  });

  it('rejects cycles outside the run', () => {
    expect(() => session.stateAt(session.lastCycle + 1)).toThrow(/outside the run/);
    expect(() => session.stateAt(-1)).toThrow(/outside the run/);
  });

  it('finds the next cycle whose instruction is at a breakpoint, as a trace would', () => {
    const main = sort.symbols.find((s) => s.name === 'main')!.value;
    const hit = session.nextHit(0, new Set([main]))!;
    // The reference: step a fresh machine until it executes main's first instruction.
    const ref = new Machine(sort);
    while (ref.pc !== main) ref.step();
    expect(hit).toBe(ref.cycles + 1);
    expect(session.stateAt(hit).executed?.pc).toBe(main);
    expect(session.nextHit(hit, new Set([main]))).toBeUndefined();
  });

  it('shows the output and the debug log as written up to the cycle', () => {
    const fib = new DebugSession(guest('fib'));
    fib.recordAll();
    const last = fib.stateAt(fib.lastCycle);
    expect(new TextDecoder().decode(last.log)).toBe('fib(50) mod 2^64 = 12586269025\n');
    expect(last.output.length).toBe(8);
    expect(fib.stateAt(0).log.length).toBe(0);
    expect(fib.stateAt(0).output.length).toBe(0);
    // The log grows at exactly one cycle: the write ecall.
    let k = 0;
    while (fib.stateAt(k).log.length === 0) k++;
    expect(fib.stateAt(k).executed?.syscall?.name).toBe('write');
  });

  it('tracks the input tape positions', () => {
    const input = new Uint8Array([7, 0, 0, 0]);
    const fib = new DebugSession(guest('fib'), { publicInput: input });
    fib.recordAll();
    expect(fib.stateAt(0).publicInput).toEqual({ position: 0, length: 4 });
    expect(fib.stateAt(fib.lastCycle).publicInput).toEqual({ position: 4, length: 4 });
    expect(new TextDecoder().decode(fib.stateAt(fib.lastCycle).log)).toContain('fib(7) mod');
  });

  it('stops a run at the cycle limit', () => {
    const cut = new DebugSession(guest('sort'), { maxCycles: 10_000 });
    expect(cut.recordAll()).toEqual({ kind: 'limit', maxCycles: 10_000 });
    expect(cut.lastCycle).toBe(10_000);
  });

  it('ends a faulting run at the cycle before the fault, and keeps the fault', () => {
    // addi a0, zero, 5; addi a1, zero, 6; lw a2, 0(zero): address 0 is not mapped.
    const code = new Uint8Array(new Uint32Array([0x00500513, 0x00600593, 0x00002603]).buffer);
    const program: ElfProgram = {
      entry: 0x10000,
      flags: 0,
      symbols: [],
      requires: [],
      segments: [
        {
          vaddr: 0x10000,
          memsz: code.length,
          filesz: code.length,
          flags: 5,
          executable: true,
          writable: false,
          data: code,
        },
      ],
    };
    const s = new DebugSession(program);
    const end = s.recordAll();
    expect(end.kind).toBe('fault');
    if (end.kind !== 'fault') return;
    expect(end.error.name).toBe('UnmappedAddressError');
    expect(end.error.clk).toBe(3);
    expect(s.lastCycle).toBe(2);
    expect(s.stateAt(2).registers[11]).toBe(6);
    expect(s.stateAt(2).nextPc).toBe(0x10008);
  });
});

describe('DebugSession memory views', () => {
  it('computes the window from the registers of the cycle (following sp)', () => {
    const s = new DebugSession(guest('fib'));
    s.recordAll();
    const k = Math.floor(s.lastCycle / 2);
    const st = s.stateAt(k, (x) => x[2]! >>> 0, 4);
    expect(st.memory.address).toBe((st.registers[2]! & ~3) >>> 0);
    expect(st.memory.words).toEqual(s.stateAt(k, st.memory.address, 4).memory.words);
  });
});

describe('a guest calling a precompile', () => {
  it('opens, steps and exits with the SHA-256 precompile as a fresh machine with it runs', () => {
    const program = guest('sha256-precompile');
    const publicInput = new TextEncoder().encode('abc');
    const s = new DebugSession(program, { publicInput, syscalls: PAGE_SYSCALLS, interval: 200 });
    expect(s.recordAll()).toEqual({ kind: 'exit', exitCode: 0 });
    const last = s.stateAt(s.lastCycle);
    expect(Buffer.from(last.output).toString('hex')).toBe(
      createHash('sha256').update('abc').digest('hex'),
    );
    let calls = 0;
    const ref = new Machine(program, { publicInput, syscalls: PAGE_SYSCALLS });
    for (let k = 1; k <= s.lastCycle; k++) {
      const expected = stepWithEffects(ref);
      if (expected.syscall?.name !== 'sha256_compress') continue;
      calls++;
      // Across checkpoints: the call's effects and the state words it wrote.
      const st = s.stateAt(k, expected.syscall.args[0], 8);
      expect(st.executed).toEqual(expected);
      const words = Array.from({ length: 8 }, (_, i) => {
        const w = ref.map.wordIndex(expected.syscall!.args[0] + 4 * i);
        return ref.words[w]! >>> 0;
      });
      expect(st.memory.words).toEqual(words);
    }
    expect(calls).toBeGreaterThan(0);
  });

  it('without the precompile, the run faults there naming its plugin', () => {
    const s = new DebugSession(guest('sha256-precompile'));
    const end = s.recordAll();
    expect(end.kind).toBe('fault');
    expect(end.kind === 'fault' && end.error.message).toMatch(/@nexus\/precompile-sha256/);
  });
});
