import { ALU_HELPERS, ALU_SOURCE, BRANCH_SOURCE } from './alu.js';
import type { CodeRom } from './code.js';
import { Op } from './isa.js';

/**
 * The slow paths a compiled block calls into (the pass-1 Machine implements them). They throw
 * the VM's faults; every one receives the pc of the instruction, so a fault names it exactly.
 */
export interface BlockRuntime {
  /** Loads through the checked path (partially mapped page or unmapped address). */
  load(pc: number, a: number, op: number): number;
  /** Stores through the checked path (read-only or partially mapped page, unmapped address). */
  store(pc: number, a: number, op: number, v: number): void;
  /** Executes the ecall at pc; returns the next pc. */
  ecall(pc: number): number;
  /** A custom instruction's result (faults when the build lacks it). */
  custom(pc: number, key: number, a: number, b: number): number;
  /** Throws MisalignedAccessError. */
  misaligned(pc: number, a: number, op: number): never;
  /** Throws MisalignedAccessError for a jump target. */
  misalignedJump(pc: number, target: number): never;
}

/**
 * A compiled basic block: runs the block's instructions on the register file `x` and the flat
 * storage `M` (with touched flags `T` and page tables `RP`/`WP`), returns the next pc.
 */
export type BlockFn = (
  x: Int32Array,
  M: Int32Array,
  T: Uint8Array,
  RP: Int32Array,
  WP: Int32Array,
  rt: BlockRuntime,
) => number;

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

/**
 * Translates the basic block at ROM index `start` (length `len`, its last instruction the only
 * control transfer) into JavaScript source and compiles it with `new Function`. Register reads
 * of x0 become the constant 0 and writes to x0 disappear (but a load into x0 still performs its
 * access, so it still faults where it must). Immediates, targets and link values are folded into
 * the source as constants. Registers are kept in locals for the whole block (read on first use,
 * written back once at the exits), so V8 allocates them to machine registers; a fault throws out
 * of the block without writing back, which is fine because a fault ends the run.
 */
export function compileBlock(rom: CodeRom, start: number, len: number): BlockFn {
  const src = blockSource(rom, start, len);
  const factory = new Function(...Object.keys(ALU_HELPERS), src) as (
    ...helpers: unknown[]
  ) => BlockFn;
  return factory(...Object.values(ALU_HELPERS));
}

