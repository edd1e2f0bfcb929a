import { add, mul, sub } from '@nexus/field';
import type { ColumnwisePlan } from './columnwise.js';
import type { CompiledArgs } from './compile.js';
import type { Expr } from './expr.js';

/**
 * A machine that runs columnwise programs: @nexus/kernels-wasm's WebAssembly one (its
 * `columnwiseMachine`). Addresses are u32 word indices into the machine's memory.
 */
export interface ColumnwiseMachine {
  /**
   * A scratch region of `words` words: the memory's view and the region's first word. Valid
   * (view and contents) until the next call of `scratch`.
   */
  scratch(words: number): { readonly u32: Uint32Array; readonly at: number };
  /** True when the `words` words from `at` are all below p. `words` a multiple of 4. */
  allCanonical(at: number, words: number): boolean;
  /**
   * Runs `length` instructions (four words each, see the machine's source) from `program` over
   * registers of n words from `registers`; `acc`: 4 coordinate columns of n words; `coeffs`:
   * 4 words per accumulation term; `flags`: a word per checked root.
   */
  run(
    program: number,
    length: number,
    n: number,
    registers: number,
    acc: number,
    coeffs: number,
    flags: number,
  ): void;
  /** out[c][r] += acc[c][r]·factor[r] (factor -1: none), 4 coordinates of n words. */
  finish(acc: number, factor: number, out: number, n: number): void;
}

/**
 * An operand as a number: a register r >= 0, or a constant v (canonical) as -1 - v. Numbers,
 * not objects: a large component's program is compiled from tens of thousands of them.
 */
type Operand = number;
/** A node's value: a base-field operand or four lanes (an extension value). */
type Value = Operand | readonly [Operand, Operand, Operand, Operand];

const isConst = (x: Operand): boolean => x < 0;
const constantOf = (x: Operand): number => -1 - x;
const constantOperand = (v: number): Operand => -1 - v;
const ZERO: Operand = constantOperand(0);
const ONE: Operand = constantOperand(1);

const OP_ADD = 0;
const OP_SUB = 1;
const OP_MUL = 2;
const A_CONST = 4;
const B_CONST = 8;
const OP_ACCUMULATE = 3 | (1 << 2);
const OP_CHECK = 3 | (2 << 2);

type Mode = 'accumulate' | 'assert' | 'write';

/**
 * A plan compiled for the machine: what to load into which register, the instructions, and
 * per mode what the roots became. Registers are allocated here, once per plan and mode, by
 * the same reference counting as columnwise.ts's buffers: memory stays at the DAG's width.
 */
export interface ColumnwiseProgram {
  readonly mode: Mode;
  readonly code: Uint32Array;
  readonly registers: number;
  /** Leaves: their slot, offset index and register, loaded before the run (registers 0..). */
  readonly leaves: readonly { slot: number; offsetIndex: number; reg: number }[];
  /** Parameters: their index and first register (4 lanes, each a constant column). */
  readonly params: readonly { index: number; reg: number }[];
  /** Accumulate: per term of an ACCUMULATE instruction, its root and lane. */
  readonly terms: readonly { root: number; lane: number }[];
  /** Accumulate: constant lanes of roots. Assert: roots with a non-zero constant lane. */
  readonly constants: readonly { root: number; lane: number; value: number }[];
  /** Write: each root's operand (base field: a register, or a constant as -1 - v). */
  readonly outputs: readonly Operand[];
  /** Assert: flag words (roots up to the last one checked). */
  readonly checks: number;
}

const isLanes = (v: Value): v is readonly [Operand, Operand, Operand, Operand] =>
  typeof v !== 'number';

/**
 * Scratch: each node's position in the order being compiled, by node id (ids are dense and
 * every node of a plan, arguments included, is in its order). Written in full for a plan
 * before it is read; compileColumnwise never runs inside another.
 */
let positions = new Int32Array(0);

function positionsOf(order: readonly Expr[]): Int32Array {
  let maxId = -1;
  for (let i = 0; i < order.length; i++) if (order[i]!.id > maxId) maxId = order[i]!.id;
  if (positions.length <= maxId)
    positions = new Int32Array(Math.max(maxId + 1, 2 * positions.length));
  for (let i = 0; i < order.length; i++) positions[order[i]!.id] = i;
  return positions;
}

