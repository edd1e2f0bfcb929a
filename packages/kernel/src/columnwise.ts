import { add, type Column, mul, P, type QM31, sub } from '@nexus/field';
import {
  accumulationWeights,
  type ColumnwiseMachine,
  type ColumnwiseProgram,
  compileColumnwise,
  runProgram,
} from './columnwise-program.js';
import type { CompiledArgs } from './compile.js';
import { KernelError } from './errors.js';
import type { Expr } from './expr.js';

/**
 * Evaluates constraint expressions one node at a time over a block of rows: each node of the
 * expression DAG becomes a column (or a constant), computed by one small loop shared by every
 * component. The straight-line code of compile.ts is faster per row once V8 has optimised
 * it, but optimising ~100 KB-500 KB of generated code per component costs more than a short
 * trace's whole evaluation (SHA-256's rounds: 0.6 s cold against 53 ms warm for 4,096 points),
 * so short runs take this path. It gives the same field values (tested against the compiled
 * code in every mode), so the choice never changes a proof.
 *
 * A value is a base-field number or column, or an extension value as four such lanes.
 * Buffers are recycled once the last node reading them is done, so memory stays at the DAG's
 * width, not its size.
 */
type Base = number | Uint32Array;
type Value = Base | readonly [Base, Base, Base, Base];

export interface ColumnwisePlan {
  readonly order: readonly Expr[];
  /** Per node id: how many later nodes read it (a root is handed over when it is computed). */
  readonly readers: ReadonlyMap<number, number>;
  readonly slotOf: (leaf: Expr) => number;
  readonly offsetIndex: (offset: number) => number;
  readonly paramIndex: (name: string) => number;
}

/**
 * The accumulate mode keeps at most this many constraint columns, and KEEP_WORDS words of them
 * (16 MiB), before summing them: memory stays bounded, and a flush costs one pass.
 */
const KEEP_COLUMNS = 256;
const KEEP_WORDS = 1 << 22;

const isLanes = (v: Value): v is readonly [Base, Base, Base, Base] => Array.isArray(v);

/**
 * Row buffers of one length, reference-counted: an operation may return one of its operands
 * (x - 0 is x), and an ext node's lanes are its arguments' values, so a buffer can be several
 * nodes' value at once. A buffer from `take` starts
 * unreferenced; each holder retains it; released to zero, it is reused. Columns read straight
 * from the input are not ours and never reused.
 */
class Buffers {
  private readonly free: Uint32Array[] = [];
  private readonly refs = new Map<Uint32Array, number>();
  constructor(readonly length: number) {}
  take(): Uint32Array {
    const b = this.free.pop() ?? new Uint32Array(this.length);
    this.refs.set(b, 0);
    return b;
  }
  retain(v: Value): void {
    for (const lane of isLanes(v) ? v : [v]) {
      const r = typeof lane === 'number' ? undefined : this.refs.get(lane);
      if (r !== undefined) this.refs.set(lane as Uint32Array, r + 1);
    }
  }
  /** Drops one reference to each lane; `keep` leaves a buffer at zero unreused (a result). */
  release(v: Value, keep = false): void {
    for (const lane of isLanes(v) ? v : [v]) {
      const r = typeof lane === 'number' ? undefined : this.refs.get(lane);
      if (r === undefined) continue;
      if (r > 1 || keep) this.refs.set(lane as Uint32Array, Math.max(0, r - 1));
      else this.recycle(lane as Uint32Array);
    }
  }
  /** Reuses every buffer among `values` that nothing references. */
  sweep(values: readonly Base[]): void {
    for (const v of values) if (typeof v !== 'number' && this.refs.get(v) === 0) this.recycle(v);
  }
  private recycle(b: Uint32Array): void {
    this.refs.delete(b);
    this.free.push(b);
  }
}

function binary(buffers: Buffers, a: Base, b: Base, op: (x: number, y: number) => number): Base {
  if (typeof a === 'number' && typeof b === 'number') return op(a, b);
  const n = buffers.length;
  const out = buffers.take();
  if (typeof a === 'number') {
    const bb = b as Uint32Array;
    for (let i = 0; i < n; i++) out[i] = op(a, bb[i]!);
  } else if (typeof b === 'number') {
    for (let i = 0; i < n; i++) out[i] = op(a[i]!, b);
  } else {
    for (let i = 0; i < n; i++) out[i] = op(a[i]!, b[i]!);
  }
  return out;
}

