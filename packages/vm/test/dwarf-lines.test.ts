import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ElfError,
  type LineTable,
  lineAt,
  loadElf,
  NO_SOURCE,
  parseDebugLine,
  readLineTable,
  symbolValue,
} from '../src/index.js';
import { concat, lineUnit, op, uleb } from './support/dwarf-line-writer.js';
import { objdumpLines } from './support/objdump-lines.js';
import { hasGcc, hasObjdump, warnMissing } from './support/qemu.js';

const guestsDir = fileURLToPath(new URL('../../../guests/', import.meta.url));
const guestPath = (name: string) => join(guestsDir, 'bin', `${name}.elf`);
const guest = (name: string) => new Uint8Array(readFileSync(guestPath(name)));
const CODE = [{ start: 0x10000, end: 0x20000 }];
/**
 * A DWARF 5 file table of one source: files are numbered from 0 there but the file register
 * starts at 1, so GCC writes the primary file twice.
 */
const A_C = [0, 1].map(() => ({ name: 'a.c', dir: 0 }));

/** "path:line:column" at `address`, or undefined. */
function where(table: LineTable, address: number): string | undefined {
  const l = lineAt(table, address);
  return l === undefined ? undefined : `${l.file.path}:${l.line}:${l.column}`;
}

/** Every unit in every supported version gives the same rows for the same program. */
function sampleUnit(version: 2 | 3 | 4 | 5): Uint8Array {
  const v5 = version === 5;
  return lineUnit({
    version,
    directories: v5 ? ['/src', 'inc'] : ['inc'],
    files: v5
      ? [
          { name: 'main.c', dir: 0 },
          { name: 'main.c', dir: 0 },
          { name: 'util.h', dir: 1 },
        ]
      : [
          { name: 'main.c', dir: 0 },
          { name: 'util.h', dir: 1 },
        ],
    program: [
      ...op.setAddress(0x10000),
      ...op.setColumn(5),
      ...op.advanceLine(9), // line 10
      ...op.copy(), // 0x10000 main.c:10:5
      ...op.special(4, 2), // 0x10004 main.c:12:5
      ...op.setFile(2),
      ...op.setColumn(1),
      ...op.special(4, -5), // 0x10008 util.h:7:1
      ...op.setFile(1),
      ...op.constAddPc(), // + 17 (opcode 255's address advance)
      ...op.advancePc(3), // 0x1001c
      ...op.advanceLine(20),
      ...op.copy(), // 0x1001c main.c:27:1
      ...op.fixedAdvancePc(8),
      ...op.endSequence(), // ends at 0x10024
    ],
  });
}

describe('DWARF .debug_line: line-number programs', () => {
  for (const version of [2, 3, 4, 5] as const) {
    it(`DWARF ${version}: every opcode kind, paths joined as the version says`, () => {
      const t = parseDebugLine({ line: sampleUnit(version) }, CODE);
      const main = version === 5 ? '/src/main.c' : 'main.c';
      const util = version === 5 ? '/src/inc/util.h' : 'inc/util.h';
      expect(where(t, 0x10000)).toBe(`${main}:10:5`);
      expect(where(t, 0x10003)).toBe(`${main}:10:5`);
      expect(where(t, 0x10004)).toBe(`${main}:12:5`);
      expect(where(t, 0x10008)).toBe(`${util}:7:1`);
      expect(where(t, 0x10018)).toBe(`${util}:7:1`);
      expect(where(t, 0x1001c)).toBe(`${main}:27:1`);
      expect(where(t, 0x10020)).toBe(`${main}:27:1`);
      expect(where(t, 0x10024)).toBeUndefined(); // the end of the sequence
      expect(where(t, 0xfffc)).toBeUndefined();
      const relative = t.files.map((f) => f.relative).sort();
      expect(relative).toEqual(['inc/util.h', 'main.c']);
    });
  }

  it('several rows at one address: the last describes the instruction', () => {
    const line = lineUnit({
      version: 5,
      directories: ['/d'],
      files: A_C,
      program: [
        ...op.setAddress(0x10000),
        ...op.copy(),
        ...op.special(0, 1),
        ...op.special(0, 1), // line 3 at 0x10000
        ...op.special(4, 1),
        ...op.advancePc(4),
        ...op.endSequence(),
      ],
    });
    const t = parseDebugLine({ line }, CODE);
    expect(where(t, 0x10000)).toBe('/d/a.c:3:0');
    expect(where(t, 0x10004)).toBe('/d/a.c:4:0');
    expect(where(t, 0x10008)).toBeUndefined();
  });

  it('DW_LNE_define_file (DWARF 2-4) adds a file', () => {
    const line = lineUnit({
      version: 3,
      directories: [],
      files: [{ name: 'a.c', dir: 0 }],
      program: [
        ...op.defineFile('gen.c', 0),
        ...op.setAddress(0x10000),
        ...op.setFile(2),
        ...op.copy(),
        ...op.advancePc(4),
        ...op.endSequence(),
      ],
    });
    expect(where(parseDebugLine({ line }, CODE), 0x10000)).toBe('gen.c:1:0');
  });

  it('sequences outside the code are left out; adjacent ones join; units concatenate', () => {
    const unit = (start: number, firstLine: number) =>
      lineUnit({
        version: 5,
        directories: ['/d'],
        files: [0, 1].map(() => ({ name: `f${start.toString(16)}.c`, dir: 0 })),
        program: [
          ...op.setAddress(start),
          ...op.advanceLine(firstLine - 1),
          ...op.copy(),
          ...op.advancePc(8),
          ...op.endSequence(),
        ],
      });
    // A function --gc-sections dropped keeps its line program, at address 0.
    const t = parseDebugLine(
      { line: concat(unit(0x10008, 7), unit(0, 1), unit(0x10000, 3)) },
      CODE,
    );
    expect(Array.from(t.address)).toEqual([0x10000, 0x10008, 0x10010]);
    expect(t.file[2]).toBe(NO_SOURCE);
    expect(where(t, 0x10004)).toBe('/d/f10000.c:3:0');
    expect(where(t, 0x10008)).toBe('/d/f10008.c:7:0');
    expect(where(t, 0)).toBeUndefined();
  });

  it('an ELF without .debug_line has no table', () => {
    const elf = guest('mext'); // built without -g
    expect(readLineTable(elf, loadElf(elf))).toBeUndefined();
  });
});

