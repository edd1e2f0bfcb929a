/**
 * Two ways of counting the lookups into the zkVM's tables must agree: the fillers' hand counts
 * (`lookups: 'by-hand'`, the default) and the counts read back from each component's bus
 * entries on its finished trace (`countLookupsFromEntries`, what `lookups: 'from-entries'`
 * components get). Every table the zkVM owns is covered: range16, range11, bitwise, program,
 * the memory image, zero pages and the public input.
 */
import { buildTraces, countLookupsFromEntries, isZkvmComponent, Lookups } from '@nexus/air-common';
import { traceRun } from '@nexus/air-testing';
import { bundledPlugins, createZkvm } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../src/guests.js';

// The bundled build: the Keccak precompile's components are checked too.
const zkvm = createZkvm({ plugins: bundledPlugins() });

describe('lookup counts from bus entries equal the hand counts', () => {
  it.each([
    ['fib', u32(30)],
    ['io', new TextEncoder().encode('public input bytes')],
    ['sha256-precompile', new TextEncoder().encode('x'.repeat(150))],
    ['keccak256-precompile', new TextEncoder().encode('y'.repeat(300))],
  ] as const)('%s: every table, entry by entry', (name, publicInput) => {
    const run = traceRun(guest(name), { publicInput, syscalls: zkvm.syscalls });
    const hand = run.context();
    // Every component counting by hand (the SHA-256 ones count from entries by default).
    const byHand = {
      ...zkvm.system,
      components: zkvm.system.components.map((air) => ({
        ...air,
        component: { ...air.component, lookups: 'by-hand' },
      })),
    } as unknown as typeof zkvm.system;
    const traces = buildTraces(byHand, hand);
    const fromEntries = new Lookups(hand.program, hand.publicInput.length);
    const ctx = { ...hand, lookups: fromEntries };
    for (const air of zkvm.system.components) {
      const trace = traces.get(air.name);
      if (trace === undefined || !isZkvmComponent(air.component)) continue;
      if (air.component.tracePhase === 'tables') continue;
      countLookupsFromEntries(ctx, air, trace);
    }
    for (const table of [
      'range16',
      'range11',
      'program',
      'image',
      'zeroPage',
      'publicInput',
    ] as const) {
      expect(fromEntries[table], table).toEqual(hand.lookups[table]);
    }
    for (let op = 0; op < 4; op++)
      expect(fromEntries.bitwise[op], `bitwise ${op}`).toEqual(hand.lookups.bitwise[op]);
    expect(hand.lookups.image.some((c) => c > 0)).toBe(true);
    expect(hand.lookups.zeroPage.some((c) => c > 0)).toBe(true);
  });
});
