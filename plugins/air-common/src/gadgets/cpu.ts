import type { EvalContext, Expr } from '@nexus/kernel';
import type { ColumnLayout } from '../layout.js';
import { ProgramError } from '../program.js';
import { EXEC, PROGRAM } from '../relations.js';
import { writeWord } from './bytes.js';

/**
 * The columns every instruction row has: a selector (1 on real rows, 0 on padding), clk, pc,
 * one boolean flag per instruction of the family, and the decoded fields the family reads.
 * Fields the family never reads are constants in its program tuple (the decoder sets them to 0),
 * so they cost no column.
 */
export interface CpuColumns {
  readonly sel: string;
  readonly clk: string;
  readonly pc: string;
  /** Flag column per op id of the family. */
  readonly flags: ReadonlyMap<number, string>;
  readonly rd?: string;
  readonly rs1?: string;
  readonly rs2?: string;
  readonly imm?: readonly string[];
  readonly immField?: string;
  readonly rdNonZero?: string;
}

export interface CpuFields {
  readonly rd?: boolean;
  readonly rs1?: boolean;
  readonly rs2?: boolean;
  readonly imm?: boolean;
}

/**
 * Adds the instruction-row columns.
 * @param ops map from flag name to the VM's global op id
 */
export function addCpuColumns(
  layout: ColumnLayout,
  ops: Readonly<Record<string, number>>,
  fields: CpuFields,
): CpuColumns {
  const sel = layout.add('sel');
  const clk = layout.add('clk');
  const pc = layout.add('pc');
  const flags = new Map<number, string>();
  for (const [name, op] of Object.entries(ops)) flags.set(op, layout.add(name));
  return {
    sel,
    clk,
    pc,
    flags,
    ...(fields.rd ? { rd: layout.add('rd'), rdNonZero: layout.add('rd_nz') } : {}),
    ...(fields.rs1 ? { rs1: layout.add('rs1') } : {}),
    ...(fields.rs2 ? { rs2: layout.add('rs2') } : {}),
    ...(fields.imm ? { imm: layout.addMany('imm', 4), immField: layout.add('imm_f') } : {}),
  };
}

export interface CpuExprs {
  readonly sel: Expr;
  readonly clk: Expr;
  readonly pc: Expr;
  readonly flags: ReadonlyMap<number, Expr>;
  readonly rd: Expr;
  readonly rs1: Expr;
  readonly rs2: Expr;
  readonly imm: readonly Expr[];
  readonly immField: Expr;
  readonly rdNonZero: Expr;
}

export function cpuExprs(e: EvalContext, c: CpuColumns): CpuExprs {
  const zero = e.constant(0);
  const flags = new Map<number, Expr>();
  for (const [op, name] of c.flags) flags.set(op, e.col(name));
  return {
    sel: e.col(c.sel),
    clk: e.col(c.clk),
    pc: e.col(c.pc),
    flags,
    rd: c.rd ? e.col(c.rd) : zero,
    rs1: c.rs1 ? e.col(c.rs1) : zero,
    rs2: c.rs2 ? e.col(c.rs2) : zero,
    imm: c.imm ? c.imm.map((n) => e.col(n)) : [zero, zero, zero, zero],
    immField: c.immField ? e.col(c.immField) : zero,
    rdNonZero: c.rdNonZero ? e.col(c.rdNonZero) : zero,
  };
}

/**
 * The constraints and bus entries of every instruction row: the selector and the flags are
 * boolean and exactly one flag is set on a real row; the decoded instruction at pc is taken
 * from the program table (so a row can only execute what the program holds at that pc); the
 * execution state (pc, clk) is consumed and (nextPc, clk + 1) produced (`continues` times:
 * default sel; the exit ecall passes 0 so the chain ends there).
 */
export function evalCpu(e: EvalContext, c: CpuExprs, nextPc: Expr, continues?: Expr): void {
  e.constraint(c.sel.mul(c.sel.sub(1)), 'sel is boolean');
  let sum: Expr = e.constant(0);
  let op: Expr = e.constant(0);
  for (const [id, f] of c.flags) {
    e.constraint(f.mul(f.sub(1)), `flag of op ${id} is boolean`);
    sum = sum.add(f);
    op = op.add(f.mul(id));
  }
  e.constraint(sum.sub(c.sel), 'one op flag on real rows, none on padding');
  e.use(PROGRAM, [c.pc, op, c.rd, c.rs1, c.rs2, ...c.imm, c.immField, c.rdNonZero], c.sel);
  e.use(EXEC, [c.pc, c.clk], c.sel);
  // `continues` is sel except for the exit ecall, which ends the chain with no successor.
  e.yield(EXEC, [nextPc, c.clk.add(1)], continues ?? c.sel);
}

