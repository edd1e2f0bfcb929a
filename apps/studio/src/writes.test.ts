import { readFileSync } from 'node:fs';
import { type ElfProgram, loadElf, Machine, SYS_READ, stepWithEffects } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { PAGE_SYSCALLS } from './precompiles.js';
import { DebugSession } from './session.js';
import type { WriteTarget } from './writes.js';

const guest = (name: string): ElfProgram =>
  loadElf(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));

/**
 * The reference: every cycle that writes the target, from the effects `nexus trace` reports
 * (register writes, stores) plus the bytes a read ecall copies into memory.
 */
function writeCycles(
  program: ElfProgram,
  target: WriteTarget,
  inputs: {
    publicInput?: Uint8Array;
    privateInput?: Uint8Array;
    syscalls?: typeof PAGE_SYSCALLS;
  } = {},
): number[] {
  const m = new Machine(program, inputs);
  const hits: number[] = [];
  while (!m.halted) {
    const e = stepWithEffects(m);
    const word = (target.kind === 'memory' ? target.address & ~3 : 0) >>> 0;
    const hit =
      target.kind === 'register'
        ? e.writes.some((w) => w.reg === target.reg)
        : e.memory.some((a) => a.kind === 'store' && (a.address & ~3) >>> 0 === word) ||
          (e.syscall?.a7 === SYS_READ &&
            e.syscall.result > 0 &&
            e.syscall.args[1] >>> 0 < word + 4 &&
            word < (e.syscall.args[1] >>> 0) + e.syscall.result) ||
          // sha256_compress(state = a0, block = a1) rewrites the 8 state words.
          (e.syscall?.name === 'sha256_compress' &&
            word >= e.syscall.args[0] >>> 0 &&
            word < (e.syscall.args[0] >>> 0) + 32);
    if (hit) hits.push(e.clk);
  }
  return hits;
}

/** All the hits the session finds, walking forward with nextWrite and back with previousWrite. */
function walk(s: DebugSession, target: WriteTarget): { forward: number[]; backward: number[] } {
  const forward: number[] = [];
  for (let c = s.nextWrite(0, target); c !== undefined; c = s.nextWrite(c, target)) forward.push(c);
  const backward: number[] = [];
  for (
    let c = s.previousWrite(s.lastCycle, target);
    c !== undefined;
    c = s.previousWrite(c, target)
  )
    backward.push(c);
  return { forward, backward: backward.reverse() };
}

describe('previous and next writes', () => {
  it('finds every write to a register, both ways, as the trace reports them', () => {
    const program = guest('fib');
    const s = new DebugSession(program, { interval: 500 });
    s.recordAll();
    for (const reg of [10, 2, 15]) {
      const expected = writeCycles(program, { kind: 'register', reg });
      expect(expected.length).toBeGreaterThan(3);
      const last = s.lastCycle;
      // previousWrite(lastCycle) looks before the last cycle, so the last one is excluded.
      const { forward, backward } = walk(s, { kind: 'register', reg });
      expect(forward).toEqual(expected);
      expect(backward).toEqual(expected.filter((c) => c < last));
    }
  });

  it('finds writes to a memory word: stores, and the bytes a read ecall copies', () => {
    const publicInput = new TextEncoder().encode('public hello');
    const program = guest('io');
    const s = new DebugSession(program, { publicInput, interval: 300 });
    s.recordAll();
    // The word the first read ecall fills.
    let c = 0;
    let buffer = -1;
    while (buffer < 0) {
      const e = s.stateAt(++c).executed!;
      if (e.syscall?.name === 'read' && e.syscall.result > 0) buffer = e.syscall.args[1] >>> 0;
    }
    const target: WriteTarget = { kind: 'memory', address: buffer };
    const expected = writeCycles(program, target, { publicInput });
    expect(expected).toContain(c);
    const { forward, backward } = walk(s, target);
    expect(forward).toEqual(expected);
    expect(backward).toEqual(expected.filter((k) => k < s.lastCycle));
  });

  it("finds writes to a memory word by a precompile: sha256_compress's state words", () => {
    const publicInput = new TextEncoder().encode('abc');
    const program = guest('sha256-precompile');
    const s = new DebugSession(program, { publicInput, syscalls: PAGE_SYSCALLS, interval: 300 });
    expect(s.recordAll()).toEqual({ kind: 'exit', exitCode: 0 });
    let c = 0;
    let state = -1;
    while (state < 0) {
      const e = s.stateAt(++c).executed!;
      if (e.syscall?.name === 'sha256_compress') state = e.syscall.args[0] >>> 0;
    }
    const target: WriteTarget = { kind: 'memory', address: state + 12 };
    const expected = writeCycles(program, target, { publicInput, syscalls: PAGE_SYSCALLS });
    expect(expected).toContain(c);
    const { forward, backward } = walk(s, target);
    expect(forward).toEqual(expected);
    expect(backward).toEqual(expected.filter((k) => k < s.lastCycle));
    // The call wrote a0 too (0), and the word after the state is not the call's.
    expect(s.nextWrite(c - 1, { kind: 'register', reg: 10 })).toBe(c);
    expect(walk(s, { kind: 'memory', address: state + 32 }).forward).not.toContain(c);
  });

  it('x0 is never written', () => {
    const s = new DebugSession(guest('fib'));
    s.recordAll();
    expect(s.nextWrite(0, { kind: 'register', reg: 0 })).toBeUndefined();
  });
});
