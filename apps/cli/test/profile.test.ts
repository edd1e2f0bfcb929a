/**
 * `nexus profile`: the summary's totals equal `nexus run`'s cycles, every output format holds
 * the same profile (pprof decoded with an independent protobuf decoder: protobufjs), and the
 * cost weighting shows what a precompile saves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { afterAll, describe, expect, it } from 'vitest';
// Test-only helpers of the VM package: an assembler and an ELF writer.
import { Asm, Reg } from '../../../packages/vm/test/support/asm.js';
import {
  CODE_BASE,
  DATA_BASE,
  PF_R,
  PF_W,
  PF_X,
  writeElf,
} from '../../../packages/vm/test/support/elf-writer.js';
import { EXIT } from '../src/exit-codes.js';
import { guest, nexus, tempDir, u32le, writeIn } from './support/nexus.js';

const { dir, cleanup } = tempDir('nexus-profile-');
afterAll(cleanup);
const sortInput = writeIn(dir, 'sort.bin', u32le(400, 9));

/** The part of pprof's profile.proto the output uses (github.com/google/pprof, proto/profile.proto). */
const PPROF = protobuf.Root.fromJSON({
  nested: {
    Profile: {
      fields: {
        sampleType: { rule: 'repeated', type: 'ValueType', id: 1 },
        sample: { rule: 'repeated', type: 'Sample', id: 2 },
        location: { rule: 'repeated', type: 'Location', id: 4 },
        function: { rule: 'repeated', type: 'Function', id: 5 },
        stringTable: { rule: 'repeated', type: 'string', id: 6 },
      },
    },
    ValueType: { fields: { type: { type: 'int64', id: 1 }, unit: { type: 'int64', id: 2 } } },
    Sample: {
      fields: {
        locationId: { rule: 'repeated', type: 'uint64', id: 1 },
        value: { rule: 'repeated', type: 'int64', id: 2 },
      },
    },
    Location: {
      fields: {
        id: { type: 'uint64', id: 1 },
        address: { type: 'uint64', id: 3 },
        line: { rule: 'repeated', type: 'Line', id: 4 },
      },
    },
    Line: { fields: { functionId: { type: 'uint64', id: 1 } } },
    Function: { fields: { id: { type: 'uint64', id: 1 }, name: { type: 'int64', id: 2 } } },
  },
}).lookupType('Profile');

