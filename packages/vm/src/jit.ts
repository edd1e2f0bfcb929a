import { ALU_HELPERS, ALU_SOURCE, BRANCH_SOURCE } from './alu.js';
import type { CodeRom } from './code.js';
import { Op } from './isa.js';

/**
 * The slow paths compiled code calls into (the pass-1 Machine implements them). They throw
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

/** The counters a region reads and updates (one object per run, reused across calls). */
export interface RegionState {
  /**
   * In: instructions completed before the call. Out: completed at the exit, or, when a fault
   * leaves the region, completed before the block that faulted.
   */
  cycles: number;
  /** A block whose instructions would take `cycles` past it is not entered: the region exits. */
  limit: number;
  /** Out, when a fault leaves the region: pc of the first instruction of the faulting block. */
  blockPc: number;
}

/**
 * A compiled region (see `compileRegion`): entered at `pc` (one of its blocks), it runs its
 * blocks on the register file `x` and the flat storage `M` (`M8` and `M16`: byte and halfword
 * views of the same buffer; with touched flags `T` and page tables `RP`/`WP`), counts each block's executions in `H` (indexed by the block's ROM index),
 * and returns the pc of the first block outside the region (or past the cycle limit).
 */
export type RegionFn = (
  pc: number,
  x: Int32Array,
  M: Int32Array,
  M8: Uint8Array,
  M16: Uint16Array,
  T: Uint8Array,
  RP: Int32Array,
  WP: Int32Array,
  H: Float64Array,
  rt: BlockRuntime,
  S: RegionState,
) => number;

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

/**
 * On a little-endian host (every host Node runs on in practice) byte and halfword accesses
 * index byte and halfword views of the storage directly: byte k of storage word i is byte
 * 4i + k of its buffer. Elsewhere they take the word apart with shifts.
 */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
/** Index of byte address `a` in the byte view (storage page p, 4096 bytes a page). */
const BYTE_INDEX = '(p << 12) | (a & 4095)';
/** Index of (even) address `a` in the halfword view. */
const HALF_INDEX = '(p << 11) | ((a >>> 1) & 2047)';
/** Sub-word loads through the views, as int32 (sign-extended for LB and LH). */
const SUBWORD_LOAD: Readonly<Partial<Record<number, string>>> = {
  [Op.LB]: `(M8[${BYTE_INDEX}] << 24) >> 24`,
  [Op.LBU]: `M8[${BYTE_INDEX}]`,
  [Op.LH]: `(M16[${HALF_INDEX}] << 16) >> 16`,
  [Op.LHU]: `M16[${HALF_INDEX}]`,
};

/**
 * Translates the blocks at ROM indices `blocks` (sorted; each a basic block, see
 * `CodeRom.blockLength`) into one JavaScript function and compiles it with `new Function`.
 *
 * Blocks are the cases of a `switch` inside a loop: a control transfer to a block of the region
 * is a jump-table dispatch (or a fall into the next case), not a return to the dispatcher, so a
 * loop whose blocks are all here runs entirely inside one call; a block that branches to itself
 * is a JavaScript loop of its own. A jalr whose target is a block of the region continues there.
 * With `linked` false every block exits the region (the profiler's mode: it observes every
 * block). With `track` false loads and stores leave the touched flags `T` alone (a machine with
 * no pass 2 after it).
 *
 * Registers are kept in locals for the whole call (read on entry, written back at every exit
 * and on a fault, so a fault leaves the register file as the instructions before it left it);
 * x0 reads are the constant 0 and writes to x0 disappear (a load into x0 still performs its
 * access, so it still faults where it must). Immediates, targets and link values are folded into
 * the source as constants. Executions per block are counted in locals and added to `H` on the
 * way out. The cycle limit is checked before each block; the block's instructions are counted
 * on entry (a fault subtracts them again and names the block, so the caller counts exactly the
 * instructions before the faulting one).
 */
export function compileRegion(
  rom: CodeRom,
  blocks: readonly number[],
  linked = true,
  track = true,
): RegionFn {
  const src = regionSource(rom, blocks, linked, track);
  const factory = new Function(...Object.keys(ALU_HELPERS), src) as (
    ...helpers: unknown[]
  ) => RegionFn;
  return factory(...Object.values(ALU_HELPERS));
}

