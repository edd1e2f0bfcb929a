import { createHash } from 'node:crypto';
import { asm, buildElf, exit, li } from '@nexus/air-testing';
import {
  CodeWriteError,
  deriveLayout,
  execute,
  generateRecords,
  LayoutError,
  MisalignedAccessError,
  PrecompileArgumentError,
  UnknownSyscallError,
  VmConfigError,
} from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { bswap, compressTrace, IV, SHA256_COMPRESS, sha256Syscall } from '../src/index.js';

/** SHA-256 of a message through the package's compression (padding done here). */
function sha256Of(msg: Uint8Array): string {
  const padded = new Uint8Array(Math.ceil((msg.length + 9) / 64) * 64);
  padded.set(msg);
  padded[msg.length] = 0x80;
  new DataView(padded.buffer).setUint32(padded.length - 4, msg.length * 8);
  let h: ArrayLike<number> = IV;
  for (let off = 0; off < padded.length; off += 64) {
    const block = Array.from({ length: 16 }, (_, t) =>
      new DataView(padded.buffer).getUint32(off + 4 * t),
    );
    h = compressTrace(h, block).out;
  }
  return Array.from(h, (v) => (v >>> 0).toString(16).padStart(8, '0')).join('');
}

describe('SHA-256 compression', () => {
  it('matches the FIPS 180-4 vectors and node:crypto', () => {
    expect(sha256Of(new Uint8Array(0))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(sha256Of(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    for (const n of [1, 55, 56, 63, 64, 65, 119, 1000]) {
      const msg = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);
      expect(sha256Of(msg)).toBe(createHash('sha256').update(msg).digest('hex'));
    }
  });

  it('bswap turns a little-endian memory word into the big-endian message word', () => {
    expect(bswap(0x04030201)).toBe(0x01020304);
    expect(bswap(0xff000080)).toBe(0x800000ff);
  });
});

// A guest that compresses the zero block into the IV stored at 0x20000 (state) with the block at
// 0x20040, then exits with the first state word's low byte.
const STATE = 0x20000;
const BLOCK = 0x20040;
const ivBytes = new Uint8Array(new Uint32Array(IV).buffer);
function guest(opts: { state?: number; block?: number; a7?: number } = {}): Uint8Array {
  const data = new Uint8Array(0x80);
  data.set(ivBytes, 0);
  return buildElf({
    code: [
      ...li(10, opts.state ?? STATE),
      ...li(11, opts.block ?? BLOCK),
      ...li(17, opts.a7 ?? SHA256_COMPRESS),
      asm.ecall(),
      ...li(5, STATE),
      asm.lw(10, 5, 0),
      asm.andi(10, 10, 0xff),
      ...exit(),
    ],
    data,
    dataBase: STATE,
    bss: 0x100,
  });
}
const syscalls = [sha256Syscall];

describe('the VM side of sha256_compress', () => {
  it('compresses in both passes, with one record row per call', () => {
    const expected = compressTrace(IV, new Array(16).fill(0)).out;
    const run = execute(guest(), { syscalls });
    expect(run.exitCode).toBe(expected[0]! & 0xff);
    expect(run.stats.precompileRows).toEqual({ sha256: 1 });
    expect(run.stats.familyRows.ecall).toBe(1); // only the exit
    const rec = generateRecords(guest(), deriveLayout(run.stats), { syscalls });
    const t = rec.precompiles.sha256!;
    expect(t.length).toBe(1);
    for (let k = 0; k < 8; k++) {
      expect(t.columns[`m${16 + k}Prev`]![0]).toBe(IV[k]);
      expect(t.columns[`m${16 + k}Val`]![0]).toBe(expected[k]);
      expect(t.columns[`m${16 + k}Addr`]![0]).toBe(STATE + 4 * k);
    }
    expect(t.columns.m0Addr![0]).toBe(BLOCK);
    expect(t.columns.a0![0]).toBe(STATE);
    expect(rec.registersFinal.value[10]).toBe(expected[0]! & 0xff);
  });

  it('pass 2 refuses a layout without room for the call (LayoutError naming the table)', () => {
    const layout = deriveLayout(execute(guest(), { syscalls }).stats);
    expect(() =>
      generateRecords(guest(), { ...layout, precompileRows: { sha256: 0 } }, { syscalls }),
    ).toThrow(LayoutError);
    expect(() =>
      generateRecords(guest(), { ...layout, precompileRows: { sha256: 0 } }, { syscalls }),
    ).toThrow(/0 rows for the sha256 table/);
  });

  it('faults without the plugin, naming it', () => {
    const e = (() => {
      try {
        execute(guest());
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(UnknownSyscallError);
    expect((e as Error).message).toContain('@nexus/precompile-sha256');
  });

  it('an unassigned precompile number names the ones the build has', () => {
    expect(() => execute(guest({ a7: 0x1234 }), { syscalls })).toThrow(/0x1001/);
  });

  it('faults on a misaligned pointer, a read-only state, overlapping regions of one kind', () => {
    expect(() => execute(guest({ state: STATE + 2 }), { syscalls })).toThrow(MisalignedAccessError);
    expect(() => execute(guest({ state: 0x10000 }), { syscalls })).toThrow(CodeWriteError);
    // An unmapped block.
    expect(() => execute(guest({ block: 0x40000 }), { syscalls })).toThrow(/unmapped/i);
    // The state may overlap the block (it then reads what the block read): no fault.
    expect(execute(guest({ block: STATE }), { syscalls }).exitCode).toBeTypeOf('number');
    const twoWritten = {
      ...sha256Syscall,
      regions: [
        { arg: 0, words: 8, writes: true },
        { arg: 1, words: 8, writes: true },
      ],
    };
    expect(() => execute(guest({ block: STATE + 16 }), { syscalls: [twoWritten] })).toThrow(
      PrecompileArgumentError,
    );
  });

  it('refuses two plugins claiming one number, and numbers outside 0x1000..0x1fff', () => {
    expect(() =>
      execute(guest(), { syscalls: [sha256Syscall, { ...sha256Syscall, table: 'other' }] }),
    ).toThrow(/claimed by both/);
    expect(() => execute(guest(), { syscalls: [{ ...sha256Syscall, number: 0x2000 }] })).toThrow(
      VmConfigError,
    );
  });
});