/** The records' columns of a family's instruction fields (the VM's names). */
export interface CpuRecords {
  readonly clk: Uint32Array;
  readonly pc: Uint32Array;
  readonly rd?: Uint32Array;
  readonly rs1?: Uint32Array;
  readonly rs2?: Uint32Array;
  readonly imm?: Uint32Array;
}

/** bindCpu's `reads`: the op reads rs2, the immediate, both (READS_RS2 | READS_IMM) or none. */
export const READS_RS2 = 1;
export const READS_IMM = 2;

/**
 * Writes trace row i from record row i (the same index): the instruction columns, and counts
 * its program-table lookup. `op` is the VM's global op id; rs2 and the immediate are taken
 * from the records where `reads` says the op reads them and are 0 otherwise, as the program
 * table holds them (rd and rs1 come from the records where the family has them).
 */
export type CpuFiller = (i: number, op: number, reads: number) => void;

/**
 * The instruction-row filler of a trace, with its column arrays resolved once (trace
 * generation writes millions of rows: no lookups by name per row). The fields come from the
 * records, not from the program table, so the table-balance tests still compare the VM's
 * decoding with the program table's.
 */
export function bindCpu(
  w: { col(name: string): Uint32Array },
  c: CpuColumns,
  ctx: { program: { indexOfPc(pc: number): number }; lookups: { program: Uint32Array } },
  R: CpuRecords,
): CpuFiller {
  const sel = w.col(c.sel);
  const clk = w.col(c.clk);
  const pc = w.col(c.pc);
  const flags: Uint32Array[] = [];
  for (const [op, name] of c.flags) flags[op] = w.col(name);
  const rd = c.rd === undefined ? undefined : w.col(c.rd);
  const rdNonZero = c.rdNonZero === undefined ? undefined : w.col(c.rdNonZero);
  const rs1 = c.rs1 === undefined ? undefined : w.col(c.rs1);
  const rs2 = c.rs2 === undefined ? undefined : w.col(c.rs2);
  const imm = c.imm?.map((n) => w.col(n));
  const immField = c.immField === undefined ? undefined : w.col(c.immField);
  const { program, lookups } = ctx;
  const field = (name: string, col: Uint32Array | undefined, records: Uint32Array | undefined) => {
    if (col !== undefined && records === undefined)
      throw new Error(`the records have no ${name} for this family's ${name} column`);
    return records!;
  };
  const Rrd = field('rd', rd, R.rd);
  const Rrs1 = field('rs1', rs1, R.rs1);
  const Rrs2 = field('rs2', rs2, R.rs2);
  const Rimm = field('imm', imm?.[0], R.imm);
  return (i, op, reads) => {
    const at = R.pc[i]!;
    sel[i] = 1;
    clk[i] = R.clk[i]!;
    pc[i] = at;
    const flag = flags[op];
    if (flag === undefined) {
      // The machine's family for this table (vm.family) lists more instructions than the
      // component proves: a build problem, named with where it shows.
      throw new ProgramError(
        `the instruction at pc 0x${(at >>> 0).toString(16)} was recorded in a table whose component does not prove it: the build's instruction family for that table (vm.family) lists instructions its component does not prove`,
        { pc: at },
      );
    }
    flag[i] = 1;
    if (rd) {
      const r = Rrd[i]!;
      rd[i] = r;
      rdNonZero![i] = r === 0 ? 0 : 1;
    }
    if (rs1) rs1[i] = Rrs1[i]!;
    if (rs2) rs2[i] = reads & READS_RS2 ? Rrs2[i]! : 0;
    if (imm && reads & READS_IMM) {
      const v = Rimm[i]! | 0;
      writeWord(imm, i, v >>> 0);
      // imm mod p (-2^31 = -(p + 1) needs the full reduction)
      immField![i] = ((v % 0x7fffffff) + 0x7fffffff) % 0x7fffffff;
    }
    const k = program.indexOfPc(at);
    if (k < 0) throw new Error(`no instruction at pc 0x${at.toString(16)} in the program table`);
    lookups.program[k]!++;
  };
}
