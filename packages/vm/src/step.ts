import { decode } from './decode.js';
import { disassemble } from './disasm.js';
import { Op, REGISTER_NAMES, SYS_EXIT, SYS_READ, SYS_WRITE, writesRd } from './isa.js';
import type { Machine } from './machine.js';

/** A register the instruction wrote (x0 writes are dropped, so never listed). */
export interface RegisterWrite {
  readonly reg: number;
  readonly name: string;
  readonly value: number;
}

/** A data memory access of a load or store (the word-aligned word it touched). */
export interface MemoryAccess {
  readonly kind: 'load' | 'store';
  /** Byte address of the access. */
  readonly address: number;
  readonly size: number;
  /** Loaded value (extended) for loads, stored value (low `size` bytes) for stores. */
  readonly value: number;
  /** The containing word before and after. */
  readonly wordBefore: number;
  readonly wordAfter: number;
}

/** What an ecall did. */
export interface SyscallEffect {
  /** exit, read, write, a precompile's name (e.g. sha256_compress), or unknown. */
  readonly name: string;
  readonly a7: number;
  readonly args: readonly [number, number, number];
  /** a0 after the call (read/write); the exit code for exit. */
  readonly result: number;
}

/** One executed instruction and its effects (for `nexus trace` and debuggers). */
export interface StepEffects {
  /** 1-based cycle of the instruction. */
  readonly clk: number;
  readonly pc: number;
  readonly word: number;
  readonly asm: string;
  readonly writes: readonly RegisterWrite[];
  readonly memory: readonly MemoryAccess[];
  readonly syscall?: SyscallEffect;
}

const SIZE: Partial<Record<number, number>> = {
  [Op.LB]: 1,
  [Op.LBU]: 1,
  [Op.SB]: 1,
  [Op.LH]: 2,
  [Op.LHU]: 2,
  [Op.SH]: 2,
  [Op.LW]: 4,
  [Op.SW]: 4,
};

/**
 * Executes one instruction of a pass-1 machine and reports what it did: registers written,
 * the memory word a load or store touched, the syscall. Slower than `Machine.run` (it copies the
 * register file around each step); meant for cycle-by-cycle views. Faults throw as in `step()`.
 *
 * @example
 * const m = new Machine(program);
 * m.run(999); // fast-forward to cycle 1000
 * const e = stepWithEffects(m); // { clk: 1000, pc, asm: 'addi sp, sp, -32', writes: [...] }
 */
export function stepWithEffects(m: Machine): StepEffects {
  const pc = m.pc;
  const clk = m.cycles + 1;
  const wi = m.rom.indexOf(pc);
  const word = wi >= 0 ? m.rom.word[wi]! : 0;
  const d = decode(word);
  const before = m.x.slice();
  const size = SIZE[d.op];
  let address = 0;
  let wordIndex = -1;
  let wordBefore = 0;
  if (size !== undefined) {
    address = (before[d.rs1]! + d.imm) >>> 0;
    wordIndex = m.map.wordIndex(address);
    if (wordIndex >= 0) wordBefore = m.words[wordIndex]!;
  }
  m.step();
  const writes: RegisterWrite[] = [];
  if (writesRd(d.op) && d.rd !== 0)
    writes.push({ reg: d.rd, name: REGISTER_NAMES[d.rd]!, value: m.x[d.rd]! });
  const memory: MemoryAccess[] = [];
  if (size !== undefined) {
    const isStore = d.op >= Op.SB && d.op <= Op.SW;
    const wordAfter = m.words[wordIndex]!;
    const shift = (address & 3) * 8;
    const mask = size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
    const raw = ((wordBefore >>> shift) & mask) >>> 0;
    // The loaded value as the instruction extends it (also when rd is x0 and it is dropped).
    const loaded =
      d.op === Op.LB ? (raw << 24) >> 24 : d.op === Op.LH ? (raw << 16) >> 16 : raw | 0;
    memory.push({
      kind: isStore ? 'store' : 'load',
      address,
      size,
      value: isStore ? (before[d.rs2]! & mask) >>> 0 : loaded,
      wordBefore: wordBefore >>> 0,
      wordAfter: wordAfter >>> 0,
    });
  }
  let syscall: SyscallEffect | undefined;
  if (d.op === Op.ECALL) {
    const a7 = before[17]!;
    const name =
      a7 === SYS_EXIT
        ? 'exit'
        : a7 === SYS_READ
          ? 'read'
          : a7 === SYS_WRITE
            ? 'write'
            : (m.precompiles.get(a7)?.name ?? 'unknown');
    syscall = {
      name,
      a7,
      args: [before[10]!, before[11]!, before[12]!],
      result: name === 'exit' ? m.exitCode : m.x[10]!,
    };
    if (name !== 'exit') writes.push({ reg: 10, name: 'a0', value: m.x[10]! });
  }
  return {
    clk,
    pc,
    word,
    asm: disassemble(d, pc, m.customs),
    writes,
    memory,
    ...(syscall === undefined ? {} : { syscall }),
  };
}
