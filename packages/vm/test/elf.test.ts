import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElfError, execute, loadElf, symbolValue, VmError } from '../src/index.js';
import { Asm } from './support/asm.js';
import { CODE_BASE, PF_R, PF_W, PF_X, programElf, writeElf } from './support/elf-writer.js';

const code = new Asm().exit(7).bytes();
const good = () => programElf(code);
const patch = (bytes: Uint8Array, f: (dv: DataView, b: Uint8Array) => void) => {
  const b = bytes.slice();
  f(new DataView(b.buffer), b);
  return b;
};
const PH = 52; // first program header

function expectElfError(bytes: Uint8Array, message: RegExp): void {
  let error: unknown;
  try {
    loadElf(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ElfError);
  expect((error as Error).message).toMatch(message);
}

describe('loadElf accepts', () => {
  it('a minimal static RV32 executable', () => {
    const p = loadElf(good());
    expect(p.entry).toBe(CODE_BASE);
    expect(p.segments.map((s) => [s.vaddr, s.executable, s.writable])).toEqual([
      [CODE_BASE, true, false],
      [0x40000, false, true],
    ]);
    expect(execute(good()).exitCode).toBe(7);
  });
  it('symbols when present', () => {
    const elf = writeElf({
      entry: CODE_BASE,
      segments: [{ vaddr: CODE_BASE, data: code, flags: PF_R | PF_X }],
      symbols: [
        { name: '_start', value: CODE_BASE, type: 2 },
        { name: '__stack_top', value: 0x1234 },
      ],
    });
    const p = loadElf(elf);
    expect(symbolValue(p, '_start')).toBe(CODE_BASE);
    expect(symbolValue(p, '__stack_top')).toBe(0x1234);
    expect(symbolValue(p, 'missing')).toBeUndefined();
  });
  it('every committed guest ELF', () => {
    for (const g of ['fib', 'sha256', 'sort', 'factorial', 'io', 'mext', 'long']) {
      const p = loadElf(readFileSync(new URL(`../../../guests/bin/${g}.elf`, import.meta.url)));
      expect(symbolValue(p, 'main')).toBeDefined();
      expect(symbolValue(p, '__stack_top')! % 4096).toBe(0);
    }
  });
});

describe('loadElf rejects, naming the problem', () => {
  it('files that are not ELF', () => {
    expectElfError(new Uint8Array(0), /not an ELF file/);
    expectElfError(new TextEncoder().encode('#!/bin/sh\necho hi\n'), /not an ELF file/);
  });
  it('a truncated header', () => {
    expectElfError(good().subarray(0, 40), /truncated ELF file: 40 bytes/);
  });
  it('64-bit ELF', () => {
    expectElfError(
      patch(good(), (_, b) => {
        b[4] = 2;
      }),
      /64-bit ELF.*-march=rv32im/,
    );
  });
  it('big-endian ELF', () => {
    expectElfError(
      patch(good(), (_, b) => {
        b[5] = 2;
      }),
      /big-endian/,
    );
  });
  it('the wrong machine', () => {
    expectElfError(
      patch(good(), (dv) => dv.setUint16(18, 62, true)),
      /wrong machine: e_machine=62 \(x86-64\)/,
    );
    expectElfError(
      patch(good(), (dv) => dv.setUint16(18, 40, true)),
      /wrong machine.*ARM/,
    );
  });
  it('objects and shared objects (not ET_EXEC)', () => {
    expectElfError(
      patch(good(), (dv) => dv.setUint16(16, 1, true)),
      /ET_REL/,
    );
    expectElfError(
      patch(good(), (dv) => dv.setUint16(16, 3, true)),
      /ET_DYN.*-static/,
    );
  });
  it('compressed, floating-point or RV32E builds', () => {
    expectElfError(
      patch(good(), (dv) => dv.setUint32(36, 1, true)),
      /compressed instructions/,
    );
    expectElfError(
      patch(good(), (dv) => dv.setUint32(36, 2, true)),
      /floating-point ABI/,
    );
    expectElfError(
      patch(good(), (dv) => dv.setUint32(36, 8, true)),
      /RV32E/,
    );
  });
  it('a truncated program header table', () => {
    expectElfError(
      patch(good(), (dv) => dv.setUint32(28, 0xfff0, true)),
      /program header table ends/,
    );
    expectElfError(good().subarray(0, 60), /program header table ends at byte 116/);
  });
  it('segment bytes beyond the end of the file', () => {
    const elf = good();
    expectElfError(elf.subarray(0, elf.length - 10), /truncated ELF file: segment/);
    expectElfError(
      patch(elf, (dv) => dv.setUint32(PH + 4, 0x7fffffff, true)),
      /truncated ELF file: segment 0/,
    );
  });
  it('p_filesz larger than p_memsz', () => {
    expectElfError(
      patch(good(), (dv) => dv.setUint32(PH + 20, 4, true)),
      /p_filesz \d+ exceeds p_memsz 4/,
    );
  });
  it('overlapping segments', () => {
    const elf = writeElf({
      entry: CODE_BASE,
      segments: [
        { vaddr: CODE_BASE, data: code, flags: PF_R | PF_X },
        { vaddr: CODE_BASE + 8, data: new Uint8Array(8), flags: PF_R | PF_W },
      ],
    });
    expectElfError(elf, /overlapping segments: \[0x00010000, 0x000100..\) and \[0x00010008/);
  });
  it('a segment past the 32-bit address space', () => {
    const elf = writeElf({
      entry: CODE_BASE,
      segments: [
        { vaddr: CODE_BASE, data: code, flags: PF_R | PF_X },
        { vaddr: 0xfffff000, data: new Uint8Array(4), memsz: 0x2000, flags: PF_R | PF_W },
      ],
    });
    expectElfError(elf, /extends past the 32-bit address space/);
  });
  it('an entry point outside the code, or misaligned', () => {
    expectElfError(
      patch(good(), (dv) => dv.setUint32(24, 0x40000, true)),
      /entry point 0x00040000 is not inside an executable segment/,
    );
    expectElfError(
      patch(good(), (dv) => dv.setUint32(24, CODE_BASE + 2, true)),
      /not 4-byte aligned/,
    );
  });
  it('no loadable segment, or a dynamic one', () => {
    expectElfError(
      patch(good(), (dv) => {
        dv.setUint32(PH, 4, true);
        dv.setUint32(PH + 32, 4, true);
      }),
      /no loadable/,
    );
    expectElfError(
      patch(good(), (dv) => dv.setUint32(PH + 32, 3, true)),
      /dynamically linked/,
    );
  });
  it('a section header table outside the file', () => {
    expectElfError(
      patch(good(), (dv) => {
        dv.setUint32(32, 0xffff00, true);
        dv.setUint16(48, 3, true);
      }),
      /section header table/,
    );
  });
});

describe('loadElf never crashes on malformed input', () => {
  it('random bytes and random corruptions of a valid ELF load or throw ElfError', () => {
    // factorial, not fib: fib.elf carries debug sections (-g), which would take most edits.
    const base = readFileSync(new URL('../../../guests/bin/factorial.elf', import.meta.url));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat(base.length),
        (edits, cut) => {
          const b = new Uint8Array(base.subarray(0, Math.max(cut, 64)));
          for (const [at, v] of edits) if (at < 64 || at < b.length) b[at % b.length] = v;
          try {
            const p = loadElf(b);
            // Whatever loads must also run or fail with a VM error, never a crash or a hang.
            try {
              execute(p, { maxCycles: 20_000 });
            } catch (e) {
              if (!(e instanceof VmError)) throw e;
            }
          } catch (e) {
            if (!(e instanceof VmError)) throw e;
          }
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          loadElf(bytes);
        } catch (e) {
          if (!(e instanceof ElfError)) throw e;
        }
      }),
    );
  });
});

