/**
 * The guest ABI (riscv.md section 2) and every way a guest can fault. Each fault is checked on
 * pass 1 and on pass 2 (compiled and interpreted): same class, same pc, same cycle, a message
 * naming the pc and the cause.
 */
import { describe, expect, it } from 'vitest';
import {
  BadFileDescriptorError,
  CodeWriteError,
  CycleLimitError,
  DEFAULT_STACK_TOP,
  execute,
  IllegalInstructionError,
  MisalignedAccessError,
  UnknownSyscallError,
  UnmappedAddressError,
  VmConfigError,
} from '../src/index.js';
import { Asm, Reg } from './support/asm.js';
import { CODE_BASE, DATA_BASE, PF_R, PF_X, programElf, writeElf } from './support/elf-writer.js';
import { expectFault, runAllPaths } from './support/run.js';

const elfOf = (a: Asm, data?: Uint8Array) => programElf(a.bytes(), data);
const WRITE = 64;
const READ = 63;

describe('syscalls', () => {
  it('exit: the exit code is a0 (all 32 bits; a process sees the low byte)', () => {
    for (const code of [0, 1, 255, 256, -1, 0x7fffffff]) {
      const { run, records } = runAllPaths(elfOf(new Asm().exit(code)));
      expect(run.exitCode).toBe(code | 0);
      expect(records.exitCode).toBe(code | 0);
      expect(run.cycles).toBe(records.cycles);
    }
  });
  it('read: fd 0 is the private tape, fd 3 the public one; returns the count, 0 at the end', () => {
    const a = new Asm();
    // read(3, buf+1, 5) ; save a0 ; read(0, buf+9, 100) ; save ; read(0, buf+9, 4) -> 0 ; write(1, buf, 24)
    a.li(Reg.s1, DATA_BASE);
    a.syscall(READ, 3, DATA_BASE + 1, 5).store('sw', Reg.a0, Reg.s1, 64);
    a.syscall(READ, 0, DATA_BASE + 9, 100).store('sw', Reg.a0, Reg.s1, 68);
    a.syscall(READ, 0, DATA_BASE + 9, 4).store('sw', Reg.a0, Reg.s1, 72);
    a.syscall(READ, 3, DATA_BASE + 20, 0).store('sw', Reg.a0, Reg.s1, 76);
    a.syscall(WRITE, 1, DATA_BASE, 24);
    a.syscall(WRITE, 1, DATA_BASE + 64, 16);
    a.exit(0);
    const { run, records } = runAllPaths(elfOf(a), {
      publicInput: Uint8Array.of(10, 11, 12, 13, 14, 15, 16),
      privateInput: Uint8Array.of(1, 2, 3),
    });
    expect(Array.from(run.output.subarray(0, 24))).toEqual([
      0,
      10,
      11,
      12,
      13,
      14,
      0,
      0,
      0,
      1,
      2,
      3,
      ...new Array(12).fill(0),
    ]);
    expect(Array.from(new Uint32Array(run.output.slice(24).buffer))).toEqual([5, 3, 0, 0]);
    // One io row per byte moved: 5 + 3 read, 24 + 16 written.
    expect(records.io.length).toBe(5 + 3 + 24 + 16);
    expect(run.stats.ioBytes).toBe(records.io.length);
  });
  it('write: fd 1 is the public output, fd 2 the debug log; returns len', () => {
    const a = new Asm();
    a.li(Reg.s1, DATA_BASE);
    a.li(Reg.t0, 0x6c6c6568).store('sw', Reg.t0, Reg.s1, 0); // "hell"
    a.li(Reg.t0, 0x0a6f).store('sw', Reg.t0, Reg.s1, 4); // "o\n"
    a.syscall(WRITE, 1, DATA_BASE, 5).r('add', Reg.s2, Reg.a0, 0);
    a.syscall(WRITE, 2, DATA_BASE + 1, 5);
    a.r('add', Reg.a0, Reg.a0, Reg.s2).li(Reg.a7, 93).ecall(); // exit(5 + 5)
    const { run } = runAllPaths(elfOf(a));
    expect(new TextDecoder().decode(run.output)).toBe('hello');
    expect(new TextDecoder().decode(run.log)).toBe('ello\n');
    expect(run.exitCode).toBe(10);
  });
  it('onLog receives the debug log as it is written', () => {
    const a = new Asm();
    a.li(Reg.s1, DATA_BASE).li(Reg.t0, 0x41).store('sw', Reg.t0, Reg.s1, 0);
    a.syscall(WRITE, 2, DATA_BASE, 1).syscall(WRITE, 2, DATA_BASE, 1).exit(0);
    const chunks: string[] = [];
    const run = execute(elfOf(a), { onLog: (b) => chunks.push(new TextDecoder().decode(b)) });
    expect(chunks).toEqual(['A', 'A']);
    expect(run.log.length).toBe(0);
  });
});

