import { ALU_HELPERS, ALU_SOURCE, BRANCH_SOURCE } from './alu.js';
import type { CodeRom } from './code.js';
import type { FamilyPartition } from './families.js';
import { Op } from './isa.js';
import type { RecordTable } from './records.js';

/** The checked slow paths a compiled pass-2 block calls into (the Tracer implements them). */
export interface TraceRuntime {
  /** Storage index of the word at `a` through the checked path (mapping, permissions). */
  slowIndex(pc: number, a: number, size: number, store: boolean): number;
  notInLayout(pc: number, a: number): never;
  misaligned(pc: number, a: number, op: number): never;
  misalignedJump(pc: number, target: number): never;
  /** Interprets the instruction at ROM index wi as cycle clk (used for ecall). */
  exec(wi: number, pc: number, clk: number): number;
}

/** The mutable state of a pass-2 run that compiled blocks work on. */
export interface TraceState {
  readonly xv: Int32Array;
  readonly xts: Uint32Array;
  readonly words: Int32Array;
  readonly mts: Uint32Array;
  readonly rp: Int32Array;
  readonly wp: Int32Array;
  readonly tables: readonly RecordTable[];
  /** Cycles completed before the block; the block advances it. */
  clk: number;
  /** The cycle limit (a looping block stops before passing it). */
  limit: number;
  readonly rt: TraceRuntime;
}

/**
 * A compiled pass-2 block: executes the block and appends its rows; returns the next pc, or -1
 * (before any side effect) when a table lacks room for the block's rows, so the caller
 * interprets it instead (the interpreter grows tables row by row and raises LayoutError at the
 * exact row that does not fit).
 */
export type TraceBlockFn = (S: TraceState) => number;

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;
/**
 * A constant for a Uint32Array store, as a signed int32 literal: the same bits, but V8 keeps it a
 * small integer instead of a heap double (values >= 2^31 would be doubles, converted per store).
 */
const lit = (v: number) => `${v | 0}`;
const NOT_IN_LAYOUT = '0xffffffff';

/**
 * Translates one basic block into a pass-2 function (the same semantics and the same rows as
 * the Tracer's interpreter; tests compare the two row by row). Everything that is constant for
 * the instruction (pc, word, op ids, register numbers, immediates, timestamp offsets) is folded
 * into the source; the hot path is then typed-array loads and stores only.
 */
export function compileTraceBlock(
  rom: CodeRom,
  start: number,
  len: number,
  partition: FamilyPartition,
  completeRows = false,
): TraceBlockFn {
  const src = traceBlockSource(rom, start, len, partition, completeRows);
  const factory = new Function(...Object.keys(ALU_HELPERS), src) as (
    ...helpers: unknown[]
  ) => TraceBlockFn;
  return factory(...Object.values(ALU_HELPERS));
}

/**
 * The source of a compiled pass-2 block. With `completeRows`, every row writes every stored
 * column of its table, zeros included, for tables whose rows are reused without zeroing
 * (RecordTable.rewind); without it, rows are fresh zeroed memory and constant zeros are not
 * stored.
 */