/** The JavaScript source of one region (exported for tests and debugging). */
export function regionSource(
  rom: CodeRom,
  blocks: readonly number[],
  linked = true,
  track = true,
): string {
  const used = new Set<number>();
  const dirty = new Set<number>();
  const r = (i: number) => {
    if (i === 0) return '0';
    used.add(i);
    return `r${i}`;
  };
  const caseOf = new Map<number, number>();
  blocks.forEach((wi, k) => {
    caseOf.set(wi, k);
  });
  const cases: string[] = [];
  blocks.forEach((start, k) => {
    const len = rom.blockLength(start);
    const body: string[] = [];
    const w = (i: number, expr: string) => {
      if (i === 0) return;
      used.add(i);
      dirty.add(i);
      body.push(`r${i} = ${expr};`);
    };
    const startPc = (rom.base + 4 * start) >>> 0;
    // A block ending in a branch to itself (most inner loops) runs as a JavaScript loop of its
    // own: an iteration is no dispatch at all.
    const lastOp = rom.op[start + len - 1]!;
    const selfLoop =
      linked &&
      lastOp >= Op.BEQ &&
      lastOp <= Op.BGEU &&
      (startPc + 4 * (len - 1) + rom.imm[start + len - 1]!) >>> 0 === startPc;
    /**
     * Leaves the block for `target` (a constant pc); `last` when it is the block's final
     * statement (so it may fall into the next case). Edges hold no arithmetic, only constant
     * assignments: V8 deoptimises optimised code at an operation that has never run (no type
     * feedback), and an edge may be taken for the first time long after the region was
     * optimised. The block's cycles were counted on entry.
     */
    const goto = (target: number, last: boolean) => {
      const wi = rom.indexOf(target);
      const j = linked && wi >= 0 ? caseOf.get(wi) : undefined;
      if (j === undefined) return `pc = ${hex(target)}; break L;`;
      // A branch back to this block: the inner loop's next iteration.
      if (selfLoop && j === k) return 'continue;';
      // The next case is the fall-through: no dispatch at all (out of the inner loop first).
      if (last && j === k + 1) return `b = ${j};${selfLoop ? ' break;' : ''}`;
      return `b = ${j}; continue L;`;
    };
    body.push(`if (c + ${len} > lim) { pc = ${hex(startPc)}; break L; }`);
    body.push(`c += ${len}; h${k}++;`);
    let exit = '';
    for (let n = 0; n < len; n++) {
      const i = start + n;
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
          // The word index i is needed for word accesses, big-endian sub-word ones and the flag.
          const needsI = track || op === Op.LW || !LITTLE_ENDIAN;
          if (op === Op.LW) extract = 'M[i]';
          else if (LITTLE_ENDIAN) extract = SUBWORD_LOAD[op]!;
          else if (op === Op.LH) extract = '(M[i] << (16 - ((a & 2) << 3))) >> 16';
          else if (op === Op.LHU) extract = '(M[i] >>> ((a & 2) << 3)) & 0xffff';
          else if (op === Op.LB) extract = '(M[i] << (24 - ((a & 3) << 3))) >> 24';
          else extract = '(M[i] >>> ((a & 3) << 3)) & 0xff';
          body.push(
            `p = ~RP[a >>> 12]; if (p < 0) v = rt.load(${hex(pc)}, a, ${op}); else { ${needsI ? 'i = (p << 10) | ((a >>> 2) & 1023); ' : ''}${track ? 'T[i] = 1; ' : ''}v = ${extract}; }`,
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
          let write: string;
          const needsI = track || op === Op.SW || !LITTLE_ENDIAN;
          if (op === Op.SW) write = `M[i] = ${b};`;
          // The typed array truncates the value to the store's width.
          else if (LITTLE_ENDIAN && op === Op.SH) write = `M16[${HALF_INDEX}] = ${b};`;
          else if (LITTLE_ENDIAN) write = `M8[${BYTE_INDEX}] = ${b};`;
          else if (op === Op.SH)
            write = `s = (a & 2) << 3; M[i] = (M[i] & ~(0xffff << s)) | ((${b} & 0xffff) << s);`;
          else write = `s = (a & 3) << 3; M[i] = (M[i] & ~(0xff << s)) | ((${b} & 0xff) << s);`;
          body.push(
            `p = ~WP[a >>> 12]; if (p < 0) rt.store(${hex(pc)}, a, ${op}, ${b}); else { ${needsI ? 'i = (p << 10) | ((a >>> 2) & 1023); ' : ''}${track ? 'T[i] = 1; ' : ''}${write} }`,
          );
          break;
        }
        case Op.JAL: {
          const target = (pc + imm) >>> 0;
          if ((target & 3) !== 0) {
            exit = `rt.misalignedJump(${hex(pc)}, ${hex(target)});`;
          } else {
            w(rd, `${next | 0}`);
            exit = goto(target, true);
          }
          break;
        }
        case Op.JALR:
          body.push(`a = (${a} + ${imm}) & -2;`);
          body.push(`if ((a & 2) !== 0) rt.misalignedJump(${hex(pc)}, a);`);
          w(rd, `${next | 0}`);
          // The target is known now: a block of the region continues here (the entry switch).
          exit = linked ? 'pc = a >>> 0; b = -1; continue L;' : 'pc = a >>> 0; break L;';
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
              ? `rt.misalignedJump(${hex(pc)}, ${hex(target)});`
              : `{ ${goto(target, false)} }`;
          exit = `if (${cond}) ${taken}\n      ${goto(next, true)}`;
          break;
        }
        case Op.CUSTOM:
          // A plugin's instruction, through the runtime (it ends the block: see blockLength).
          w(rd, `rt.custom(${hex(pc)}, ${imm}, ${a}, ${b})`);
          break;
        case Op.ECALL:
          // The syscall reads and writes the register file itself: write back, call, and leave
          // the region past the write-back (the next call reads the registers again).
          exit = `WB pc = rt.ecall(${hex(pc)}); break E;`;
          break;
        default: {
          // The ALU ops: their semantics declared once (alu.ts), rs2 or the immediate as b.
          const src = ALU_SOURCE[op];
          if (src === undefined)
            throw new Error(`compileRegion: op ${op} at ${hex(pc)} cannot be in a block`);
          w(rd, src(a, op <= Op.SRAI ? `${imm}` : b));
        }
      }
    }
    if (exit === '') exit = goto((rom.base + 4 * (start + len)) >>> 0, true);
    body.push(exit);
    const code = body.join('\n      ');
    cases.push(
      `case ${k}: // ${hex(startPc)}\n      ${selfLoop ? `for (;;) {\n      ${code}\n      }` : code}`,
    );
  });
  const regs = [...used].sort((p, q) => p - q);
  const load = regs.length === 0 ? '' : `let ${regs.map((i) => `r${i} = x[${i}]`).join(', ')};`;
  const writeBack = [...dirty]
    .sort((p, q) => p - q)
    .map((i) => `x[${i}] = r${i};`)
    .join(' ');
  const pcs = blocks.map((wi) => hex(rom.base + 4 * wi));
  const entries = blocks.map((_, k) => `case ${pcs[k]}: b = ${k}; continue L;`).join(' ');
  const name = `region_${pcs[0]}`;
  // Block counts in locals (a typed-array increment per block costs more than the block's
  // own bookkeeping), added to H wherever the region is left.
  const counters = blocks.map((_, k) => `h${k} = 0`).join(', ');
  const flush = blocks.map((wi, k) => `H[${wi}] += h${k};`).join(' ');
  const lens = blocks.map((wi) => rom.blockLength(wi));
  return `"use strict";
const PCS = [${pcs.join(', ')}];
const LENS = [${lens.join(', ')}];
return function ${name}(pc, x, M, M8, M16, T, RP, WP, H, rt, S) {
  let a = 0, p = 0, i = 0, v = 0, s = 0, b = -1;
  let ${counters};
  let c = S.cycles;
  const lim = S.limit;
  ${load}
  E: {
    try {
      L: for (;;) {
        switch (b) {
        case -1:
          switch (pc) { ${entries} }
          break L;
        ${cases.join('\n      ').replaceAll('WB', writeBack)}
        }
      }
    } catch (e) {
      // Completed instructions stay done: the caller counts those of the faulting block.
      ${writeBack}
      ${flush}
      if (b >= 0) { S.cycles = c - LENS[b]; S.blockPc = PCS[b]; }
      throw e;
    }
    ${writeBack}
  }
  ${flush}
  S.cycles = c;
  return pc;
};`;
}
