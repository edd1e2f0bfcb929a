import type { EvalContext, Expr } from '@nexus/kernel';
import type { Lookups } from '../context.js';
import { type Col, type Cols, col, cols } from '../layout.js';
import { RANGE16, REG, TS_RD, TS_RS1, TS_RS2 } from '../relations.js';
import { writeWord } from './bytes.js';
import type { CpuExprs } from './cpu.js';

/**
 * One access to a register (or tape pseudo-register) in the memory argument: take the previous
 * (value, timestamp) off the bus, put the new one on, and prove the previous timestamp is
 * smaller: ts - prevTs - 1 = lo + 2^16·hi with lo < 2^16 and 8·hi < 2^16 (gaps below 2^29; a
 * wrapped negative gap would be near p, far outside). For a read, `next` is `prev`.
 */
export interface RegisterAccess {
  readonly reg: Expr;
  readonly prev: readonly Expr[];
  readonly next: readonly Expr[];
  readonly ts: Expr;
  readonly prevTs: Expr;
  readonly lo: Expr;
  readonly hi: Expr;
  /** 1 when the access happens (a selector, or selector·flag); 0 on padding rows. */
  readonly multiplicity: Expr;
}

export function evalRegisterAccess(e: EvalContext, a: RegisterAccess, label: string): void {
  e.use(REG, [a.reg, ...a.prev, a.prevTs], a.multiplicity);
  e.yield(REG, [a.reg, ...a.next, a.ts], a.multiplicity);
  evalTimestampIncrease(e, a, label);
}

/**
 * prevTs < ts for an access that happens (multiplicity 1): ts - prevTs - 1 = lo + 2^16·hi
 * with lo and 8·hi looked up in range16, so the gap is an integer below 2^29 + 2^16.
 * Register and RAM accesses share it. The bounds it relies on, and what guarantees them:
 * - every range16 value is below 2^16: every range16 row of the byte-pair table (`bitwise`)
 *   yields a + 256·b from 8 + 8 boolean bits, at any table size;
 * - the high limb is bounded through 8·hi = v in [0, 2^16), whatever field element hi is:
 *   2^16·hi = 2^13·v (mod p, exactly: 2^16·hi = 2^13·(8·hi)), so lo + 2^16·hi is an integer in
 *   [0, 2^16 + 2^29) however the prover picks hi (an honest hi is below 2^13, 8·hi exact);
 * - every timestamp is below p - (2^29 + 2^16), so a wrapped ("negative") gap, p minus at most
 *   the largest timestamp, is never in that range: timestamps are 4·clk + slot with
 *   clk <= 2^28 (the exec relation's maxUses), hence below 2^30 + 4, and
 *   2^30 + 4 + 2^29 + 2^16 < p = 2^31 - 1; the tokens prevTs is matched against are such
 *   timestamps or 0 (initial values).
 * So a word or register may stay untouched for up to 2^27 cycles (2^29 timestamps); the limbs
 * were 16 + 11 bits (range11 for hi, 2^25 cycles) until a 5.6·10^7-cycle run needed more
 * (SOUNDNESS.md F7). The range11 table's size rule (exactly 2^11 rows, issue 10) still guards
 * the carries and offsets that use it.
 */
export function evalTimestampIncrease(
  e: EvalContext,
  a: {
    readonly ts: Expr;
    readonly prevTs: Expr;
    readonly lo: Expr;
    readonly hi: Expr;
    readonly multiplicity: Expr;
  },
  label: string,
): void {
  e.constraint(
    a.multiplicity.mul(a.ts.sub(a.prevTs).sub(1).sub(a.lo).sub(a.hi.mul(65536))),
    `${label}: timestamp increases`,
  );
  e.use(RANGE16, [a.lo], a.multiplicity);
  e.use(RANGE16, [a.hi.mul(8)], a.multiplicity);
}

/**
 * The columns of a register access: the bytes it holds as columns (`value` of a read, `prev`,
 * the value before, of a write), the previous timestamp and the gap limbs. `T` is a column
 * handle (the layout), an `Expr` or a `Uint32Array`.
 */
export interface AccessCols<T> {
  /** A read's value (empty for a write, whose new value the caller computes). */
  readonly value: readonly T[];
  readonly prevTs: T;
  readonly lo: T;
  readonly hi: T;
  /** Only for writes: the value before. */
  readonly prev?: readonly T[];
}