export function traceBlockSource(
  rom: CodeRom,
  start: number,
  len: number,
  partition: FamilyPartition,
  completeRows = false,
): string {
  const { familyOf, localOpOf } = partition;
  const startPc = (rom.base + 4 * start) >>> 0;
  // Rows per family in this block (the ecall, if any, is interpreted).
  const counts = new Map<number, number>();
  const regs = new Set<number>();
  for (let k = 0; k < len; k++) {
    const wi = start + k;
    const op = rom.op[wi]!;
    if (op === Op.ECALL || op === Op.CUSTOM) continue;
    const f = familyOf[op]!;
    // An instruction no family records ends the compiled part: the interpreter raises it.
    if (f < 0) return 'return -1;';
    counts.set(f, (counts.get(f) ?? 0) + 1);
    regs.add(rom.rs1[wi]!).add(rom.rs2[wi]!).add(rom.rd[wi]!);
  }
  const fams = [...counts.keys()].sort((a, b) => a - b);
  const regList = [...regs].sort((a, b) => a - b);
  const pro: string[] = [];
  for (const f of fams) {
    pro.push(
      `const tb${f} = T[${f}]; let r${f} = tb${f}.length; const cap${f} = tb${f}.capacity, st${f} = tb${f}.stride;`,
    );
    pro.push(`if (r${f} + ${counts.get(f)} > cap${f}) return -1;`);
    const cols = partition.stored[f]!;
    // One buffer per table, columns at multiples of its stride (see RecordTable).
    pro.push(`const D${f} = tb${f}.data;`);
    pro.push(`const ${cols.map((c, slot) => `o${f}_${c} = ${slot} * st${f}`).join(', ')};`);
  }
  // Registers live in locals for the whole call: values x<i> (x0 is the constant 0) and
  // timestamps ts<i>, loaded once, written back once at the exit.
  for (const i of regList) {
    if (i !== 0) pro.push(`let x${i} = xv[${i}];`);
    pro.push(`let ts${i} = xts[${i}];`);
  }
  const finish = () =>
    [
      ...fams.map((f) => `tb${f}.length = r${f};`),
      ...regList.filter((i) => i !== 0).map((i) => `xv[${i}] = x${i};`),
      ...regList.map((i) => `xts[${i}] = ts${i};`),
    ].join(' ');
  const body: string[] = [];
  let exit = '';
  let loops = false;
  for (let k = 0; k < len; k++) {
    const wi = start + k;
    const op = rom.op[wi]!;
    const rd = rom.rd[wi]!;
    const rs1 = rom.rs1[wi]!;
    const rs2 = rom.rs2[wi]!;
    const imm = rom.imm[wi]!;
    const pc = (rom.base + 4 * wi) >>> 0;
    const next = (pc + 4) >>> 0;
    const TS = `b4 + ${4 * (k + 1)}`;
    if (op === Op.ECALL || op === Op.CUSTOM) {
      // Always the last instruction of a block: finish this block's rows, then interpret it.
      // S.clk moves past it only once it has run: a fault in it is located from the block's
      // start (Tracer.advance), as in the rest of the block.
      exit = `${finish()} n = rt.exec(${wi}, ${hex(pc)}, c0 + ${k + 1}); S.clk = c0 + ${k + 1}; return n;`;
      break;
    }
    const f = familyOf[op]!;
    const stored = partition.stored[f]!;
    const written = new Set<string>();
    const set = (col: string, expr: string | number) => {
      // Rows are fresh zeroed memory written once: constant zeros need no store. Columns
      // derived from the stored ones (derived-columns.ts) are not written at all.
      if (expr === 0 || !stored.includes(col)) return;
      written.add(col);
      body.push(`D${f}[r + o${f}_${col}] = ${expr};`);
    };
    // A reused row holds the previous segment's values: write the zeros too.
    const endRow = () => {
      if (!completeRows) return;
      const zeros = stored.filter((c) => !written.has(c));
      if (zeros.length > 0) body.push(zeros.map((c) => `D${f}[r + o${f}_${c}] = 0;`).join(' '));
    };
    const val = (i: number) => (i === 0 ? '0' : `x${i}`);
    body.push(`// ${hex(pc)}`);
    body.push(`r = r${f}++;`);
    set('clk', `c0 + ${k + 1}`);
    set('pc', lit(pc));
    set('word', lit(rom.word[wi]!));
    set('op', localOpOf[op]!);
    set('imm', imm | 0);
    const readRs1 = () => {
      set('rs1', rs1);
      body.push(`v1 = ${val(rs1)};`);
      if (rs1 !== 0) set('rs1Val', 'v1');
      set('rs1Ts', `ts${rs1}`);
      body.push(`ts${rs1} = ${TS};`);
    };
    const readRs2 = () => {
      set('rs2', rs2);
      body.push(`v2 = ${val(rs2)};`);
      if (rs2 !== 0) set('rs2Val', 'v2');
      set('rs2Ts', `ts${rs2}`);
      body.push(`ts${rs2} = ${TS} + 1;`);
    };
    // x0 reads 0; a write to it is dropped and is no access (x0's timestamp does not move).
    const writeRd = (expr: string) => {
      set('rd', rd);
      set('rdPrevTs', `ts${rd}`);
      if (rd !== 0) {
        body.push(`ts${rd} = ${TS} + 2;`);
        set('rdPrev', `x${rd}`);
        body.push(`x${rd} = ${expr};`);
        set('rdVal', `x${rd}`);
      }
    };
    const setNext = (expr: string | number) => set('nextPc', expr);
    const isR = op >= Op.ADD && op <= Op.AND;
    const B = isR || (op >= Op.MUL && op <= Op.REMU) ? 'v2' : `${imm}`;
    // The ALU ops: their semantics declared once (alu.ts), rs2 or the immediate as b.
    const alu = ALU_SOURCE[op]?.('v1', B);
    if (alu !== undefined) {
      readRs1();
      if (isR || (op >= Op.MUL && op <= Op.REMU)) readRs2();
      writeRd(alu);
      setNext(lit(next));
      endRow();
      continue;
    }
    switch (op) {
      case Op.FENCE:
        setNext(lit(next));
        break;
      case Op.LUI:
        writeRd(`${imm | 0}`);
        setNext(lit(next));
        break;
      case Op.AUIPC:
        writeRd(`${(pc + imm) | 0}`);
        setNext(lit(next));
        break;
      case Op.JAL: {
        const target = (pc + imm) >>> 0;
        if ((target & 3) !== 0) body.push(`rt.misalignedJump(${hex(pc)}, ${hex(target)});`);
        writeRd(`${next | 0}`);
        setNext(lit(target));
        exit = `n = ${hex(target)};`;
        if (target === startPc) loops = true;
        break;
      }
      case Op.JALR:
        readRs1();
        body.push(`n = ((v1 + ${imm}) & -2) >>> 0;`);
        body.push(`if ((n & 2) !== 0) rt.misalignedJump(${hex(pc)}, n);`);
        writeRd(`${next | 0}`);
        setNext('n');
        exit = 'n = n;';
        break;
      case Op.BEQ:
      case Op.BNE:
      case Op.BLT:
      case Op.BGE:
      case Op.BLTU:
      case Op.BGEU: {
        readRs1();
        readRs2();
        const target = (pc + imm) >>> 0;
        const cond = BRANCH_SOURCE[op]!('v1', 'v2');
        if ((target & 3) !== 0)
          body.push(`if (${cond}) rt.misalignedJump(${hex(pc)}, ${hex(target)});`);
        body.push(`n = ${cond} ? ${hex(target)} : ${hex(next)};`);
        setNext('n');
        if (target === startPc) loops = true;
        exit = 'n = n;';
        break;
      }
      case Op.LB:
      case Op.LH:
      case Op.LW:
      case Op.LBU:
      case Op.LHU: {
        const size = op === Op.LW ? 4 : op === Op.LH || op === Op.LHU ? 2 : 1;
        readRs1();
        body.push(`a = (v1 + ${imm}) | 0;`);
        if (size > 1)
          body.push(`if ((a & ${size - 1}) !== 0) rt.misaligned(${hex(pc)}, a, ${op});`);
        body.push(
          `p = ~RP[a >>> 12]; i = p < 0 ? rt.slowIndex(${hex(pc)}, a, ${size}, false) : (p << 10) | ((a >>> 2) & 1023);`,
        );
        body.push(`pt = MT[i]; if (pt === ${NOT_IN_LAYOUT}) rt.notInLayout(${hex(pc)}, a);`);
        body.push('w = M[i];');
        set('memAddr', 'a & -4');
        set('memPrev', 'w');
        set('memPrevTs', 'pt');
        set('memVal', 'w');
        body.push(`MT[i] = ${TS} + 3;`);
        let extract: string;
        if (op === Op.LW) extract = 'w';
        else if (op === Op.LH) extract = '(w << (16 - ((a & 2) << 3))) >> 16';
        else if (op === Op.LHU) extract = '(w >>> ((a & 2) << 3)) & 0xffff';
        else if (op === Op.LB) extract = '(w << (24 - ((a & 3) << 3))) >> 24';
        else extract = '(w >>> ((a & 3) << 3)) & 0xff';
        writeRd(extract);
        setNext(lit(next));
        break;
      }
      case Op.SB:
      case Op.SH:
      case Op.SW: {
        const size = op === Op.SW ? 4 : op === Op.SH ? 2 : 1;
        readRs1();
        readRs2();
        body.push(`a = (v1 + ${imm}) | 0;`);
        if (size > 1)
          body.push(`if ((a & ${size - 1}) !== 0) rt.misaligned(${hex(pc)}, a, ${op});`);
        body.push(
          `p = ~WP[a >>> 12]; i = p < 0 ? rt.slowIndex(${hex(pc)}, a, ${size}, true) : (p << 10) | ((a >>> 2) & 1023);`,
        );
        body.push(`pt = MT[i]; if (pt === ${NOT_IN_LAYOUT}) rt.notInLayout(${hex(pc)}, a);`);
        body.push('w = M[i];');
        if (size === 4) body.push('nw = v2;');
        else if (size === 2)
          body.push('s = (a & 2) << 3; nw = (w & ~(0xffff << s)) | ((v2 & 0xffff) << s);');
        else body.push('s = (a & 3) << 3; nw = (w & ~(0xff << s)) | ((v2 & 0xff) << s);');
        body.push(`M[i] = nw; MT[i] = ${TS} + 3;`);
        set('memAddr', 'a & -4');
        set('memPrev', 'w');
        set('memPrevTs', 'pt');
        set('memVal', 'nw');
        setNext(lit(next));
        break;
      }
      default:
        throw new Error(`compileTraceBlock: op ${op} at ${hex(pc)} cannot be in a block`);
    }
    endRow();
  }
  const advance = `c0 += ${len}; b4 += ${4 * len};`;
  let code: string;
  if (exit.includes('rt.exec')) {
    code = `${body.join('\n  ')}\n  ${exit}`;
  } else {
    if (exit === '') exit = `n = ${hex((rom.base + 4 * (start + len)) >>> 0)};`;
    if (loops) {
      // A block that branches back to itself runs as a JavaScript loop: one call per loop,
      // not per iteration. It leaves the loop to the dispatcher when the branch exits, when
      // the next iteration would pass the cycle limit, or when a table is full.
      const room = fams.map((f) => `r${f} + ${counts.get(f)} > cap${f}`).join(' || ');
      code = `for (;;) {
  S.clk = c0;
  ${body.join('\n  ')}
  ${exit}
  ${advance}
  if (n !== ${hex(startPc)} || c0 + ${len} > lim${room === '' ? '' : ` || ${room}`}) break;
  }
  ${finish()} S.clk = c0; return n;`;
    } else {
      code = `${body.join('\n  ')}\n  ${exit}\n  ${finish()} S.clk = c0 + ${len}; return n;`;
    }
  }
  return `"use strict";
return function trace_${hex(startPc)}(S) {
  const xv = S.xv, xts = S.xts, M = S.words, MT = S.mts, RP = S.rp, WP = S.wp, T = S.tables, rt = S.rt, lim = S.limit;
  let c0 = S.clk, b4 = 4 * c0;
  let r = 0, v1 = 0, v2 = 0, a = 0, p = 0, i = 0, pt = 0, w = 0, nw = 0, s = 0, n = 0;
  ${pro.join('\n  ')}
  ${code}
};`;
}
