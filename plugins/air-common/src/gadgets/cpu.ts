import type { EvalContext, Expr } from '@nexus/kernel';
import { type Col, type Cols, col, cols } from '../layout.js';
import { ProgramError } from '../program.js';
import { EXEC, PROGRAM } from '../relations.js';
import { writeWord } from './bytes.js';

/**
 * The columns every instruction row has: a selector (1 on real rows, 0 on padding), clk, pc,
 * one boolean flag per instruction of the family, and the decoded fields the family reads.
 * Fields the family never reads are constants in its program tuple (the decoder sets them to 0),
 * so they cost no column. `T` is a column handle (the layout), an `Expr` or a `Uint32Array`.
 */
export interface CpuCols<T> {
  readonly sel: T;
  readonly clk: T;
  readonly pc: T;
  /** A flag column per instruction, by flag name (`is_add`). */
  readonly flag: { readonly [name: string]: T };
  /** The VM's global op id of each flag (constants, not columns). */
  readonly op: { readonly [name: string]: number };
  readonly rd?: T;
  readonly rdNonZero?: T;
  readonly rs1?: T;
  readonly rs2?: T;
  readonly imm?: readonly T[];
  readonly immField?: T;
}

export interface CpuFields {
  readonly rd?: boolean;
  readonly rs1?: boolean;
  readonly rs2?: boolean;
  readonly imm?: boolean;
}

/** The instruction-row shape `cpuColumns(ops, fields)` declares, with literal column names. */
export type CpuShape<F extends Readonly<Record<string, number>>, D extends CpuFields> = {
  readonly sel: Col<'sel'>;
  readonly clk: Col<'clk'>;
  readonly pc: Col<'pc'>;
  readonly flag: { readonly [K in keyof F & string]: Col<K> };
  readonly op: F;
} & (D extends { readonly rd: true }
  ? { readonly rd: Col<'rd'>; readonly rdNonZero: Col<'rd_nz'> }
  : unknown) &
  (D extends { readonly rs1: true } ? { readonly rs1: Col<'rs1'> } : unknown) &
  (D extends { readonly rs2: true } ? { readonly rs2: Col<'rs2'> } : unknown) &
  (D extends { readonly imm: true }
    ? { readonly imm: Cols<'imm', 4>; readonly immField: Col<'imm_f'> }
    : unknown);

/**
 * The instruction-row columns, in this order: sel, clk, pc, one flag per op (in the order
 * given), then rd and rd_nz, rs1, rs2, imm0..imm3 and imm_f for the fields the family reads.
 * @param ops map from flag name to the VM's global op id
 *
 * @example
 * defineLayout({ cpu: cpuColumns({ is_add: Op.ADD }, { rd: true, rs1: true, rs2: true }), ... })
 */
export function cpuColumns<
  const F extends Readonly<Record<string, number>>,
  const D extends CpuFields = Record<never, never>,
>(ops: F, fields: D = {} as D): CpuShape<F, D> {
  const flag: Record<string, Col> = {};
  for (const name of Object.keys(ops)) flag[name] = col(name);
  return {
    sel: col('sel'),
    clk: col('clk'),
    pc: col('pc'),
    flag,
    op: ops,
    ...(fields.rd ? { rd: col('rd'), rdNonZero: col('rd_nz') } : {}),
    ...(fields.rs1 ? { rs1: col('rs1') } : {}),
    ...(fields.rs2 ? { rs2: col('rs2') } : {}),
    ...(fields.imm ? { imm: cols('imm', 4), immField: col('imm_f') } : {}),
  } as unknown as CpuShape<F, D>;
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

/**
 * The instruction row's expressions for evalCpu and the register gadgets: the fields the
 * family has no column for are the constant 0 (as in its program tuple), and the flags are
 * keyed by op id as well as by name.
 */
export function cpuExprs<C extends CpuCols<Expr>>(
  e: EvalContext,
  c: C,
): CpuExprs & { readonly flag: C['flag'] } {
  const zero = e.constant(0);
  const flags = new Map<number, Expr>();
  for (const [name, op] of Object.entries(c.op)) flags.set(op, c.flag[name]!);
  return {
    sel: c.sel,
    clk: c.clk,
    pc: c.pc,
    flag: c.flag,
    flags,
    rd: c.rd ?? zero,
    rs1: c.rs1 ?? zero,
    rs2: c.rs2 ?? zero,
    imm: c.imm ?? [zero, zero, zero, zero],
    immField: c.immField ?? zero,
    rdNonZero: c.rdNonZero ?? zero,
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
  c: CpuCols<Uint32Array>,
  ctx: { program: { indexOfPc(pc: number): number }; lookups: { program: Uint32Array } },
  R: CpuRecords,
): CpuFiller {
  const { sel, clk, pc, rd, rdNonZero, rs1, rs2, imm, immField } = c;
  const flags: Uint32Array[] = [];
  for (const [name, op] of Object.entries(c.op)) flags[op] = c.flag[name]!;
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
