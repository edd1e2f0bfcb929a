/**
 * The profiler: every cycle attributed to exactly one call path (totals equal pass 1's), calls,
 * returns and tail calls recognised on a program whose call structure is known, costs weighed
 * per instruction, and cycle-tracker regions measured between their markers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type BlockObserver,
  execute,
  type GuestProfile,
  loadElf,
  Machine,
  OP_COUNT,
  Op,
  type ProfileNode,
  ProfileRecorder,
  profile,
} from '../src/index.js';
import { Asm, Reg } from './support/asm.js';
import { CODE_BASE, DATA_BASE, PF_R, PF_W, PF_X, writeElf } from './support/elf-writer.js';

const guest = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));

const FUNC = 2;

/** _start calls rec(5); rec recurses down to 0, where it tail-calls leaf, which returns. */
function recursionElf(): Uint8Array {
  const code = new Asm()
    .i('addi', Reg.a0, 0, 5)
    .jal(Reg.ra, 'rec')
    .exit(0) // 3 instructions
    .label('rec')
    .branch('beq', Reg.a0, 0, 'base')
    .i('addi', Reg.sp, Reg.sp, -16)
    .store('sw', Reg.ra, Reg.sp, 0)
    .i('addi', Reg.a0, Reg.a0, -1)
    .jal(Reg.ra, 'rec')
    .load('lw', Reg.ra, Reg.sp, 0)
    .i('addi', Reg.sp, Reg.sp, 16)
    .jalr(0, Reg.ra, 0)
    .label('base')
    .jal(0, 'leaf')
    .label('leaf')
    .jalr(0, Reg.ra, 0)
    .bytes();
  return writeElf({
    entry: CODE_BASE,
    segments: [
      { vaddr: CODE_BASE, data: code, flags: PF_R | PF_X },
      { vaddr: DATA_BASE, data: new Uint8Array(0), memsz: 4096, flags: PF_R | PF_W },
    ],
    symbols: [
      { name: '_start', value: CODE_BASE, size: 20, type: FUNC },
      { name: 'rec', value: CODE_BASE + 20, size: 36, type: FUNC },
      { name: 'leaf', value: CODE_BASE + 56, size: 4, type: FUNC },
    ],
  });
}

const named = (p: GuestProfile, node: ProfileNode) => p.functions[node.fn]!.name;
const child = (p: GuestProfile, node: ProfileNode, name: string) =>
  node.children.find((c) => named(p, c) === name);

function selfTotal(node: ProfileNode): number {
  return node.cycles + node.children.reduce((n, c) => n + selfTotal(c), 0);
}