describe('DWARF .debug_line: what it refuses, with a clear ElfError', () => {
  const refuse = (line: Uint8Array, message: RegExp) => {
    expect(() => parseDebugLine({ line }, CODE)).toThrow(ElfError);
    expect(() => parseDebugLine({ line }, CODE)).toThrow(message);
  };
  const good = sampleUnit(5);

  it('64-bit DWARF', () => {
    const line = new Uint8Array(good.length + 8);
    line.set([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]);
    refuse(line, /64-bit DWARF .* is not supported/);
  });

  it('versions other than 2 to 5', () => {
    for (const v of [1, 6, 0xffff]) {
      const line = good.slice();
      line[4] = v & 0xff;
      line[5] = v >>> 8;
      refuse(line, new RegExp(`line table version ${v} is not supported`));
    }
  });

  it('a unit longer than the section, and a truncated header', () => {
    refuse(good.subarray(0, good.length - 1), /unit length \d+ runs past the end/);
    refuse(new Uint8Array([2, 0, 0, 0, 5, 0]), /needs 1 more byte/);
  });

  it('a row naming a file the table does not have', () => {
    const line = lineUnit({
      version: 5,
      directories: ['/d'],
      files: A_C,
      program: [...op.setAddress(0x10000), ...op.setFile(9), ...op.copy(), ...op.endSequence()],
    });
    refuse(line, /row names file 9/);
  });

  it('a program that ends inside a sequence', () => {
    const line = lineUnit({
      version: 4,
      directories: [],
      files: [{ name: 'a.c', dir: 0 }],
      program: [...op.setAddress(0x10000), ...op.copy()],
    });
    refuse(line, /ends inside a sequence/);
  });

  it('addresses that go backwards, sequences that overlap', () => {
    const back = lineUnit({
      version: 5,
      directories: ['/d'],
      files: A_C,
      program: [
        ...op.setAddress(0x10010),
        ...op.copy(),
        ...op.setAddress(0x10000),
        ...op.copy(),
        ...op.endSequence(),
      ],
    });
    refuse(back, /moves back to 0x00010000/);
    const seq = (start: number) => [
      ...op.setAddress(start),
      ...op.copy(),
      ...op.advancePc(8),
      ...op.endSequence(),
    ];
    const overlap = lineUnit({
      version: 5,
      directories: ['/d'],
      files: A_C,
      program: [...seq(0x10000), ...seq(0x10004)],
    });
    refuse(overlap, /line sequences overlap at 0x00010004/);
  });

  it('strings by DW_FORM_strx (they need .debug_str_offsets) and a missing .debug_line_str', () => {
    const withForm = (form: number, entry: number[]) =>
      lineUnit({
        version: 5,
        directories: [],
        rawDirectories: { form, entries: [entry] },
        files: [0, 1].map(() => ({ name: 'main.c', dir: 0 })),
        program: [...op.setAddress(0x10000), ...op.copy(), ...op.advancePc(4), ...op.endSequence()],
      });
    refuse(withForm(0x25, [0]), /DW_FORM_strx\*\) needs \.debug_str_offsets/);
    refuse(
      withForm(0x1f, [0, 0, 0, 0]),
      /refers to \.debug_line_str, which the file does not have/,
    );
    // With the section, the same unit reads.
    const lineStr = new TextEncoder().encode('/x\0');
    const t = parseDebugLine({ line: withForm(0x1f, [0, 0, 0, 0]), lineStr }, CODE);
    expect(where(t, 0x10000)).toBe('/x/main.c:1:0');
  });

  it('LEB128 values that do not fit 32 bits', () => {
    const line = lineUnit({
      version: 5,
      directories: ['/d'],
      files: A_C,
      program: [2, 0xff, 0xff, 0xff, 0xff, 0x7f, ...op.endSequence()],
    });
    refuse(line, /does not fit 32 bits/);
  });
});

