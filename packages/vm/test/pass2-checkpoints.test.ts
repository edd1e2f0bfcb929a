/**
 * Pass 2 resumed from checkpoints: a segment regenerated from the nearest checkpoint has exactly
 * the records of the same segment in a run from cycle 0 (timestamps, tapes, output included).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  deriveLayout,
  execute,
  Pass2Checkpoints,
  type Records,
  recordSegments,
  type SyscallExtension,
  VmConfigError,
} from '../src/index.js';

// The shape of SHA-256's precompile (16 words read, 8 written), with a stand-in computation: the
// records only need a deterministic one (this package does not depend on the plugin).
const compressLike: SyscallExtension = {
  number: 0x1001,
  name: 'sha256_compress',
  plugin: 'test',
  table: 'compress',
  regions: [
    { arg: 1, words: 16, writes: false },
    { arg: 0, words: 8, writes: true },
  ],
  compute(words) {
    for (let k = 0; k < 8; k++) words[16 + k] = (words[16 + k]! * 31 + words[k]! + k) >>> 0;
  },
};

const guest = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));

const cases = [
  // Memory-heavy: every word's last-access timestamp matters.
  { name: 'sort', inputs: {}, segmentCycles: 8192 },
  // Reads its input tape and writes output and log: the tapes' positions and bytes.
  {
    name: 'io',
    inputs: {
      publicInput: new TextEncoder().encode('hello, tapes'),
      privateInput: new Uint8Array([7, 8, 9]),
    },
    segmentCycles: 64,
  },
  // A precompile (its memory regions, timestamps at 4·clk + 1 and + 3).
  {
    name: 'sha256-precompile',
    inputs: { publicInput: new TextEncoder().encode('abc'), syscalls: [compressLike] },
    segmentCycles: 256,
  },
];

describe('pass 2 from checkpoints', () => {
  for (const { name, inputs, segmentCycles } of cases) {
    it(`${name}: every segment resumed from its checkpoint equals the run from cycle 0`, () => {
      const elf = guest(name);
      const layout = deriveLayout(execute(elf, inputs).stats);
      const fromZero: Records[] = [...recordSegments(elf, layout, { ...inputs, segmentCycles })];
      expect(fromZero.length).toBeGreaterThan(3);
      const checkpoints = new Pass2Checkpoints();
      /** Segment k from the nearest checkpoint; checks that the run started there. */
      const segmentAt = (k: number): Records => {
        const expected = Math.min(k, checkpoints.count - 1);
        let started: number | undefined;
        for (const r of recordSegments(elf, layout, {
          ...inputs,
          segmentCycles,
          checkpoints,
          fromSegment: k,
        })) {
          started ??= r.segment!.index;
          if (r.segment!.index === k) {
            expect(started).toBe(Math.max(expected, 0));
            return r;
          }
        }
        throw new Error(`no segment ${k}`);
      };
      // Filled by a first run up to the middle; a resume past its last checkpoint adds the rest.
      const half = fromZero.length >> 1;
      expect(segmentAt(half)).toEqual(fromZero[half]);
      // Segments 0..half ran: the checkpoint of half + 1 is taken as half ends.
      expect(checkpoints.count).toBe(half + 2);
      const last = fromZero.length - 1;
      expect(segmentAt(last)).toEqual(fromZero[last]);
      expect(checkpoints.count).toBe(fromZero.length);
      for (const k of [1, half - 1, half + 1, last - 1, 0, last])
        expect(segmentAt(k), `segment ${k}`).toEqual(fromZero[k]);
      expect(checkpoints.storedBytes()).toBeGreaterThan(0);
    });
  }

  it('every N segments: resumes from the checkpoint before and runs the segments between', () => {
    const elf = guest('sort');
    const layout = deriveLayout(execute(elf).stats);
    const segmentCycles = 4096;
    const fromZero = [...recordSegments(elf, layout, { segmentCycles })];
    const checkpoints = new Pass2Checkpoints(3);
    for (const _ of recordSegments(elf, layout, { segmentCycles, checkpoints })) {
      // run to the end: a checkpoint at segments 0, 3, 6, ...
    }
    expect(checkpoints.count).toBe(Math.ceil(fromZero.length / 3));
    const run = recordSegments(elf, layout, { segmentCycles, checkpoints, fromSegment: 8 });
    const got = [run.next().value, run.next().value, run.next().value] as Records[];
    expect(got.map((r) => r.segment!.index)).toEqual([6, 7, 8]);
    expect(got[2]).toEqual(fromZero[8]);
  });

  it('a store is for one run: another segment size or layout is refused', () => {
    const elf = guest('fib');
    const layout = deriveLayout(execute(elf).stats);
    const checkpoints = new Pass2Checkpoints();
    recordSegments(elf, layout, { segmentCycles: 512, checkpoints }).next();
    expect(() => recordSegments(elf, layout, { segmentCycles: 1024, checkpoints }).next()).toThrow(
      VmConfigError,
    );
    const other = deriveLayout(execute(elf).stats);
    expect(() => recordSegments(elf, other, { segmentCycles: 512, checkpoints }).next()).toThrow(
      /another run/,
    );
    expect(() =>
      recordSegments(elf, layout, { segmentCycles: 512, checkpoints, fromSegment: -1 }).next(),
    ).toThrow(VmConfigError);
    expect(() => new Pass2Checkpoints(0)).toThrow(VmConfigError);
  });
});