// Separate loops per operation (not `binary` with a callback) keep each loop monomorphic:
// V8 inlines the field operation into it.
// Shortcuts return an operand as is only where the compiled code's arithmetic would give the
// same value even for a non-canonical input (p itself, in a forged trace): x - 0 and x·0.
// x + 0 and x·1 reduce p to 0 there, so they are computed.
function addB(buffers: Buffers, a: Base, b: Base): Base {
  if (typeof a === 'number' || typeof b === 'number') return binary(buffers, a, b, add);
  const n = buffers.length;
  const out = buffers.take();
  for (let i = 0; i < n; i++) out[i] = add(a[i]!, b[i]!);
  return out;
}

function subB(buffers: Buffers, a: Base, b: Base): Base {
  if (b === 0) return a;
  if (typeof a === 'number' || typeof b === 'number') return binary(buffers, a, b, sub);
  const n = buffers.length;
  const out = buffers.take();
  for (let i = 0; i < n; i++) out[i] = sub(a[i]!, b[i]!);
  return out;
}

function mulB(buffers: Buffers, a: Base, b: Base): Base {
  if (a === 0 || b === 0) return 0;
  if (typeof a === 'number' || typeof b === 'number') return binary(buffers, a, b, mul);
  const n = buffers.length;
  const out = buffers.take();
  for (let i = 0; i < n; i++) out[i] = mul(a[i]!, b[i]!);
  return out;
}

function lanes(v: Value): readonly [Base, Base, Base, Base] {
  return isLanes(v) ? v : [v, 0, 0, 0];
}

/**
 * (a0 + a1·i + (a2 + a3·i)·u)(b0 + b1·i + (b2 + b3·i)·u) with u² = 2 + i, lane by lane. The
 * intermediate products are released as soon as they are summed.
 */
function mulExt(buffers: Buffers, a: Value, b: Value): Value {
  const [a0, a1, a2, a3] = lanes(a);
  const [b0, b1, b2, b3] = lanes(b);
  const temps: Base[] = [];
  const t = (v: Base) => {
    temps.push(v);
    return v;
  };
  const m = (x: Base, y: Base) => t(mulB(buffers, x, y));
  const s = (x: Base, y: Base) => t(addB(buffers, x, y));
  const d = (x: Base, y: Base) => t(subB(buffers, x, y));
  // CM31 products: (x0 + x1·i)(y0 + y1·i) = (x0y0 - x1y1) + (x0y1 + x1y0)·i
  const cm = (x0: Base, x1: Base, y0: Base, y1: Base): [Base, Base] => [
    d(m(x0, y0), m(x1, y1)),
    s(m(x0, y1), m(x1, y0)),
  ];
  const [ac0, ac1] = cm(a0, a1, b0, b1);
  const [bd0, bd1] = cm(a2, a3, b2, b3);
  const [ad0, ad1] = cm(a0, a1, b2, b3);
  const [bc0, bc1] = cm(a2, a3, b0, b1);
  // + (2 + i)·bd = (2·bd0 - bd1) + (bd0 + 2·bd1)·i
  const out: [Base, Base, Base, Base] = [
    addB(buffers, ac0, d(s(bd0, bd0), bd1)),
    addB(buffers, ac1, s(bd0, s(bd1, bd1))),
    addB(buffers, ad0, bc0),
    addB(buffers, ad1, bc1),
  ];
  // The intermediates nothing holds are reused; the result (which may alias one) is kept.
  buffers.retain(out);
  buffers.sweep(temps);
  buffers.release(out, true);
  return out;
}