/** The JavaScript source of one block (exported for tests and debugging). */
export function blockSource(rom: CodeRom, start: number, len: number): string {
  const used = new Set<number>();
  const dirty = new Set<number>();
  const body: string[] = [];
  const r = (i: number) => {
    if (i === 0) return '0';
    used.add(i);
    return `r${i}`;
  };
  const w = (i: number, expr: string) => {
    if (i === 0) return;
    used.add(i);
    dirty.add(i);
    body.push(`r${i} = ${expr};`);
  };
  let exit = '';
  for (let k = 0; k < len; k++) {
    const i = start + k;
    const op = rom.op[i]!;
    const rd = rom.rd[i]!;
    const rs1 = rom.rs1[i]!;
    const rs2 = rom.rs2[i]!;
    const imm = rom.imm[i]!;
    const pc = (rom.base + 4 * i) >>> 0;
    const next = (pc + 4) >>> 0;
    const a = r(rs1);
    const b = r(rs2);
    switch (op) {
      case Op.LUI:
        w(rd, `${imm | 0}`);
        break;
      case Op.AUIPC:
        w(rd, `${(pc + imm) | 0}`);
        break;
      case Op.FENCE:
        break;
      case Op.LB:
      case Op.LH:
      case Op.LW:
      case Op.LBU:
      case Op.LHU: {
        const size = op === Op.LW ? 4 : op === Op.LH || op === Op.LHU ? 2 : 1;
        body.push(`a = (${a} + ${imm}) | 0;`);
        if (size > 1)
          body.push(`if ((a & ${size - 1}) !== 0) rt.misaligned(${hex(pc)}, a, ${op});`);
        let extract: string;
        if (op === Op.LW) extract = 'M[i]';
        else if (op === Op.LH) extract = '(M[i] << (16 - ((a & 2) << 3))) >> 16';
        else if (op === Op.LHU) extract = '(M[i] >>> ((a & 2) << 3)) & 0xffff';
        else if (op === Op.LB) extract = '(M[i] << (24 - ((a & 3) << 3))) >> 24';
        else extract = '(M[i] >>> ((a & 3) << 3)) & 0xff';
        body.push(
          `p = RP[a >>> 12]; if (p < 0) v = rt.load(${hex(pc)}, a, ${op}); else { i = (p << 10) | ((a >>> 2) & 1023); T[i] = 1; v = ${extract}; }`,
        );
        w(rd, 'v');
        break;
      }
      case Op.SB:
      case Op.SH:
      case Op.SW: {
        const size = op === Op.SW ? 4 : op === Op.SH ? 2 : 1;
        body.push(`a = (${a} + ${imm}) | 0;`);
        if (size > 1)
          body.push(`if ((a & ${size - 1}) !== 0) rt.misaligned(${hex(pc)}, a, ${op});`);
        let merge: string;
        if (op === Op.SW) merge = b;
        else if (op === Op.SH) merge = `(M[i] & ~(0xffff << s)) | ((${b} & 0xffff) << s)`;
        else merge = `(M[i] & ~(0xff << s)) | ((${b} & 0xff) << s)`;
        const shift =
          op === Op.SH ? 's = (a & 2) << 3; ' : op === Op.SB ? 's = (a & 3) << 3; ' : '';
        body.push(
          `p = WP[a >>> 12]; if (p < 0) rt.store(${hex(pc)}, a, ${op}, ${b}); else { i = (p << 10) | ((a >>> 2) & 1023); T[i] = 1; ${shift}M[i] = ${merge}; }`,
        );
        break;
      }
      case Op.JAL: {
        const target = (pc + imm) >>> 0;
        if ((target & 3) !== 0) {
          exit = `rt.misalignedJump(${hex(pc)}, ${hex(target)});`;
        } else {
          w(rd, `${next | 0}`);
          exit = `WB return ${hex(target)};`;
        }
        break;
      }
      case Op.JALR:
        body.push(`a = (${a} + ${imm}) & -2;`);
        body.push(`if ((a & 2) !== 0) rt.misalignedJump(${hex(pc)}, a);`);
        w(rd, `${next | 0}`);
        exit = 'WB return a >>> 0;';
        break;
      case Op.BEQ:
      case Op.BNE:
      case Op.BLT:
      case Op.BGE:
      case Op.BLTU:
      case Op.BGEU: {
        const target = (pc + imm) >>> 0;
        const cond = BRANCH_SOURCE[op]!(a, b);
        const taken =
          (target & 3) !== 0
            ? `rt.misalignedJump(${hex(pc)}, ${hex(target)})`
            : `{ WB return ${hex(target)}; }`;
        exit = `if (${cond}) ${taken} WB return ${hex(next)};`;
        break;
      }
      case Op.CUSTOM:
        // A plugin's instruction, through the runtime (it ends the block: see blockLength).
        w(rd, `rt.custom(${hex(pc)}, ${imm}, ${a}, ${b})`);
        break;
      case Op.ECALL:
        // The syscall reads and writes the register file itself: write back first, reload never
        // needed because the block ends here.
        exit = `WB return rt.ecall(${hex(pc)});`;
        break;
      default: {
        // The ALU ops: their semantics declared once (alu.ts), rs2 or the immediate as b.
        const src = ALU_SOURCE[op];
        if (src === undefined)
          throw new Error(`compileBlock: op ${op} at ${hex(pc)} cannot be in a block`);
        w(rd, src(a, op <= Op.SRAI ? `${imm}` : b));
      }
    }
  }
  if (exit === '') exit = `WB return ${hex((rom.base + 4 * (start + len)) >>> 0)};`;
  const regs = [...used].sort((p, q) => p - q);
  const load = regs.length === 0 ? '' : `let ${regs.map((i) => `r${i} = x[${i}]`).join(', ')};`;
  const writeBack = [...dirty]
    .sort((p, q) => p - q)
    .map((i) => `x[${i}] = r${i};`)
    .join(' ');
  return `"use strict";
return function block_${hex(rom.base + 4 * start)}(x, M, T, RP, WP, rt) {
  let a = 0, p = 0, i = 0, v = 0, s = 0;
  ${load}
  ${body.join('\n  ')}
  ${exit.replaceAll('WB', writeBack)}
};`;
}