describe('nexus profile', () => {
  it('counts what nexus run counts, by function, and writes every format', async () => {
    const files = ['p.pb.gz', 'p.json', 'p.folded', 'p.svg'].map((f) => join(dir, f));
    const [run, json, ...written] = await Promise.all([
      nexus(['run', guest('sort'), '--public-input', sortInput, '--json']),
      nexus(['profile', guest('sort'), '--public-input', sortInput, '--json']),
      ...files.map((f) => nexus(['profile', guest('sort'), '--public-input', sortInput, '-o', f])),
    ]);
    const cycles = JSON.parse(run.out).cycles as number;
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.out);
    expect(summary.cycles).toBe(cycles);
    expect(summary.cost).toBeGreaterThan(cycles);
    const fns = summary.functions as {
      name: string;
      calls: number;
      selfCycles: number;
      totalCycles: number;
    }[];
    expect(fns.reduce((n, f) => n + f.selfCycles, 0)).toBe(cycles);
    expect(fns.find((f) => f.name === 'main')).toMatchObject({ calls: 1 });
    expect(fns.find((f) => f.name === '_start')!.totalCycles).toBe(cycles);
    expect(fns.find((f) => f.name.startsWith('quicksort'))!.calls).toBeGreaterThan(10);
    for (const r of written) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.out).toMatch(/top \d+ of \d+ functions by self cycles/);
    }

    // pprof: gzipped profile.proto, two sample types, values summing to the totals.
    const pb = PPROF.toObject(PPROF.decode(gunzipSync(readFileSync(files[0]!))), { longs: Number });
    const str = pb.stringTable as string[];
    expect(pb.sampleType.map((t: { type: number }) => str[t.type])).toEqual(['cycles', 'cost']);
    const values = (pb.sample as { value: number[] }[]).map((s) => s.value);
    expect(values.reduce((n, v) => n + v[0]!, 0)).toBe(cycles);
    expect(Math.abs(values.reduce((n, v) => n + v[1]!, 0) - summary.cost)).toBeLessThan(
      values.length,
    );
    const names = new Map(
      (pb.function as { id: number; name: number }[]).map((f) => [f.id, str[f.name]]),
    );
    const locations = new Map(
      (pb.location as { id: number; line: { functionId: number }[] }[]).map((l) => [
        l.id,
        names.get(l.line[0]!.functionId),
      ]),
    );
    // Stacks are leaf first: every sample's last location is _start.
    for (const s of pb.sample as { locationId: number[] }[])
      expect(locations.get(s.locationId.at(-1)!)).toBe('_start');

    // speedscope: a cycles profile and a cost profile over the same frames.
    const ss = JSON.parse(readFileSync(files[1]!, 'utf8'));
    expect(ss.profiles).toHaveLength(2);
    expect(ss.profiles[0].weights.reduce((n: number, w: number) => n + w, 0)).toBe(cycles);
    expect(ss.profiles[0].endValue).toBe(cycles);

    // folded stacks and the SVG flame graph.
    const folded = readFileSync(files[2]!, 'utf8').trim().split('\n');
    expect(folded.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0)).toBe(cycles);
    expect(folded.every((l) => l.startsWith('_start'))).toBe(true);
    const svg = readFileSync(files[3]!, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<title>quicksort');
  }, 120_000);

  it('prices a precompile call as its rows: SHA-256 of 1 KiB costs far less with it', async () => {
    const msg = writeIn(
      dir,
      'msg.bin',
      new Uint8Array(1024).map((_, i) => (i * 7) & 0xff),
    );
    const [plain, pre] = await Promise.all(
      ['sha256', 'sha256-precompile'].map((g) =>
        nexus(['profile', guest(g), '--public-input', msg, '--json']),
      ),
    );
    const a = JSON.parse(plain!.out);
    const b = JSON.parse(pre!.out);
    // The precompile's rows are wide (68 rows per call), so its cost per cycle is higher, and
    // the whole run still costs a small fraction of the software hash's.
    expect(b.cost / b.cycles).toBeGreaterThan(a.cost / a.cycles);
    expect(b.cost).toBeLessThan(a.cost / 5);
  }, 60_000);

  it('nexus run and nexus profile report the same cycle-tracker regions', async () => {
    const start = new TextEncoder().encode('cycle-tracker-start: loop\n');
    const end = new TextEncoder().encode('cycle-tracker-end: loop\n');
    const data = new Uint8Array(128);
    data.set(start, 0);
    data.set(end, 64);
    const asm = new Asm();
    for (let k = 0; k < 3; k++) {
      asm.syscall(64, 2, DATA_BASE, start.length);
      for (let j = 0; j < 20; j++) asm.i('addi', Reg.t0, Reg.t0, 1);
      asm.syscall(64, 2, DATA_BASE + 64, end.length);
    }
    asm.exit(0);
    const elf = writeIn(
      dir,
      'regions.elf',
      writeElf({
        entry: CODE_BASE,
        segments: [
          { vaddr: CODE_BASE, data: asm.bytes(), flags: PF_R | PF_X },
          { vaddr: DATA_BASE, data, memsz: 4096, flags: PF_R | PF_W },
        ],
      }),
    );
    const [run, prof, text] = await Promise.all([
      nexus(['run', elf, '--json']),
      nexus(['profile', elf, '--json']),
      nexus(['run', elf]),
    ]);
    const fromRun = JSON.parse(run.out).regions;
    // Each pass: 20 addi, the end marker's 5 setup instructions and its ecall.
    expect(fromRun).toEqual([{ name: 'loop', count: 3, cycles: 3 * 26, cost: expect.any(Number) }]);
    expect(fromRun[0].cost).toBeGreaterThan(3 * 26);
    expect(JSON.parse(prof.out).regions).toEqual(fromRun);
    expect(text.stderr).toMatch(/nexus run: region loop: 78 cycles, cost [\d,]+ cells \(3x\)/);
  });

  it('bad options are usage errors', async () => {
    const [weight, ext, fmt] = await Promise.all([
      nexus(['profile', guest('fib'), '--weight', 'time']),
      nexus(['profile', guest('fib'), '-o', join(dir, 'x.bin')]),
      nexus(['profile', guest('fib'), '--format', 'svg']),
    ]);
    expect(weight.code).toBe(EXIT.USAGE);
    expect(weight.stderr).toMatch(/--weight is cycles or cost/);
    expect(ext.code).toBe(EXIT.USAGE);
    expect(ext.stderr).toMatch(/cannot tell the format of .*x\.bin/);
    expect(fmt.code).toBe(EXIT.USAGE);
    expect(fmt.stderr).toMatch(/--format needs -o FILE/);
  });
});
