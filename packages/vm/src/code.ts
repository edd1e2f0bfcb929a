import { decode } from './decode.js';
import type { ElfProgram } from './elf.js';
import { ElfError } from './errors.js';
import { Op } from './isa.js';

/** Marker op for word slots between executable segments (fetching there is a fault). */
export const NOT_CODE = 255;

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
    for (const s of code) {
      const view = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
      // Only whole words are instructions; a trailing partial word stays NOT_CODE.
      const words = Math.floor(s.memsz / 4);
      for (let k = 0; k < words; k++) {
        const w = 4 * k + 4 <= s.filesz ? view.getUint32(4 * k, true) : 0;
        const d = decode(w);
        const i = (s.vaddr - base) / 4 + k;
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

  /** Is this op ILLEGAL (so executing it faults)? */
  isIllegal(i: number): boolean {
    return this.op[i] === Op.ILLEGAL;
  }
}

const romCache = new WeakMap<ElfProgram, CodeRom>();

/** The (cached) decoded ROM of a program. */
export function codeRomFor(program: ElfProgram): CodeRom {
  let rom = romCache.get(program);
  if (rom === undefined) {
    rom = new CodeRom(program);
    romCache.set(program, rom);
  }
  return rom;
}