/**
 * Compiles a plan, or returns null where the machine cannot run it (write mode with an
 * extension root: the TypeScript path names that error).
 */
export function compileColumnwise(
  plan: ColumnwisePlan,
  roots: readonly Expr[],
  mode: Mode,
): ColumnwiseProgram | null {
  const code: number[] = [];
  const refs: number[] = [];
  const free: number[] = [];
  const newReg = (): number => {
    const r = free.pop() ?? refs.length;
    refs[r] = 1;
    return r;
  };
  const hold = (x: Operand) => {
    if (x >= 0) refs[x]!++;
  };
  const drop = (x: Operand) => {
    if (x >= 0 && --refs[x]! === 0) free.push(x);
  };
  const release = (v: Value) => {
    if (isLanes(v)) for (let c = 0; c < 4; c++) drop(v[c]!);
    else drop(v);
  };

  // Leaves and parameters first: registers 0.. (consecutive, nothing is free yet), loaded
  // before the run.
  // Per node, by its position in the order (positionOf: the scratch below): its value while
  // live, and how many later nodes still read it. Arrays, not Maps keyed by id: this runs cold
  // for every component and mode of a first proof.
  const order = plan.order;
  const n = order.length;
  const position = positionsOf(order);
  const values: (Value | undefined)[] = new Array(n);
  const leaves: { slot: number; offsetIndex: number; reg: number }[] = [];
  const params: { index: number; reg: number }[] = [];
  for (let i = 0; i < n; i++) {
    const e = order[i]!;
    if (e.kind === 'col' || e.kind === 'pre') {
      const reg = newReg();
      leaves.push({ slot: plan.slotOf(e), offsetIndex: plan.offsetIndex(e.offset), reg });
      values[i] = reg;
    } else if (e.kind === 'param') {
      const reg = newReg();
      newReg();
      newReg();
      newReg();
      params.push({ index: plan.paramIndex(e.name), reg });
      values[i] = [reg, reg + 1, reg + 2, reg + 3];
    }
  }

  // Each emit returns an operand its caller owns (one reference).
  const emit = (op: number, a: Operand, b: Operand): Operand => {
    const ca = isConst(a);
    const cb = isConst(b);
    if (ca && cb) {
      const f = op === OP_ADD ? add : op === OP_SUB ? sub : mul;
      return constantOperand(f(constantOf(a), constantOf(b)));
    }
    // Identities exact on canonical values (the machine runs on canonical inputs only).
    if (op === OP_ADD && a === ZERO) {
      hold(b);
      return b;
    }
    if ((op === OP_ADD || op === OP_SUB) && b === ZERO) {
      hold(a);
      return a;
    }
    if (op === OP_MUL) {
      if (a === ZERO || b === ZERO) return ZERO;
      if (a === ONE) {
        hold(b);
        return b;
      }
      if (b === ONE) {
        hold(a);
        return a;
      }
    }
    const dst = newReg();
    code.push(
      op | (ca ? A_CONST : 0) | (cb ? B_CONST : 0),
      dst,
      ca ? constantOf(a) : a,
      cb ? constantOf(b) : b,
    );
    return dst;
  };
  // Applies op to owned operands and releases them.
  const apply = (op: number, a: Operand, b: Operand): Operand => {
    const r = emit(op, a, b);
    drop(a);
    drop(b);
    return r;
  };
  const borrowed = (x: Operand): Operand => {
    hold(x);
    return x;
  };
  const lane = (v: Value, c: number): Operand => (isLanes(v) ? v[c]! : c === 0 ? v : ZERO);
  // (x0 + x1·i)(y0 + y1·i) = (x0y0 - x1y1) + (x0y1 + x1y0)·i, each part owned.
  const cm0 = (x0: Operand, x1: Operand, y0: Operand, y1: Operand) =>
    apply(OP_SUB, emit(OP_MUL, x0, y0), emit(OP_MUL, x1, y1));
  const cm1 = (x0: Operand, x1: Operand, y0: Operand, y1: Operand) =>
    apply(OP_ADD, emit(OP_MUL, x0, y1), emit(OP_MUL, x1, y0));
  /** The QM31 product of two values read (not owned): four owned lanes. */
  const mulExt = (a: Value, b: Value): [Operand, Operand, Operand, Operand] => {
    const a0 = lane(a, 0);
    const a1 = lane(a, 1);
    const a2 = lane(a, 2);
    const a3 = lane(a, 3);
    const b0 = lane(b, 0);
    const b1 = lane(b, 1);
    const b2 = lane(b, 2);
    const b3 = lane(b, 3);
    const ac0 = cm0(a0, a1, b0, b1);
    const ac1 = cm1(a0, a1, b0, b1);
    const bd0 = cm0(a2, a3, b2, b3);
    const bd1 = cm1(a2, a3, b2, b3);
    const ad0 = cm0(a0, a1, b2, b3);
    const ad1 = cm1(a0, a1, b2, b3);
    const bc0 = cm0(a2, a3, b0, b1);
    const bc1 = cm1(a2, a3, b0, b1);
    // + (2 + i)·bd = (2·bd0 - bd1) + (bd0 + 2·bd1)·i
    const twoBd0 = apply(OP_ADD, borrowed(bd0), borrowed(bd0));
    const twoBd1 = apply(OP_ADD, borrowed(bd1), borrowed(bd1));
    const out0 = apply(OP_ADD, ac0, apply(OP_SUB, twoBd0, borrowed(bd1)));
    const out1 = apply(OP_ADD, ac1, apply(OP_ADD, bd0, twoBd1));
    drop(bd1);
    return [out0, out1, apply(OP_ADD, ad0, bc0), apply(OP_ADD, ad1, bc1)];
  };

  // Indexed loops throughout, and no closure made per node: this runs cold once per
  // component and mode, where iterators and closures were most of its allocations.
  const readers = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const args = order[i]!.args;
    for (let j = 0; j < args.length; j++) readers[position[args[j]!.id]!]!++;
  }
  // The roots at each position, in increasing root index: firstRoot[i], then nextRoot[k].
  const firstRoot = new Int32Array(n).fill(-1);
  const nextRoot = new Int32Array(roots.length);
  for (let k = roots.length - 1; k >= 0; k--) {
    const at = position[roots[k]!.id]!;
    nextRoot[k] = firstRoot[at]!;
    firstRoot[at] = k;
  }
  const arg = (e: Expr, i: number): Value => values[position[e.args[i]!.id]!]!;
  const terms: { root: number; lane: number }[] = [];
  const constants: { root: number; lane: number; value: number }[] = [];
  const outputs: Operand[] = new Array(roots.length);
  let flags = 0;
  const onRoot = (k: number, x: Operand, c: number) => {
    if (isConst(x)) {
      if (x !== ZERO) constants.push({ root: k, lane: c, value: constantOf(x) });
    } else if (mode === 'accumulate') {
      code.push(OP_ACCUMULATE, 0, x, terms.length);
      terms.push({ root: k, lane: c });
    } else {
      code.push(OP_CHECK, 0, x, k);
      flags = Math.max(flags, k + 1);
    }
  };
  for (let i = 0; i < n; i++) {
    const e = order[i]!;
    let v: Value;
    switch (e.kind) {
      case 'col':
      case 'pre':
      case 'param':
        v = values[i]!;
        break;
      case 'const':
        v = constantOperand(e.a);
        break;
      case 'ext':
        // ext's arguments are base-field expressions (expr.ts builds it from four).
        v = [
          borrowed(arg(e, 0) as Operand),
          borrowed(arg(e, 1) as Operand),
          borrowed(arg(e, 2) as Operand),
          borrowed(arg(e, 3) as Operand),
        ];
        break;
      case 'neg': {
        const a = arg(e, 0);
        v = isLanes(a)
          ? [
              emit(OP_SUB, ZERO, a[0]),
              emit(OP_SUB, ZERO, a[1]),
              emit(OP_SUB, ZERO, a[2]),
              emit(OP_SUB, ZERO, a[3]),
            ]
          : emit(OP_SUB, ZERO, a);
        break;
      }
      case 'add':
      case 'sub': {
        const op = e.kind === 'add' ? OP_ADD : OP_SUB;
        const a = arg(e, 0);
        const b = arg(e, 1);
        if (!isLanes(a) && !isLanes(b)) v = emit(op, a, b);
        else {
          v = [
            emit(op, lane(a, 0), lane(b, 0)),
            emit(op, lane(a, 1), lane(b, 1)),
            emit(op, lane(a, 2), lane(b, 2)),
            emit(op, lane(a, 3), lane(b, 3)),
          ];
        }
        break;
      }
      case 'mul': {
        const a = arg(e, 0);
        const b = arg(e, 1);
        if (!isLanes(a) && !isLanes(b)) v = emit(OP_MUL, a, b);
        else if (!isLanes(a))
          v = [
            emit(OP_MUL, a, lane(b, 0)),
            emit(OP_MUL, a, lane(b, 1)),
            emit(OP_MUL, a, lane(b, 2)),
            emit(OP_MUL, a, lane(b, 3)),
          ];
        else if (!isLanes(b))
          v = [
            emit(OP_MUL, b as Operand, lane(a, 0)),
            emit(OP_MUL, b as Operand, lane(a, 1)),
            emit(OP_MUL, b as Operand, lane(a, 2)),
            emit(OP_MUL, b as Operand, lane(a, 3)),
          ];
        else v = mulExt(a, b);
        break;
      }
    }
    if (e.kind !== 'col' && e.kind !== 'pre' && e.kind !== 'param') values[i] = v;
    for (let k = firstRoot[i]!; k >= 0; k = nextRoot[k]!) {
      if (mode === 'write') {
        if (isLanes(v)) return null;
        hold(v);
        outputs[k] = v;
      } else if (isLanes(v)) for (let c = 0; c < 4; c++) onRoot(k, v[c]!, c);
      else onRoot(k, v, 0);
    }
    for (let j = 0; j < e.args.length; j++) {
      const at = position[e.args[j]!.id]!;
      const left = readers[at]! - 1;
      readers[at] = left;
      if (left === 0) {
        release(values[at]!);
        values[at] = undefined;
      }
    }
    if (readers[i] === 0) {
      release(v);
      values[i] = undefined;
    }
  }
  return {
    mode,
    code: Uint32Array.from(code),
    registers: refs.length,
    leaves,
    params,
    terms,
    constants,
    outputs,
    checks: flags,
  };
}

