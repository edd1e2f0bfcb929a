/**
 * Pass 2 in segments: the segments' rows, in order, are exactly the whole run's rows (clk and
 * timestamps are global, io rows re-based per segment), the segments chain (each starts where
 * the previous one stopped), the memory and register boundary sits in the last one, and the
 * concatenation passes the independent replay of the memory argument.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  deriveLayout,
  execute,
  type FamilyRecords,
  generateRecords,
  type Records,
  recordSegments,
  VmConfigError,
} from '../src/index.js';
import { replayRecords } from './support/replay.js';
import { expectSameRecords } from './support/run.js';

const guest = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));
const u32le = (...xs: number[]) => new Uint8Array(Uint32Array.from(xs).buffer);

function concat(parts: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Bytes moved per fd (0..3) by the read/write ecalls before cycle `clk`, from whole-run rows. */
function tapesBefore(whole: Records, clk: number): number[] {
  const e = whole.families.ecall;
  const moved = [0, 0, 0, 0];
  for (let r = 0; r < e.length; r++) {
    if (e.columns.clk[r]! < clk && e.columns.op[r] !== 0)
      moved[e.columns.a0[r]!]! += e.columns.rdVal[r]!;
  }
  return moved;
}

/** A deep copy of the family and io columns (what a reused buffer overwrites). */
function copyRecords(r: Records): Records {
  const families: Record<string, FamilyRecords<string>> = {};
  for (const [name, f] of Object.entries(r.families)) {
    const columns: Record<string, Uint32Array> = {};
    for (const [c, v] of Object.entries(f!.columns as Record<string, Uint32Array>))
      columns[c] = v.slice();
    families[name] = { ...f!, columns };
  }
  const io: Record<string, Uint32Array> = {};
  for (const [c, v] of Object.entries(r.io.columns as Record<string, Uint32Array>))
    io[c] = v.slice();
  return {
    ...r,
    families: families as Records['families'],
    io: { length: r.io.length, columns: io as Records['io']['columns'] },
  };
}

/** The segments glued back into one run's records (ecall rows' ioStart re-based). */
function glue(segments: Records[]): Records {
  const last = segments.at(-1)!;
  const families: Record<string, FamilyRecords<string>> = {};
  for (const name of Object.keys(last.families)) {
    const parts = segments.map((s) => s.families[name]!);
    const columns: Record<string, Uint32Array> = {};
    for (const c of Object.keys(parts[0]!.columns)) {
      columns[c] = concat(
        parts.map((p, k) => {
          const col = (p.columns as Record<string, Uint32Array>)[c]!;
          if (c !== 'ioStart') return col;
          const before = segments.slice(0, k).reduce((n, s) => n + s.io.length, 0);
          return col.map((v) => v + before);
        }),
      );
    }
    families[name] = { family: name, length: parts.reduce((n, p) => n + p.length, 0), columns };
  }
  const io: Record<string, Uint32Array> = {};
  for (const c of Object.keys(last.io.columns))
    io[c] = concat(segments.map((s) => (s.io.columns as Record<string, Uint32Array>)[c]!));
  return {
    ...last,
    families: families as Records['families'],
    io: {
      length: segments.reduce((n, s) => n + s.io.length, 0),
      columns: io as Records['io']['columns'],
    },
  };
}

describe('pass 2 in segments', () => {
  const cases = [
    ['sort', { publicInput: u32le(300, 3) }],
    ['io', { publicInput: new Uint8Array(17).fill(7), privateInput: new Uint8Array(23).fill(9) }],
    ['factorial', { publicInput: u32le(40) }],
  ] as const;
  for (const [name, inputs] of cases) {
    it(`${name}: the segments' rows are the whole run's, and they chain`, () => {
      const elf = guest(name);
      const run = execute(elf, inputs);
      const layout = deriveLayout(run.stats);
      const whole = generateRecords(elf, layout, inputs);
      for (const size of [97, 1024, run.cycles, 2 * run.cycles]) {
        // Reused tables are rewound, not zeroed: every mode must write whole rows over the
        // previous segment's (stale values would show in the glued columns).
        for (const [jit, reuseBuffers] of [
          [true, false],
          [false, false],
          [true, true],
          ['eager', true],
          [false, true],
        ] as const) {
          // With reused buffers a segment is valid until the next one is asked for: copy it.
          const segments: Records[] = [];
          for (const s of recordSegments(elf, layout, {
            ...inputs,
            segmentCycles: size,
            jit,
            reuseBuffers,
          }))
            segments.push(reuseBuffers ? copyRecords(s) : s);
          expect(segments.length, `${size}`).toBe(Math.ceil(run.cycles / size));
          let clk = 0;
          let pc = whole.entryPc;
          for (const [k, s] of segments.entries()) {
            const info = s.segment!;
            expect(info).toMatchObject({
              index: k,
              firstClk: clk + 1,
              lastClk: Math.min(clk + size, run.cycles),
              startPc: pc,
              last: k === segments.length - 1,
            });
            expect(Array.from(info.tapes.position)).toEqual(tapesBefore(whole, clk + 1));
            expect(s.cycles).toBe(info.lastClk);
            if (!info.last) expect(s.memoryFinal.address.length).toBe(0);
            clk = info.lastClk;
            pc = s.finalPc;
          }
          const glued = glue(segments);
          expectSameRecords(glued, whole);
          expect(Array.from(glued.memoryInit.value)).toEqual(Array.from(whole.memoryInit.value));
          expect(Buffer.from(glued.publicOutput).equals(Buffer.from(whole.publicOutput))).toBe(
            true,
          );
          replayRecords(glued);
        }
      }
    });
  }

  it('a segment size that is not a positive integer is a clear error', () => {
    const elf = guest('fib');
    const layout = deriveLayout(execute(elf).stats);
    for (const bad of [0, -4, 1.5, Number.NaN]) {
      expect(() => [...recordSegments(elf, layout, { segmentCycles: bad })]).toThrow(VmConfigError);
    }
  });
});