describe('faults name the pc and the cause', () => {
  it('unknown syscall', () => {
    const a = new Asm().li(Reg.a7, 57).ecall();
    const e = expectFault(elfOf(a), UnknownSyscallError);
    expect(e.syscall).toBe(57);
    expect(e.pc).toBe(CODE_BASE + 4);
    expect(e.clk).toBe(2);
    expect(e.message).toMatch(/unknown syscall a7=57/);
  });
  it('read on a bad fd (1, 2, 4, -1)', () => {
    for (const fd of [1, 2, 4, -1]) {
      const e = expectFault(
        elfOf(new Asm().syscall(READ, fd, DATA_BASE, 4)),
        BadFileDescriptorError,
      );
      expect(e.fd).toBe(fd);
      expect(e.message).toMatch(new RegExp(`read on bad fd ${fd}`));
    }
  });
  it('write on a bad fd (0, 3, 5)', () => {
    for (const fd of [0, 3, 5]) {
      const e = expectFault(
        elfOf(new Asm().syscall(WRITE, fd, DATA_BASE, 4)),
        BadFileDescriptorError,
      );
      expect(e.message).toMatch(new RegExp(`write on bad fd ${fd}`));
    }
  });
  it('read into the code segment, into unmapped memory; write from unmapped memory', () => {
    const input = { privateInput: new Uint8Array(16) };
    let e: { message: string } = expectFault(
      elfOf(new Asm().syscall(READ, 0, CODE_BASE, 4)),
      CodeWriteError,
      input,
    );
    expect(e.message).toMatch(/write to 0x00010000 in read-only code segment/);
    e = expectFault(
      elfOf(new Asm().syscall(READ, 0, DATA_BASE + 4094, 4)),
      UnmappedAddressError,
      input,
    );
    expect(e.message).toMatch(/unmapped address 0x00041000/);
    e = expectFault(elfOf(new Asm().syscall(WRITE, 1, 0x1000, 4)), UnmappedAddressError);
    expect(e.message).toMatch(/load at unmapped address 0x00001000/);
    // A huge length faults at the first unmapped byte instead of allocating it.
    e = expectFault(elfOf(new Asm().syscall(WRITE, 2, DATA_BASE, -1)), UnmappedAddressError);
    expect(e.message).toMatch(/0x00041000/);
  });
  it('illegal instructions: EBREAK, CSR, all-zero, compressed, FENCE.I, float, atomic', () => {
    const cases: [number, RegExp][] = [
      [0x00100073, /EBREAK/],
      [0x30002573, /CSR/],
      [0x00000000, /compressed/],
      [0x0000100f, /FENCE\.I/],
      [0x00052007, /floating-point/],
      [0x0805252f, /atomic/],
      [0x02000033 | (1 << 30), /funct7/],
      [0x02051513, /SLLI/], // slli with shamt bit 5 set (RV64 encoding)
    ];
    for (const [word, msg] of cases) {
      const e = expectFault(
        elfOf(new Asm().i('addi', Reg.a0, 0, 1).word(word)),
        IllegalInstructionError,
      );
      expect(e.word).toBe(word >>> 0);
      expect(e.pc).toBe(CODE_BASE + 4);
      expect(e.clk).toBe(2);
      expect(e.message).toMatch(msg);
      expect(e.message).toMatch(/illegal instruction 0x[0-9a-f]{8}/);
    }
  });
  it('misaligned loads and stores', () => {
    const cases: [Asm, string][] = [
      [
        new Asm().li(Reg.t0, DATA_BASE + 2).load('lw', Reg.a0, Reg.t0, 0),
        '4-byte load at 0x00040002',
      ],
      [
        new Asm().li(Reg.t0, DATA_BASE + 1).load('lh', Reg.a0, Reg.t0, 0),
        '2-byte load at 0x00040001',
      ],
      [
        new Asm().li(Reg.t0, DATA_BASE + 3).load('lhu', Reg.a0, Reg.t0, 0),
        '2-byte load at 0x00040003',
      ],
      [
        new Asm().li(Reg.t0, DATA_BASE).store('sw', Reg.a0, Reg.t0, 1),
        '4-byte store at 0x00040001',
      ],
      [
        new Asm().li(Reg.t0, DATA_BASE).store('sh', Reg.a0, Reg.t0, 3),
        '2-byte store at 0x00040003',
      ],
      [new Asm().li(Reg.t0, DATA_BASE + 2).load('lw', 0, Reg.t0, 0), '4-byte load at 0x00040002'], // into x0: still checked
    ];
    for (const [a, msg] of cases) {
      const e = expectFault(elfOf(a), MisalignedAccessError);
      expect(e.message).toContain(`misaligned ${msg}`);
    }
  });
  it('misaligned jump targets are reported on the jump', () => {
    let e = expectFault(
      elfOf(new Asm().li(Reg.t0, CODE_BASE + 6).jalr(Reg.ra, Reg.t0, 0)),
      MisalignedAccessError,
    );
    expect(e.pc).toBe(CODE_BASE + 8); // li is lui + addi
    expect(e.message).toMatch(/jump to misaligned target 0x00010006/);
    e = expectFault(
      elfOf(new Asm().i('addi', Reg.a0, 0, 0).branch('beq', 0, 0, 6)),
      MisalignedAccessError,
    );
    expect(e.pc).toBe(CODE_BASE + 4);
    e = expectFault(elfOf(new Asm().jal(0, 2)), MisalignedAccessError);
    expect(e.pc).toBe(CODE_BASE);
  });
  it('loads, stores and jumps to unmapped addresses', () => {
    let e = expectFault(elfOf(new Asm().load('lw', Reg.a0, 0, 0)), UnmappedAddressError);
    expect(e.message).toMatch(/4-byte load at unmapped address 0x00000000/);
    e = expectFault(
      elfOf(new Asm().li(Reg.t0, DATA_BASE + 4096).store('sb', Reg.a0, Reg.t0, 0)),
      UnmappedAddressError,
    );
    expect(e.message).toMatch(/store at unmapped address 0x00041000/);
    e = expectFault(
      elfOf(new Asm().li(Reg.t0, DATA_BASE).jalr(0, Reg.t0, 0)),
      UnmappedAddressError,
    );
    expect(e.message).toMatch(
      /instruction fetch from 0x00040000, which is not in an executable segment/,
    );
    expect(e.pc).toBe(DATA_BASE);
  });
  it('running off the end of the code', () => {
    const e = expectFault(elfOf(new Asm().i('addi', Reg.a0, 0, 1)), UnmappedAddressError);
    expect(e.pc).toBe(CODE_BASE + 4);
    expect(e.clk).toBe(2);
  });
  it('stores into the code segment and into read-only data', () => {
    let e = expectFault(
      elfOf(new Asm().li(Reg.t0, CODE_BASE).store('sw', Reg.a0, Reg.t0, 0)),
      CodeWriteError,
    );
    expect(e.message).toMatch(/write to 0x00010000 in read-only code segment/);
    const code = new Asm()
      .li(Reg.t0, 0x50000)
      .load('lw', Reg.a1, Reg.t0, 0)
      .store('sb', Reg.a0, Reg.t0, 1)
      .bytes();
    const elf = writeElf({
      entry: CODE_BASE,
      segments: [
        { vaddr: CODE_BASE, data: code, flags: PF_R | PF_X },
        { vaddr: 0x50000, data: new Uint8Array(16), flags: PF_R },
      ],
    });
    e = expectFault(elf, CodeWriteError);
    expect(e.message).toMatch(/write to 0x00050001 in read-only rodata segment/);
  });
  it('the cycle limit', () => {
    const a = new Asm().label('spin').i('addi', Reg.a0, Reg.a0, 1).jal(0, 'spin');
    for (const limit of [1, 2, 3, 1001]) {
      const e = expectFault(elfOf(a), CycleLimitError, { maxCycles: limit });
      expect(e.limit).toBe(limit);
      expect(e.clk).toBe(limit + 1);
      expect(e.pc).toBe(CODE_BASE + 4 * (limit % 2));
      expect(e.message).toMatch(new RegExp(`did not exit within ${limit} cycles`));
    }
    // Exactly enough cycles is not a fault.
    expect(execute(elfOf(new Asm().exit(3)), { maxCycles: 3 }).exitCode).toBe(3);
    expect(() => execute(elfOf(new Asm().exit(3)), { maxCycles: 2 })).toThrow(CycleLimitError);
  });
});