describe('profile', () => {
  it('attributes a known recursion exactly: calls, returns, a tail call', () => {
    const p = profile(recursionElf());
    expect(p.cycles).toBe(48);
    expect(selfTotal(p.root)).toBe(48);
    const start = child(p, p.root, '_start')!;
    expect(start).toMatchObject({ calls: 1, cycles: 5 });
    // rec(5) .. rec(1): 8 cycles each (5 before the call, 3 after); rec(0): beq and the jump.
    let node = start;
    for (let depth = 5; depth >= 1; depth--) {
      node = child(p, node, 'rec')!;
      expect(node, `rec(${depth})`).toMatchObject({ calls: 1, cycles: 8 });
    }
    const base = child(p, node, 'rec')!;
    expect(base).toMatchObject({ calls: 1, cycles: 2, children: [] });
    // The tail call replaces rec(0)'s frame: leaf runs as rec(1)'s callee and returns there.
    expect(child(p, node, 'leaf')).toMatchObject({ calls: 1, cycles: 1, children: [] });
    expect(p.cost).toBe(0);
  });

  it('cycles equal pass 1 on real guests, and every cycle is on one path', () => {
    for (const [name, input] of [
      ['fib', undefined],
      ['sort', Uint32Array.of(300, 5)],
      ['factorial', Uint32Array.of(60)],
    ] as const) {
      const publicInput = input === undefined ? undefined : new Uint8Array(input.buffer);
      const run = execute(guest(name), { publicInput });
      const p = profile(guest(name), { publicInput });
      expect(p.cycles, name).toBe(run.cycles);
      expect(selfTotal(p.root), name).toBe(run.cycles);
      expect(Buffer.from(p.output).equals(Buffer.from(run.output)), name).toBe(true);
      expect(p.exitCode).toBe(run.exitCode);
    }
  });

  it('the Rust recursion guest: depth d gives a chain of d + 1 level frames, each called once', () => {
    const elf = new Uint8Array(
      readFileSync(new URL('../../../guests/rust/bin/recursion.elf', import.meta.url)),
    );
    for (const depth of [0, 7, 20]) {
      const publicInput = new Uint8Array(Uint32Array.of(depth).buffer);
      const p = profile(elf, { publicInput });
      expect(p.cycles).toBe(execute(elf, { publicInput }).cycles);
      const isLevel = (n: ProfileNode) => /recursion5level/.test(named(p, n));
      // _start > main > recursion::main > level > level > ...
      const rmain = child(p, child(p, p.root, '_start')!, 'main')!.children.find((c) =>
        /recursion4main/.test(named(p, c)),
      )!;
      const chain: ProfileNode[] = [];
      for (let n = rmain.children.find(isLevel); n !== undefined; n = n.children.find(isLevel))
        chain.push(n);
      expect(chain).toHaveLength(depth + 1);
      for (const n of chain) expect(n.calls).toBe(1);
      // Every level but the innermost runs the same code: the same self cycles.
      expect(new Set(chain.slice(0, -1).map((n) => n.cycles)).size).toBeLessThanOrEqual(1);
    }
  });

  it("sort's quicksort is found under main, recursively", () => {
    const p = profile(guest('sort'), {
      publicInput: new Uint8Array(Uint32Array.of(300, 5).buffer),
    });
    const main = child(p, child(p, p.root, '_start')!, 'main')!;
    const qs = main.children.find((c) => named(p, c).startsWith('quicksort'))!;
    expect(qs.calls).toBe(1);
    expect(qs.children.some((c) => named(p, c).startsWith('quicksort'))).toBe(true);
  });

  it('weighs cycles by the per-instruction cost and the ecalls by theirs', () => {
    const op = new Float64Array(OP_COUNT + 1).fill(10);
    op[Op.JAL] = 100;
    const p = profile(recursionElf(), { weights: { op, syscall: 1000, ioByte: 0, tables: {} } });
    // 48 cycles: 7 jal (6 calls and the tail call), the exit ecall, 40 others.
    expect(p.cost).toBe(7 * 100 + 1000 + 40 * 10);
    expect(selfTotal(p.root)).toBe(48);
  });

  it('measures cycle-tracker regions between their markers, and reports unpaired ones', () => {
    const marker = (s: string) => new TextEncoder().encode(`${s}\n`);
    const start = marker('cycle-tracker-start: work');
    const end = marker('cycle-tracker-end: work');
    const stray = marker('cycle-tracker-end: nowhere');
    const data = new Uint8Array(256);
    data.set(start, 0);
    data.set(end, 64);
    data.set(stray, 128);
    const asm = new Asm().syscall(64, 2, DATA_BASE, start.length);
    for (let k = 0; k < 10; k++) asm.i('addi', Reg.t0, Reg.t0, 1);
    asm.syscall(64, 2, DATA_BASE + 64, end.length);
    asm.syscall(64, 2, DATA_BASE + 128, stray.length);
    asm.exit(0);
    const elf = writeElf({
      entry: CODE_BASE,
      segments: [
        { vaddr: CODE_BASE, data: asm.bytes(), flags: PF_R | PF_X },
        { vaddr: DATA_BASE, data, memsz: 4096, flags: PF_R | PF_W },
      ],
    });
    const op = new Float64Array(OP_COUNT + 1).fill(1);
    const p = profile(elf, { weights: { op, syscall: 50, ioByte: 2, tables: {} } });
    // After the start marker's ecall: 10 addi, then the end's 5 setup instructions (a1 takes
    // lui + addi) and its ecall.
    expect(p.regions).toEqual([
      { name: 'work', count: 1, cycles: 16, cost: 10 + 5 + 50 + 2 * end.length },
      { name: 'nowhere', count: 0, cycles: 0, cost: 0 },
    ]);
    expect(p.regionErrors).toEqual([
      expect.stringMatching(/region nowhere ended at cycle \d+ without a start/),
    ]);
    expect(new TextDecoder().decode(p.log)).toContain('cycle-tracker-start: work');
  });

  it('without call stacks (nexus run), compiled loops report in bulk: the same totals and regions', () => {
    // 60 times: a start marker, an inner loop of 25 iterations, an end marker.
    const marker = (t: string) => new TextEncoder().encode(`${t}\n`);
    const start = marker('cycle-tracker-start: inner');
    const end = marker('cycle-tracker-end: inner');
    const data = new Uint8Array(128);
    data.set(start, 0);
    data.set(end, 64);
    const asm = new Asm().li(Reg.s0, 60);
    asm.label('outer').syscall(64, 2, DATA_BASE, start.length).li(Reg.t0, 25);
    asm.label('inner').r('mul', Reg.t1, Reg.t1, Reg.t0).i('addi', Reg.t0, Reg.t0, -1);
    asm.branch('bne', Reg.t0, Reg.zero, 'inner');
    asm.syscall(64, 2, DATA_BASE + 64, end.length);
    asm.i('addi', Reg.s0, Reg.s0, -1).branch('bne', Reg.s0, Reg.zero, 'outer').exit(0);
    const elf = writeElf({
      entry: CODE_BASE,
      segments: [
        { vaddr: CODE_BASE, data: asm.bytes(), flags: PF_R | PF_X },
        { vaddr: DATA_BASE, data, memsz: 4096, flags: PF_R | PF_W },
      ],
    });
    const op = new Float64Array(OP_COUNT + 1);
    op.forEach((_, k) => {
      op[k] = 1 + (k % 7);
    });
    const weights = { op, syscall: 50, ioByte: 2, tables: {} };
    const record = (bulk: boolean) => {
      let rec: ProfileRecorder | undefined;
      const m = new Machine(loadElf(elf), { onLog: (b) => rec?.log(b) });
      rec = new ProfileRecorder(m, weights, { stacks: false });
      const r = rec;
      // The same recorder, told in bulk (counted), or block by block (no `blocks`).
      let calls = 0;
      const observer: BlockObserver = {
        block: (wi, len, pc) => r.block(wi, len, pc),
        blocks: bulk
          ? (starts, counts, n, pc) => {
              calls++;
              r.blocks!(starts, counts, n, pc);
            }
          : undefined,
      };
      m.run(1e9, observer);
      expect(m.halted).toBe(true);
      return { p: r.finish(new Uint8Array(0)), cycles: m.cycles, calls };
    };
    const bulk = record(true);
    const one = record(false);
    expect(bulk.calls).toBeGreaterThan(40);
    expect(one.calls).toBe(0);
    expect(bulk.cycles).toBe(one.cycles);
    expect(bulk.p.cycles).toBe(bulk.cycles);
    expect(bulk.p.cost).toBe(one.p.cost);
    expect(bulk.p.regions).toEqual(one.p.regions);
    expect(bulk.p.regions[0]!.count).toBe(60);
    expect(bulk.p.regionErrors).toEqual([]);
  });
});