/** Evaluates the plan on rows [args.start, args.end): returns each root's value. */
function evaluate(
  plan: ColumnwisePlan,
  roots: readonly Expr[],
  args: CompiledArgs,
  buffers: Buffers,
  onRoot: (k: number, v: Value) => void,
): void {
  const { start } = args;
  const n = buffers.length;
  const whole = start === 0;
  const values = new Map<number, Value>();
  const readers = new Map(plan.readers);
  const rootsOf = new Map<number, number[]>();
  roots.forEach((r, k) => {
    rootsOf.set(r.id, [...(rootsOf.get(r.id) ?? []), k]);
  });
  const done = (e: Expr) => {
    const left = readers.get(e.id)! - 1;
    readers.set(e.id, left);
    if (left === 0) {
      buffers.release(values.get(e.id)!);
      values.delete(e.id);
    }
  };
  for (const e of plan.order) {
    let v: Value;
    switch (e.kind) {
      case 'const':
        v = e.a;
        break;
      case 'col':
      case 'pre': {
        const col = args.cols[plan.slotOf(e)]!;
        const idx = e.offset === 0 ? null : args.idx[plan.offsetIndex(e.offset)]!;
        if (idx === null && whole && col.length === n) {
          v = col as Uint32Array;
        } else {
          const out = buffers.take();
          if (idx === null) out.set(col.subarray(start, start + n));
          else for (let i = 0; i < n; i++) out[i] = col[idx[start + i]!]!;
          v = out;
        }
        break;
      }
      case 'param': {
        const p = 4 * plan.paramIndex(e.name);
        const q = args.params;
        v = [q[p]!, q[p + 1]!, q[p + 2]!, q[p + 3]!];
        break;
      }
      case 'ext': {
        const [x, y, z, w] = e.args.map((a) => values.get(a.id)!) as Base[];
        v = [x!, y!, z!, w!]; // the arguments' own values, retained below
        break;
      }
      case 'neg': {
        const a = values.get(e.args[0]!.id)!;
        v = isLanes(a)
          ? (a.map((l) => subB(buffers, 0, l)) as unknown as Value)
          : subB(buffers, 0, a);
        break;
      }
      case 'add':
      case 'sub': {
        const a = values.get(e.args[0]!.id)!;
        const b = values.get(e.args[1]!.id)!;
        const op = e.kind === 'add' ? addB : subB;
        if (!isLanes(a) && !isLanes(b)) v = op(buffers, a, b);
        else {
          const x = lanes(a);
          const y = lanes(b);
          v = [0, 1, 2, 3].map((c) => op(buffers, x[c]!, y[c]!)) as unknown as Value;
        }
        break;
      }
      case 'mul': {
        const a = values.get(e.args[0]!.id)!;
        const b = values.get(e.args[1]!.id)!;
        if (!isLanes(a) && !isLanes(b)) v = mulB(buffers, a, b);
        else if (!isLanes(a) || !isLanes(b)) {
          const s = (isLanes(a) ? b : a) as Base;
          const q = (isLanes(a) ? a : b) as readonly Base[];
          v = q.map((l) => mulB(buffers, s, l)) as unknown as Value;
        } else v = mulExt(buffers, a, b);
        break;
      }
    }
    buffers.retain(v);
    values.set(e.id, v);
    for (const k of rootsOf.get(e.id) ?? []) onRoot(k, v);
    for (const a of e.args) done(a);
    if (readers.get(e.id) === 0) {
      buffers.release(v);
      values.delete(e.id);
    }
  }
}

/** The machine of the current {@link withColumnwiseMachine} call, if any. */
let machine: ColumnwiseMachine | null = null;

/**
 * Rows per machine run. A run holds one register of `rows` words per live DAG node (a few
 * hundred in the largest components), so blocks keep them in the caches and the machine's
 * memory at registers × MACHINE_BLOCK words whatever the domain's size. Measured on a 2^18-row
 * sort proof's composition (one thread): blocks of 1,024 rows 1.64 s, 4,096 1.92 s, 256 1.93 s,
 * the compiled straight-line code 3.0 s.
 */
export const MACHINE_BLOCK = 1024;

/**
 * The machine of the current {@link withColumnwiseMachine} call, or null: with one, 'auto'
 * evaluation runs column by column at every size (compile.ts), and a prover pool's constraint
 * jobs carry the machine program to every thread (@nexus/prover's constraint-jobs.ts).
 */
export function columnwiseMachine(): ColumnwiseMachine | null {
  return machine;
}

/** Per plan, its program for each mode (null: the machine cannot run it). */
const programs = new WeakMap<ColumnwisePlan, Map<string, ColumnwiseProgram | null>>();