describe('bad options', () => {
  it('are VmConfigErrors saying what is wrong', () => {
    const elf = elfOf(new Asm().exit(0));
    expect(() => execute(elf, { maxCycles: 0 })).toThrow(VmConfigError);
    expect(() => execute(elf, { maxCycles: 1.5 })).toThrow(/maxCycles must be an integer/);
    expect(() => execute(elf, { publicInput: 'abc' as unknown as Uint8Array })).toThrow(
      /publicInput must be a Uint8Array/,
    );
    expect(() => execute(elf, { stack: { top: 0x10004 } })).toThrow(/16-byte aligned/);
    expect(() => execute(elf, { stack: { top: 0x41000, size: 0x2000 } })).toThrow(
      /overlaps the ELF segment/,
    );
    expect(() => execute(elf, { maxMemoryBytes: 1000 })).toThrow(/more than the VM's limit/);
  });
  it('the default stack: sp starts at its top, and it can be moved or disabled', () => {
    const a = new Asm()
      .store('sw', Reg.sp, Reg.sp, -4)
      .load('lw', Reg.a0, Reg.sp, -4)
      .li(Reg.a7, 93)
      .ecall();
    // The default top is the zkVM's memory ceiling, 0x7f000000, below p - 1 = 0x7ffffffe.
    expect(execute(elfOf(a)).exitCode).toBe(0x7f000000);
    expect(DEFAULT_STACK_TOP).toBe(0x7f000000);
    expect(execute(elfOf(a), { stack: { top: 0x20000000, size: 4096 } }).exitCode).toBe(0x20000000);
    // The VM alone maps anything below 2^32; only proofs need the lower ceiling.
    expect(execute(elfOf(a), { stack: { top: 0x80000000 } }).exitCode).toBe(0x80000000 | 0);
    expect(() => execute(elfOf(a), { stack: false })).toThrow(UnmappedAddressError);
  });
});