describe('.nexus.requires: the extensions a guest declares', () => {
  const elfOf = (path: string) => new Uint8Array(readFileSync(new URL(path, import.meta.url)));
  const sha = elfOf('../../../guests/bin/sha256-precompile.elf');
  const popcount = elfOf('../../../examples/precompile-popcount/guest/bin/popcount.elf');

  it('are read from the section the guest headers write (not loaded, not in any segment)', () => {
    expect(loadElf(sha).requires).toEqual([
      { kind: 'syscall', number: 0x1001, plugin: '@nexus/precompile-sha256' },
    ]);
    expect(loadElf(popcount).requires).toEqual([
      { kind: 'syscall', number: 0x1800, plugin: '@acme/precompile-popcount' },
    ]);
    expect(loadElf(elfOf('../../../guests/bin/fib.elf')).requires).toEqual([]);
  });

  it('name the package when a build without it meets the call', () => {
    // Without the plugin, 0x1800 is an unknown syscall; the guest's record names the package.
    expect(() => execute(loadElf(popcount), { publicInput: Uint8Array.of(44, 1, 0, 0) })).toThrow(
      /unknown syscall a7=6144 \(0x1800\): it is the precompile of @acme\/precompile-popcount, which this zkVM build does not include/,
    );
  });

  it('a malformed record is a clear ElfError', () => {
    const bad = sha.slice();
    const at = Buffer.from(bad).indexOf('syscall 0x1001');
    expect(at).toBeGreaterThan(0);
    bad.set(new TextEncoder().encode('syscall 0xZZ01'), at);
    expect(() => loadElf(bad)).toThrow(
      /malformed record in .nexus.requires: "syscall 0xZZ01 @nexus\/precompile-sha256"/,
    );
  });
});