/** The columns `readColumns(prefix)` declares, with literal names. */
export interface ReadShape<P extends string> {
  readonly value: Cols<`${P}_v`, 4>;
  readonly prevTs: Col<`${P}_prev_ts`>;
  readonly lo: Col<`${P}_lo`>;
  readonly hi: Col<`${P}_hi`>;
}

/** The columns `writeColumns(prefix)` declares, with literal names. */
export interface WriteShape<P extends string> {
  readonly prev: Cols<`${P}_prev`, 4>;
  readonly value: readonly [];
  readonly prevTs: Col<`${P}_prev_ts`>;
  readonly lo: Col<`${P}_lo`>;
  readonly hi: Col<`${P}_hi`>;
}

/** A register read's columns: `${prefix}_v0..3`, `${prefix}_prev_ts`, `${prefix}_lo`, `${prefix}_hi`. */
export function readColumns<const P extends string>(prefix: P): ReadShape<P> {
  return {
    value: cols(`${prefix}_v`, 4),
    prevTs: col(`${prefix}_prev_ts`),
    lo: col(`${prefix}_lo`),
    hi: col(`${prefix}_hi`),
  };
}

/** A register write's columns: `${prefix}_prev0..3`, `${prefix}_prev_ts`, `${prefix}_lo`, `${prefix}_hi`. */
export function writeColumns<const P extends string>(prefix: P): WriteShape<P> {
  return {
    prev: cols(`${prefix}_prev`, 4),
    value: [],
    prevTs: col(`${prefix}_prev_ts`),
    lo: col(`${prefix}_lo`),
    hi: col(`${prefix}_hi`),
  };
}

/** An access's columns bound to expressions, as `evaluate` reads them. */
export type AccessExprs = AccessCols<Expr>;

/**
 * The read of rs1 (the register the program tuple names) at 4·clk, on real rows unless a
 * smaller `multiplicity` says when the op reads it.
 */
export function evalRs1Read(
  e: EvalContext,
  c: CpuExprs,
  a: AccessExprs,
  multiplicity: Expr = c.sel,
): void {
  evalRead(e, c.rs1, c.clk.mul(4).add(TS_RS1), a, multiplicity, 'rs1');
}

/** The read of rs2 at 4·clk + 1: on real rows, or where `multiplicity` says the op reads it. */
export function evalRs2Read(
  e: EvalContext,
  c: CpuExprs,
  b: AccessExprs,
  multiplicity: Expr = c.sel,
): void {
  evalRead(e, c.rs2, c.clk.mul(4).add(TS_RS2), b, multiplicity, 'rs2');
}

function evalRead(
  e: EvalContext,
  reg: Expr,
  ts: Expr,
  a: AccessExprs,
  multiplicity: Expr,
  label: string,
): void {
  evalRegisterAccess(
    e,
    { reg, prev: a.value, next: a.value, ts, prevTs: a.prevTs, lo: a.lo, hi: a.hi, multiplicity },
    label,
  );
}

/**
 * The write of `next` (bytes the caller has range-checked) to rd at 4·clk + 2. A write to x0 is
 * skipped: the multiplicity is sel·rdNonZero, and rdNonZero comes from the program table.
 */
export function evalRdWrite(
  e: EvalContext,
  c: CpuExprs,
  w: AccessExprs,
  next: readonly Expr[],
): void {
  if (w.prev === undefined)
    throw new TypeError('evalRdWrite needs the columns of a write (writeColumns), not of a read');
  evalRegisterAccess(
    e,
    {
      reg: c.rd,
      prev: w.prev,
      next,
      ts: c.clk.mul(4).add(TS_RD),
      prevTs: w.prevTs,
      lo: w.lo,
      hi: w.hi,
      multiplicity: c.sel.mul(c.rdNonZero),
    },
    'rd',
  );
}

/**
 * On immediate ops rs2 is not read (its access has multiplicity 0), and its value cells hold
 * the immediate's bytes from the program tuple instead: the second operand is then the same
 * columns on every row, linear, so it can enter bus tuples.
 */
export function evalImmediateAsRs2(
  e: EvalContext,
  isImm: Expr,
  b: AccessExprs,
  imm: readonly Expr[],
): void {
  for (let k = 0; k < 4; k++) {
    e.constraint(
      isImm.mul(b.value[k]!.sub(imm[k]!)),
      `b byte ${k} is the immediate's on immediate ops`,
    );
  }
}