describe('DWARF .debug_line: hostile input', () => {
  /** A table or an ElfError, and a table that is well formed. */
  const tableOrElfError = (sections: Parameters<typeof parseDebugLine>[0]) => {
    let t: LineTable;
    try {
      t = parseDebugLine(sections, CODE);
    } catch (e) {
      if (!(e instanceof ElfError)) throw e;
      return;
    }
    for (let i = 1; i < t.address.length; i++)
      expect(t.address[i]).toBeGreaterThan(t.address[i - 1]!);
    for (const f of t.file) if (f !== NO_SOURCE) expect(f).toBeLessThan(t.files.length);
    expect(t.address.length).toBeLessThanOrEqual(sections.line.length);
  };

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (line) => tableOrElfError({ line })),
      { numRuns: 2000 },
    );
  });

  it('random units: a valid header, a random program', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3, 4, 5),
        fc.uint8Array({ maxLength: 200 }),
        (version, program) =>
          tableOrElfError({
            line: lineUnit({
              version: version as 2 | 3 | 4 | 5,
              directories: ['/d'],
              files: A_C,
              program: [...op.setAddress(0x10000), ...program],
            }),
          }),
      ),
      { numRuns: 2000 },
    );
  });

  it("mutations of fib.elf's .debug_line and .debug_line_str", () => {
    const elf = guest('fib');
    const program = loadElf(elf);
    const honest = readLineTable(elf, program)!;
    expect(honest.address.length).toBeGreaterThan(1000);
    const view = (name: string) => {
      const at = Buffer.from(elf).indexOf(`${name}\0`);
      expect(at).toBeGreaterThan(0);
      return name;
    };
    view('.debug_line');
    // Sections of the honest file, copied so that mutations stay in the copy.
    const sections = sectionsOf(elf);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.boolean(),
        fc.nat(),
        (edits, inLineStr, cut) => {
          const line = sections.line.slice();
          const lineStr = sections.lineStr.slice();
          const target = inLineStr ? lineStr : line;
          for (const [at, value] of edits) target[at % target.length] = value;
          tableOrElfError({ line: line.subarray(0, line.length - (cut % 64)), lineStr });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('strings referenced over and over decode within a budget', () => {
    // 4000 file entries all pointing into one 60 KiB .debug_line_str string: a reader that
    // decoded each reference anew would build ~240 MB of paths.
    const lineStr = new Uint8Array(60_000).fill(0x61);
    lineStr[lineStr.length - 1] = 0;
    const fields: number[] = [1, 1, 1, 0xfb, 14, 13, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
    fields.push(1, 1, 0x1f, 1, 0, 0, 0, 0); // one directory, by line_strp at 0
    fields.push(1, 1, 0x1f, ...uleb(4000));
    for (let i = 0; i < 4000; i++) fields.push(i & 0xff, i >>> 8, 0, 0);
    const body = [5, 0, 4, 0, ...u32(fields.length), ...fields];
    const line = new Uint8Array([...u32(body.length), ...body]);
    expect(() => parseDebugLine({ line, lineStr }, CODE)).toThrow(/decode to far more text/);
  });
});

function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
}

/** .debug_line and .debug_line_str of an ELF, copied out through readelf-free offsets. */
function sectionsOf(elf: Uint8Array): { line: Uint8Array; lineStr: Uint8Array } {
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = dv.getUint32(32, true);
  const shnum = dv.getUint16(48, true);
  const shstr = shoff + dv.getUint16(50, true) * 40;
  const namesAt = dv.getUint32(shstr + 16, true);
  const found: Record<string, Uint8Array> = {};
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * 40;
    let end = namesAt + dv.getUint32(h, true);
    const start = end;
    while (elf[end] !== 0) end++;
    const name = new TextDecoder().decode(elf.subarray(start, end));
    const off = dv.getUint32(h + 16, true);
    found[name] = elf.slice(off, off + dv.getUint32(h + 20, true));
  }
  return { line: found['.debug_line']!, lineStr: found['.debug_line_str']! };
}