/**
 * Runs `fn` with column-by-column evaluation on `m` (a WebAssembly machine: each DAG node one
 * SIMD loop, where this file's JavaScript loops run cold in a short proof), then restores the
 * previous machine. Same values either way (the machine runs on canonical inputs only, and
 * leaves everything else, and naming failing rows, to this file's code): the prover runs a
 * proof's synchronous part inside it; without it, evaluation stays on TypeScript.
 *
 * @example
 * withColumnwiseMachine(wasmKernels.columnwiseMachine, () => prove(system, input));
 */
export function withColumnwiseMachine<T>(m: ColumnwiseMachine | null, fn: () => T): T {
  const previous = machine;
  machine = m;
  try {
    return fn();
  } finally {
    machine = previous;
  }
}

/**
 * The plan's machine program for `mode` (compiled once per plan and mode), or null where the
 * machine cannot run it (write mode with an extension-valued root). Plain data: it crosses
 * postMessage to another thread's machine (runProgramBlocks).
 */
export function programFor(
  plan: ColumnwisePlan,
  roots: readonly Expr[],
  mode: 'accumulate' | 'assert' | 'write',
): ColumnwiseProgram | null {
  let byMode = programs.get(plan);
  if (byMode === undefined) {
    byMode = new Map();
    programs.set(plan, byMode);
  }
  let program = byMode.get(mode);
  if (program === undefined) {
    program = compileColumnwise(plan, roots, mode);
    byMode.set(mode, program);
  }
  return program;
}

/**
 * Runs rows [args.start, args.end) of a program on a machine, MACHINE_BLOCK rows at a time,
 * and calls `declined(start, end)` for each block the machine leaves having written nothing
 * (a non-canonical input; in assert mode, a constraint that does not hold): the caller
 * evaluates those on TypeScript, which defines their values and names failing rows.
 */
export function runProgramBlocks(
  m: ColumnwiseMachine,
  program: ColumnwiseProgram,
  args: CompiledArgs,
  declined: (start: number, end: number) => void,
): void {
  // The coefficients' weights are the same for every block: made once, not per block.
  const weights =
    program.mode === 'accumulate' && args.end > args.start
      ? accumulationWeights(program, args.coeffs!)
      : undefined;
  for (let s = args.start; s < args.end; s += MACHINE_BLOCK) {
    const end = Math.min(args.end, s + MACHINE_BLOCK);
    if (!runProgram(m, program, { ...args, start: s, end }, weights)) declined(s, end);
  }
}

/**
 * Runs the plan in one of compile.ts's three modes (same contract as CompiledConstraints.run):
 * accumulate (out += (Σ coeffs[k]·C_k)·factor), assert (fail(r, k) where C_k ≠ 0), write
 * (outs[k][r] = root k, base-field roots only). On the machine of withColumnwiseMachine where
 * one is set and applies.
 */
export function runColumnwise(
  plan: ColumnwisePlan,
  roots: readonly Expr[],
  mode: 'accumulate' | 'assert' | 'write',
  args: CompiledArgs,
): void {
  if (args.end <= args.start) return;
  if (machine === null) {
    runOnTypescript(plan, roots, mode, args);
    return;
  }
  const program = programFor(plan, roots, mode);
  if (program === null) {
    runOnTypescript(plan, roots, mode, args);
    return;
  }
  runProgramBlocks(machine, program, args, (start, end) =>
    runOnTypescript(plan, roots, mode, { ...args, start, end }),
  );
}

