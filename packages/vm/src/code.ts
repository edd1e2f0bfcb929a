import { decode } from './decode.js';
import type { ElfProgram } from './elf.js';
import { ElfError } from './errors.js';
import { Op } from './isa.js';
import { representativeProgram } from './same-program.js';

/** Marker op for word slots between executable segments (fetching there is a fault). */
export const NOT_CODE = 255;

/** Basic blocks are cut after this many instructions (keeps generated functions small). */
export const MAX_BLOCK = 256;

/** Largest span of executable segments the decoded ROM covers (bytes). */
const MAX_CODE_SPAN = 256 << 20;

/**
 * The decoded ROM (Harvard style, riscv.md section 3): every word of the executable segments
 * decoded once into struct-of-arrays, indexed by (pc - base) / 4. Both passes and the block
 * compiler read instructions from here, never from data memory; code is not writable, so the
 * ROM never goes stale.
 */
export class CodeRom {
  readonly base: number;
  readonly length: number;
  readonly op: Uint8Array;
  readonly rd: Uint8Array;
  readonly rs1: Uint8Array;
  readonly rs2: Uint8Array;
  readonly imm: Int32Array;
  readonly word: Uint32Array;
  /** Length of the basic block starting at each index (0 until first asked for). */
  private readonly blockLengths: Int32Array;
  /** Compiled blocks of either pass, shared by every run of the program (keyed by pass). */
  readonly compiled: Map<string, unknown[]> = new Map();

  constructor(program: ElfProgram) {
    const code = program.segments.filter((s) => s.executable);
    const base = code[0]!.vaddr;
    const last = code[code.length - 1]!;
    const span = last.vaddr + last.memsz - base;
    if (span > MAX_CODE_SPAN) {
      throw new ElfError(
        `executable segments span ${span} bytes; the VM supports at most ${MAX_CODE_SPAN}`,
      );
    }
    const n = Math.floor(span / 4);
    this.base = base;
    this.length = n;
    this.op = new Uint8Array(n).fill(NOT_CODE);
    this.rd = new Uint8Array(n);
    this.rs1 = new Uint8Array(n);
    this.rs2 = new Uint8Array(n);
    this.imm = new Int32Array(n);
    this.word = new Uint32Array(n);
    this.blockLengths = new Int32Array(n);
    for (const s of code) {
      const view = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
      // Only whole words are instructions; a trailing partial word stays NOT_CODE.
      const words = Math.floor(s.memsz / 4);
      for (let k = 0; k < words; k++) {
        const w = 4 * k + 4 <= s.filesz ? view.getUint32(4 * k, true) : 0;
        const i = (s.vaddr - base) / 4 + k;
        if (w === 0) {
          // decode(0) is ILLEGAL with every field 0 (the other arrays start at 0): padding and
          // zeroed data, a fifth of a small guest's code words, skip the call and its object.
          this.op[i] = Op.ILLEGAL;
          continue;
        }
        const d = decode(w);
        this.op[i] = d.op;
        this.rd[i] = d.rd;
        this.rs1[i] = d.rs1;
        this.rs2[i] = d.rs2;
        this.imm[i] = d.imm;
        this.word[i] = d.word;
      }
    }
  }

  /** ROM index of pc, or -1 when pc is misaligned or outside the executable span. */
  indexOf(pc: number): number {
    const off = (pc - this.base) >>> 0;
    if ((off & 3) !== 0 || off >= this.length * 4) return -1;
    return off >>> 2;
  }

  /** True when the word at ROM index i is an (executable) instruction slot. */
  isCode(i: number): boolean {
    return this.op[i] !== NOT_CODE;
  }

  /**
   * Length of the basic block starting at ROM index i: instructions up to and including the
   * first control transfer (branch, jal, jalr, ecall) or custom instruction, stopping before an illegal or non-code
   * slot and after MAX_BLOCK instructions. 0 when the slot itself is illegal or not code (the
   * caller raises the fault). Only the last instruction of a block can change the pc.
   */
  blockLength(i: number): number {
    const cached = this.blockLengths[i]!;
    if (cached !== 0) return cached;
    let len = 0;
    while (len < MAX_BLOCK && i + len < this.length) {
      const op = this.op[i + len]!;
      if (op === NOT_CODE || op === Op.ILLEGAL) break;
      len++;
      // A custom instruction ends its block too: both passes run it through the runtime.
      if (
        op === Op.JAL ||
        op === Op.JALR ||
        (op >= Op.BEQ && op <= Op.BGEU) ||
        op === Op.ECALL ||
        op === Op.CUSTOM
      )
        break;
    }
    this.blockLengths[i] = len;
    return len;
  }

  /** The compiled-block cache of one pass (a sparse array indexed like the ROM). */
  cache<T>(pass: string): (T | undefined)[] {
    let c = this.compiled.get(pass);
    if (c === undefined) {
      c = new Array(this.length).fill(undefined);
      this.compiled.set(pass, c);
    }
    return c as (T | undefined)[];
  }

  /** Is this op ILLEGAL (so executing it faults)? */
  isIllegal(i: number): boolean {
    return this.op[i] === Op.ILLEGAL;
  }
}

const romCache = new WeakMap<ElfProgram, CodeRom>();

/** The (cached) decoded ROM of a program: one per segment contents (`representativeProgram`). */
export function codeRomFor(program: ElfProgram): CodeRom {
  let rom = romCache.get(program);
  if (rom === undefined) {
    const key = representativeProgram(program);
    rom = romCache.get(key) ?? new CodeRom(key);
    romCache.set(key, rom);
    romCache.set(program, rom);
  }
  return rom;
}