describe('the bundled C guests built with -g', () => {
  it('fib.elf: main is ../c/fib.c (paths relative to guests/bin), the entry crt0.S', () => {
    const elf = guest('fib');
    const program = loadElf(elf);
    const t = readLineTable(elf, program)!;
    const main = lineAt(t, symbolValue(program, 'main')!)!;
    expect(main.file.path).toBe('../c/fib.c');
    expect(main.file.relative).toBe('c/fib.c');
    expect(main.line).toBeGreaterThan(0);
    expect(lineAt(t, program.entry)?.file.relative).toBe('crt0.S');
  });

  if (!hasObjdump) warnMissing('riscv64-unknown-elf-objdump', 'binutils-riscv64-unknown-elf');
  it.skipIf(!hasObjdump)(
    'fib, sort, io: every instruction as objdump --dwarf=decodedline says',
    () => {
      for (const name of ['fib', 'sort', 'io']) compareWithObjdump(guestPath(name));
    },
  );
});

/** Every 4-byte address of the code: the same file (base name) and line, or no line for both. */
function compareWithObjdump(path: string): void {
  const elf = new Uint8Array(readFileSync(path));
  const program = loadElf(elf);
  const t = readLineTable(elf, program)!;
  const code = program.segments
    .filter((s) => s.executable)
    .map((s) => ({ start: s.vaddr, end: s.vaddr + s.memsz }));
  const reference = objdumpLines(path, code);
  expect(reference.size).toBeGreaterThan(100);
  let compared = 0;
  for (const { start, end } of code)
    for (let a = start; a < end; a += 4) {
      const l = lineAt(t, a);
      const ours = l === undefined ? undefined : `${l.file.path.split('/').pop()}:${l.line}`;
      if (ours !== reference.get(a))
        expect({ path, address: a.toString(16), ours }).toEqual({
          path,
          address: a.toString(16),
          ours: reference.get(a),
        });
      compared++;
    }
  expect(compared).toBeGreaterThan(1000);
}

if (!hasGcc || !hasObjdump)
  warnMissing(
    'riscv64-unknown-elf-gcc / objdump',
    'gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf',
  );
describe.skipIf(!hasGcc || !hasObjdump)('a C guest compiled here with -g, against binutils', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-dwarf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = `#include "zkvm.h"
#include <stdint.h>
static inline uint32_t mix(uint32_t x) {
  x ^= x << 13;
  x ^= x >> 17;
  return x ^ (x << 5);
}
int main(void) {
  uint32_t acc = 1;
  for (int i = 0; i < 100; i++)
    acc = mix(acc + (uint32_t)i);
  zkvm_commit(&acc, sizeof acc);
  return 0;
}
`;
  // DWARF 5 is GCC 12's default; the older versions take other header and path code paths.
  for (const flag of ['-gdwarf-5', '-gdwarf-4', '-gdwarf-3', '-gdwarf-2']) {
    it(`${flag}: every instruction's file and line as objdump decodes them`, () => {
      writeFileSync(join(dir, 'guest.c'), source);
      const elfPath = join(dir, `guest${flag}.elf`);
      const runtime = join(guestsDir, 'runtime');
      const r = spawnSync(
        'riscv64-unknown-elf-gcc',
        [
          '-march=rv32im',
          '-mabi=ilp32',
          '-O2',
          flag,
          `-I${runtime}`,
          '--specs=picolibc.specs',
          '-nostartfiles',
          '-T',
          join(runtime, 'zkvm.ld'),
          '-Wl,--gc-sections',
          '-o',
          elfPath,
          join(runtime, 'crt0.S'),
          join(runtime, 'zkvm.c'),
          'guest.c',
        ],
        { cwd: dir, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      compareWithObjdump(elfPath);
      const elf = new Uint8Array(readFileSync(elfPath));
      const program = loadElf(elf);
      const main = lineAt(readLineTable(elf, program)!, symbolValue(program, 'main')!)!;
      // DWARF 5 names the compilation directory in the line table; 2 to 4 leave it to .debug_info.
      expect(main.file.path).toBe(flag === '-gdwarf-5' ? join(dir, 'guest.c') : 'guest.c');
    });
  }
});
