import { readFileSync } from 'node:fs';
import { buildTraces, type ZkvmComponent } from '@nexus/air-common';
import { traceRun } from '@nexus/air-testing';
import { assembleSystem, type Plugin } from '@nexus/kernel';
import { rv32im } from '@nexus/rv32im';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Syscall } from '../src/index.js';

// The precompile's components count their lookups from their bus entries (`lookups:
// 'from-entries'`): the tables must end with exactly the counts the fillers' own hand counting
// gives, and the traces must balance.
const elf = readFileSync(new URL('../../../guests/bin/sha256-precompile.elf', import.meta.url));

/** The sha256 plugin with its components switched to the other way of counting. */
function byHand(plugin: Plugin): Plugin {
  return {
    ...plugin,
    apply(host) {
      plugin.apply(host);
      const taps = host.hooks.components.taps as unknown as { fn: (r: unknown) => void }[];
      const last = taps[taps.length - 1]!;
      const fn = last.fn;
      last.fn = (r) =>
        fn({
          add: (c: ZkvmComponent) =>
            (r as { add(c: unknown): void }).add({ ...c, lookups: 'by-hand' }),
        });
    },
  };
}

describe('lookups counted from bus entries', () => {
  it('equal the fillers hand counts, table by table', () => {
    const run = traceRun(elf, {
      publicInput: new TextEncoder().encode('x'.repeat(150)),
      syscalls: [sha256Syscall],
    });
    const counts = (plugins: Plugin[]) => {
      const ctx = run.context();
      buildTraces(assembleSystem(plugins), ctx);
      return ctx.lookups;
    };
    const auto = counts([...rv32im(), sha256()]);
    const hand = counts([...rv32im(), byHand(sha256())]);
    expect(auto.range16).toEqual(hand.range16);
    expect(auto.range11).toEqual(hand.range11);
    for (let op = 0; op < 4; op++) expect(auto.bitwise[op]).toEqual(hand.bitwise[op]);
    expect(auto.program).toEqual(hand.program);
    expect(auto.range16.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