/** runColumnwise's own JavaScript loops: without a machine, or where the machine declines. */
function runOnTypescript(
  plan: ColumnwisePlan,
  roots: readonly Expr[],
  mode: 'accumulate' | 'assert' | 'write',
  args: CompiledArgs,
): void {
  const { start, end } = args;
  const n = end - start;
  const buffers = new Buffers(n);
  if (mode === 'write') {
    evaluate(plan, roots, args, buffers, (k, v) => {
      if (isLanes(v)) throw new KernelError('write mode evaluates base-field expressions only');
      const out = args.outs![k]!;
      if (typeof v === 'number') out.fill(v, start, end);
      else out.set(v, start);
    });
    return;
  }
  if (mode === 'assert') {
    // Failures are reported row by row (then by constraint), as a reader expects them, once
    // every constraint has been evaluated.
    const failingRows: number[][] = roots.map(() => []);
    const anyFailing = new Uint8Array(n);
    evaluate(plan, roots, args, buffers, (k, v) => {
      const rows = failingRows[k]!;
      const all = lanes(v);
      for (let i = 0; i < n; i++) {
        for (const lane of all) {
          if ((typeof lane === 'number' ? lane : lane[i]!) !== 0) {
            rows.push(i);
            anyFailing[i] = 1;
            break;
          }
        }
      }
    });
    const cursor = new Int32Array(roots.length);
    for (let i = 0; i < n; i++) {
      if (anyFailing[i] === 0) continue;
      for (let k = 0; k < roots.length; k++) {
        if (failingRows[k]![cursor[k]!] === i) {
          cursor[k]!++;
          args.fail!(start + i, k);
        }
      }
    }
    return;
  }
  // Accumulate: Σ_k coeffs[k]·C_k per coordinate, as float sums of values below p (exact up to
  // 2^22 terms; a component has fewer than 2^20 constraints, compile.ts), reduced once.
  const acc = [0, 1, 2, 3].map(() => new Float64Array(n));
  const coeffs = args.coeffs!;
  const addTo = (a: Float64Array, lane: Base) => {
    if (typeof lane === 'number') for (let i = 0; i < n; i++) a[i] = a[i]! + lane;
    else for (let i = 0; i < n; i++) a[i] = a[i]! + lane[i]!;
  };
  // With a linear-combination kernel, base-field constraint columns are kept (their buffers
  // held, not reused) and summed with their coefficients in one call; constant ones go into
  // its constant term. Flushed into acc as KEEP_COLUMNS / KEEP_WORDS say.
  const combine = args.linearCombination;
  const kept: Uint32Array[] = [];
  const keptCoeffs: QM31[] = [];
  const constant = [0, 0, 0, 0];
  const sums =
    combine === undefined
      ? null
      : ([0, 1, 2, 3].map(() => new Uint32Array(n)) as [Column, Column, Column, Column]);
  const flush = () => {
    if (combine === undefined || (kept.length === 0 && constant.every((x) => x === 0))) return;
    combine(kept, keptCoeffs, constant as unknown as QM31, sums!);
    for (let c = 0; c < 4; c++) addTo(acc[c]!, sums![c]!);
    for (const v of kept) buffers.release(v);
    kept.length = 0;
    keptCoeffs.length = 0;
    constant.fill(0);
  };
  evaluate(plan, roots, args, buffers, (k, v) => {
    const coeff = [0, 1, 2, 3].map((c) => coeffs[4 * k + c]!) as [number, number, number, number];
    if (combine !== undefined && !isLanes(v)) {
      if (typeof v === 'number') {
        for (let c = 0; c < 4; c++) constant[c] = add(constant[c]!, mul(coeff[c]!, v));
      } else {
        buffers.retain(v);
        kept.push(v);
        keptCoeffs.push(coeff);
        if (kept.length >= KEEP_COLUMNS || kept.length * n >= KEEP_WORDS) flush();
      }
      return;
    }
    if (!isLanes(v)) {
      for (let c = 0; c < 4; c++) {
        const a = acc[c]!;
        const kc = coeff[c]!;
        if (typeof v === 'number') {
          const x = mul(kc, v);
          for (let i = 0; i < n; i++) a[i] = a[i]! + x;
        } else for (let i = 0; i < n; i++) a[i] = a[i]! + mul(kc, v[i]!);
      }
      return;
    }
    const weighted = mulExt(buffers, coeff, v) as readonly Base[];
    weighted.forEach((lane, c) => {
      addTo(acc[c]!, lane);
    });
    buffers.sweep(weighted);
  });
  flush();
  const factor = args.factor ?? null;
  const out = args.out!;
  for (let c = 0; c < 4; c++) {
    const a = acc[c]!;
    const o = out[c]!;
    for (let i = 0; i < n; i++) {
      const r = start + i;
      let s = a[i]! % P;
      if (factor !== null) s = mul(s, factor[r]!);
      o[r] = add(o[r]!, s);
    }
  }
}