/**
 * coefficient k (4 words of coeffs) times the basis element of `lane` (1, i, u, iu), into
 * out[at..at+4): with u² = 2 + i, x·i = (-x1, x0, -x3, x2) and x·u = (2x2 - x3, x2 + 2x3, x0,
 * x1). qm31Mul by the basis, without its product terms or an array per call (thousands of
 * terms per component, once per proof, cold); a test compares the two.
 */
export function timesBasis(
  coeffs: Uint32Array,
  k: number,
  lane: number,
  out: Uint32Array | number[],
  at: number,
): void {
  const c0 = coeffs[4 * k]!;
  const c1 = coeffs[4 * k + 1]!;
  const c2 = coeffs[4 * k + 2]!;
  const c3 = coeffs[4 * k + 3]!;
  if (lane === 0) {
    out[at] = c0;
    out[at + 1] = c1;
    out[at + 2] = c2;
    out[at + 3] = c3;
  } else if (lane === 1) {
    out[at] = sub(0, c1);
    out[at + 1] = c0;
    out[at + 2] = sub(0, c3);
    out[at + 3] = c2;
  } else if (lane === 2) {
    out[at] = sub(add(c2, c2), c3);
    out[at + 1] = add(c2, add(c3, c3));
    out[at + 2] = c0;
    out[at + 3] = c1;
  } else {
    out[at] = sub(0, add(c2, add(c3, c3)));
    out[at + 1] = sub(add(c2, c2), c3);
    out[at + 2] = sub(0, c1);
    out[at + 3] = c0;
  }
}