/**
 * Writes one access's columns: the bytes it holds as columns (the value of a read, the old
 * value of a write), the previous timestamp and the gap limbs, counting the two range checks.
 */
export type AccessFiller = (row: number, bytes: number, prevTs: number, ts: number) => void;

/** The filler of one access's columns, with its column arrays resolved once per trace. */
export function bindAccess(
  c: AccessCols<Uint32Array>,
  lookups: Pick<Lookups, 'timestampInto'>,
): AccessFiller {
  return bindWordAccess(c.prev ?? c.value, c, lookups);
}

/**
 * Writes a word access's 4 bytes, previous timestamp and gap limbs (counting the range checks):
 * the trace side of evalTimestampIncrease, shared by register and RAM accesses.
 */
export function bindWordAccess(
  word: readonly Uint32Array[],
  c: { readonly prevTs: Uint32Array; readonly lo: Uint32Array; readonly hi: Uint32Array },
  lookups: Pick<Lookups, 'timestampInto'>,
): AccessFiller {
  const { prevTs, lo, hi } = c;
  return (row, v, before, ts) => {
    writeWord(word, row, v);
    prevTs[row] = before;
    lookups.timestampInto(ts - before - 1, lo, hi, row);
  };
}

/** The records' columns of a family's register accesses (the VM's names). */
export interface AccessRecords {
  readonly clk: Uint32Array;
  readonly rs1Val?: Uint32Array;
  readonly rs1Ts?: Uint32Array;
  readonly rs2Val?: Uint32Array;
  readonly rs2Ts?: Uint32Array;
  readonly rd?: Uint32Array;
  readonly rdPrev?: Uint32Array;
  readonly rdPrevTs?: Uint32Array;
  readonly imm?: Uint32Array;
}

/** Fills record row i's accesses into trace row i (the same index: one row per record). */
export interface RegisterFillers {
  /** The read of rs1 at 4·clk. */
  rs1(i: number): void;
  /** The read of rs2 at 4·clk + 1 (call it only where the op reads rs2). */
  rs2(i: number): void;
  /** The write of rd at 4·clk + 2; nothing for rd = x0, whose write is skipped. */
  rd(i: number): void;
  /** On an immediate op, the immediate's bytes in rs2's value cells (evalImmediateAsRs2). */
  immediateAsRs2(i: number): void;
}

/**
 * The register-access fillers of a family (evalRs1Read / evalRs2Read / evalRdWrite's trace
 * side), reading the values and timestamps from the family's records.
 */
export function bindRegisterAccesses(
  c: {
    readonly rs1?: AccessCols<Uint32Array>;
    readonly rs2?: AccessCols<Uint32Array>;
    readonly rd?: AccessCols<Uint32Array>;
  },
  R: AccessRecords,
  lookups: Pick<Lookups, 'timestampInto'>,
): RegisterFillers {
  const missing = (what: string) => () => {
    throw new Error(`this family has no ${what} access`);
  };
  const clk = R.clk;
  const read = (
    name: string,
    cols: AccessCols<Uint32Array> | undefined,
    val: Uint32Array | undefined,
    ts: Uint32Array | undefined,
    slot: number,
  ) => {
    if (cols === undefined || val === undefined || ts === undefined) return missing(name);
    const fill = bindAccess(cols, lookups);
    return (i: number) => fill(i, val[i]!, ts[i]!, 4 * clk[i]! + slot);
  };
  let rd: (i: number) => void = missing('rd');
  if (c.rd && R.rd && R.rdPrev && R.rdPrevTs) {
    const fill = bindAccess(c.rd, lookups);
    const { rd: reg, rdPrev, rdPrevTs } = R;
    rd = (i) => {
      if (reg[i] !== 0) fill(i, rdPrev[i]!, rdPrevTs[i]!, 4 * clk[i]! + TS_RD);
    };
  }
  let immediateAsRs2: (i: number) => void = missing('immediate-as-rs2');
  if (c.rs2 && R.imm) {
    const b = c.rs2.value;
    const imm = R.imm;
    immediateAsRs2 = (i) => writeWord(b, i, imm[i]!);
  }
  return {
    rs1: read('rs1', c.rs1, R.rs1Val, R.rs1Ts, TS_RS1),
    rs2: read('rs2', c.rs2, R.rs2Val, R.rs2Ts, TS_RS2),
    rd,
    immediateAsRs2,
  };
}