/**
 * What an accumulate run loads besides the rows, the same for every block of rows: the
 * coefficient of each ACCUMULATE term (4 words each), and the accumulators' starting value,
 * the constant lanes' sum.
 */
export interface AccumulationWeights {
  readonly termWords: Uint32Array;
  readonly start: readonly number[];
}

/** The accumulation weights of a program for the coefficients `coeffs` (4 words per root). */
export function accumulationWeights(
  program: ColumnwiseProgram,
  coeffs: Uint32Array,
): AccumulationWeights {
  const termWords = new Uint32Array(4 * program.terms.length);
  const { terms } = program;
  for (let t = 0; t < terms.length; t++)
    timesBasis(coeffs, terms[t]!.root, terms[t]!.lane, termWords, 4 * t);
  // The constant lanes are the same on every row: the accumulators start from their sum.
  const start = [0, 0, 0, 0];
  const w = [0, 0, 0, 0];
  for (const { root, lane, value } of program.constants) {
    timesBasis(coeffs, root, lane, w, 0);
    for (let c = 0; c < 4; c++) start[c] = add(start[c]!, mul(w[c]!, value));
  }
  return { termWords, start };
}

/**
 * Runs a program on rows [args.start, args.end) as runColumnwise would, and returns true; or
 * returns false, having changed nothing, where the machine does not apply: a row count that
 * is not a multiple of 4, an input that is not canonical (the TypeScript path defines what
 * such values give), or in assert mode any constraint that is not zero (the TypeScript path
 * then names the failing rows). `weights`: accumulationWeights(program, args.coeffs), made
 * once for a run's blocks (made here when absent).
 */
export function runProgram(
  machine: ColumnwiseMachine,
  program: ColumnwiseProgram,
  args: CompiledArgs,
  weights?: AccumulationWeights,
): boolean {
  const { start, end } = args;
  const n = end - start;
  if (n % 4 !== 0) return false;
  const { code, registers, mode, terms } = program;
  const flagWords = program.checks;
  const accWords = mode === 'accumulate' ? 4 * n : 0;
  // [code][coeffs][flags][acc][out (4n)][factor (n)][registers]
  const coeffWords = 4 * terms.length;
  const outWords = mode === 'accumulate' ? 5 * n : 0;
  const fixed = code.length + coeffWords + flagWords;
  const total = fixed + (fixed % 4 === 0 ? 0 : 4 - (fixed % 4)) + accWords + outWords;
  const { u32, at } = machine.scratch(total + registers * n);
  const codeAt = at;
  const coeffAt = codeAt + code.length;
  const flagAt = coeffAt + coeffWords;
  const accAt = at + total - accWords - outWords;
  const outAt = accAt + accWords;
  const factorAt = outAt + 4 * n;
  const regAt = at + total;
  u32.set(code, codeAt);
  u32.fill(0, flagAt, flagAt + flagWords);
  // Leaves: a column's rows, or its rows at an offset through the index map.
  for (const { slot, offsetIndex, reg } of program.leaves) {
    const col = args.cols[slot]!;
    const idx = args.idx[offsetIndex] ?? null;
    const to = regAt + reg * n;
    if (idx === null) u32.set(col.subarray(start, end), to);
    else for (let i = 0; i < n; i++) u32[to + i] = col[idx[start + i]!]!;
  }
  for (const { index, reg } of program.params) {
    for (let c = 0; c < 4; c++) {
      const to = regAt + (reg + c) * n;
      u32.fill(args.params[4 * index + c]!, to, to + n);
    }
  }
  const loaded = program.leaves.length + 4 * program.params.length;
  const loadedWords = loaded * n;
  if (loadedWords > 0 && !machine.allCanonical(regAt, loadedWords)) return false;
  if (mode === 'accumulate') {
    const { termWords, start: c0 } = weights ?? accumulationWeights(program, args.coeffs!);
    u32.set(termWords, coeffAt);
    for (let c = 0; c < 4; c++) u32.fill(c0[c]!, accAt + c * n, accAt + (c + 1) * n);
  } else if (mode === 'assert' && program.constants.length > 0) return false;
  machine.run(codeAt, code.length / 4, n, regAt, accAt, coeffAt, flagAt);
  if (mode === 'assert') {
    for (let k = 0; k < flagWords; k++) if (u32[flagAt + k] !== 0) return false;
    return true;
  }
  if (mode === 'write') {
    program.outputs.forEach((x, k) => {
      const out = args.outs![k]!;
      if (isConst(x)) out.fill(constantOf(x), start, end);
      else out.set(u32.subarray(regAt + x * n, regAt + (x + 1) * n), start);
    });
    return true;
  }
  const out = args.out!;
  for (let c = 0; c < 4; c++) u32.set(out[c]!.subarray(start, end), outAt + c * n);
  const factor = args.factor ?? null;
  if (factor !== null) u32.set(factor.subarray(start, end), factorAt);
  machine.finish(accAt, factor === null ? -1 : factorAt, outAt, n);
  for (let c = 0; c < 4; c++) out[c]!.set(u32.subarray(outAt + c * n, outAt + (c + 1) * n), start);
  return true;
}
