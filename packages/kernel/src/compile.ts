import type { Column, QM31 } from '@nexus/field';
import { type ColumnwisePlan, columnwiseMachine, programFor, runColumnwise } from './columnwise.js';
import type { ColumnwiseProgram } from './columnwise-program.js';
import { KernelError } from './errors.js';
import { type Expr, topoOrder } from './expr.js';

/**
 * Compiles constraint expressions into straight-line JavaScript over typed arrays: the fast
 * path of the assert evaluator and of the prover's domain evaluator. The generated code inlines
 * the branchless M31 arithmetic of @nexus/field (see m31.ts) and keeps QM31 values as four
 * locals, so a row costs only its multiplications; no objects are allocated per row.
 *
 * Leaves ('col' and 'pre' nodes) are mapped by the caller to a column slot and a row offset;
 * the generated code reads slot s at offset o as `cols[s][idx[o][r]]` (or `cols[s][r]` for
 * offset 0), so the same code runs on a trace in row order (idx = row rotation) and on an
 * extended domain in bit-reversed storage order (idx = the permutation of the shifted point).
 *
 * The roots are split into chunks of bounded size, one generated function each: V8 stops
 * optimising functions past a bytecode size, and a 100-constraint component in one function
 * ran 400x slower than the same code in chunks.
 */
export interface CompiledConstraints {
  /** Keys of the column slots, in the order `cols` must be given. */
  readonly slots: readonly string[];
  /** Row offsets, in the order `idx` must be given (offset 0 first, its map unused). */
  readonly offsets: readonly number[];
  /** Names of the QM31 parameters, in the order `params` (4 coordinates each) must be given. */
  readonly params: readonly string[];
  /**
   * Accumulate mode: out[c][r] += (Σ_k coeffs[k]·C_k(r)) · factor[r] for r in [start, end).
   * Assert mode: calls fail(r, k) for every row r where constraint k is not zero.
   * Write mode: outs[k][r] = root k at row r (bus tuple values and multiplicities).
   */
  run(args: CompiledArgs): void;
  /** The generated sources, for debugging (generated on first use). */
  readonly sources: readonly string[];
  /**
   * The program of the WebAssembly machine for this mode (made on first use), for another
   * thread's machine (columnwise.ts runProgramBlocks); null where the machine cannot run it.
   */
  readonly program: ColumnwiseProgram | null;
}

/**
 * How a run evaluates: straight-line generated code ('compiled'), node by node over columns
 * ('columnwise', columnwise.ts), or 'auto': column by column on the WebAssembly machine of
 * withColumnwiseMachine at every size (its SIMD loops beat the compiled code even once V8 has
 * optimised it), and without one column by column below COLUMNWISE_BELOW rows only, where
 * compiling the code would cost more than running it. All three give the same values.
 */
export type EvaluationStrategy = 'auto' | 'compiled' | 'columnwise';

/**
 * Rows below which 'auto' evaluates column by column without a machine. Measured (bench/README.md): V8 takes
 * ~0.6 s to optimise SHA-256 rounds' 576 KB of generated code, which then runs 4,096 points in
 * 53 ms; column by column the same points take ~100 ms with nothing to compile. The crossing
 * lies near 2^16 points for every component (both costs grow with the expression count).
 */
export const COLUMNWISE_BELOW = 1 << 16;

export interface CompiledArgs {
  readonly start: number;
  readonly end: number;
  readonly cols: readonly Column[];
  readonly idx: readonly (Int32Array | Uint32Array | null)[];
  readonly params: Uint32Array;
  /** Accumulate mode: QM31 coefficient per constraint, 4 coordinates each. */
  readonly coeffs?: Uint32Array;
  /** Accumulate mode: per-row base-field factor (e.g. 1/vanishing), or null for 1. */
  readonly factor?: Column | null;
  readonly out?: readonly [Column, Column, Column, Column];
  /**
   * Accumulate mode, column by column (columnwise.ts): out = c + Σ_i alphas[i]·columns[i] (a
   * QM31 combination of base columns, as @nexus/field's qm31ColumnLinearCombination), which
   * then sums the base-field constraints in one call (a WebAssembly kernel in the prover)
   * instead of a JavaScript pass per constraint and coordinate. Same values either way.
   */
  readonly linearCombination?: (
    columns: readonly Column[],
    alphas: readonly QM31[],
    c: QM31,
    out: readonly [Column, Column, Column, Column],
  ) => void;
  /** Assert mode. */
  readonly fail?: (row: number, constraint: number) => void;
  /** Write mode: out columns, one per root (base-field roots only). */
  readonly outs?: readonly Column[];
  /** Default 'auto'. */
  readonly strategy?: EvaluationStrategy;
}

export type LeafKey = (leaf: Expr) => string;

const PN = '2147483647';
const INV = '4.656612873077393e-10';
/** Generated statements per chunk (an extension multiplication counts ~24). */
const CHUNK_BUDGET = 60;

type Mode = 'accumulate' | 'assert' | 'write';
type ChunkFn = (args: CompiledArgs, acc: Float64Array[] | null) => void;

export function compileConstraints(
  roots: readonly Expr[],
  leafKey: LeafKey,
  mode: Mode,
): CompiledConstraints {
  if (mode === 'accumulate' && roots.length >= 1 << 20) {
    throw new KernelError('too many constraints for one accumulation (2^20)');
  }
  const { order, slots, slotOf, leafSlot, offsets, params } = leafTables(roots, leafKey);
  const tables = { slotOf, offsets, params, leafKey };

  // The straight-line code is generated and compiled only when a run asks for it, and so is
  // its chunking: a short run goes column by column and never needs either (the chunking walks
  // the DAG from every root, ~30 ms of a cold fib proof for the bus entries alone).
  let sources: string[] | null = null;
  let fns: ChunkFn[] | null = null;
  const generated = () => {
    sources ??= chunkRoots(roots).map((ks) => generateChunk(roots, ks, tables, mode));
    return sources;
  };
  const compiled = () => {
    fns ??= generated().map((src) => new Function('args', 'acc', src) as ChunkFn);
    return fns;
  };
  // Counted on first use: only the TypeScript column-by-column path reads them (the machine's
  // program counts its own), and a cold proof compiles ~70 plans.
  let readers: Map<number, number> | undefined;
  const plan: ColumnwisePlan = {
    order,
    get readers() {
      if (readers === undefined) {
        readers = new Map<number, number>();
        for (let i = 0; i < order.length; i++) readers.set(order[i]!.id, 0);
        for (let i = 0; i < order.length; i++) {
          const args = order[i]!.args;
          for (let j = 0; j < args.length; j++) {
            readers.set(args[j]!.id, readers.get(args[j]!.id)! + 1);
          }
        }
      }
      return readers;
    },
    slotOf: (leaf) => leafSlot.get(leaf.id) ?? slotOf.get(leafKey(leaf))!,
    offsetIndex: (o) => offsets.indexOf(o),
    paramIndex: (name) => params.indexOf(name),
  };

  const run = (args: CompiledArgs) => {
    const strategy = args.strategy ?? 'auto';
    if (
      strategy === 'columnwise' ||
      (strategy === 'auto' &&
        (args.end - args.start < COLUMNWISE_BELOW || columnwiseMachine() !== null))
    ) {
      runColumnwise(plan, roots, mode, args);
      return;
    }
    if (mode !== 'accumulate') {
      for (const fn of compiled()) fn(args, null);
      return;
    }
    accumulateChunks(compiled(), args);
  };
  return {
    slots,
    offsets,
    params,
    run,
    get sources() {
      return generated();
    },
    get program() {
      return programFor(plan, roots, mode);
    },
  };
}

/**
 * What a compilation numbers, the same in every mode: the nodes in order, the leaves' slots
 * (with each leaf's slot by node id, so a program does not build its key again), the row
 * offsets and the parameters. Global tables, so callers pass one cols / idx / params array
 * for all chunks.
 */
interface LeafTables {
  readonly roots: readonly Expr[];
  readonly leafKey: LeafKey;
  readonly order: Expr[];
  readonly slots: string[];
  readonly slotOf: Map<string, number>;
  readonly leafSlot: Map<number, number>;
  readonly offsets: number[];
  readonly params: string[];
}

/**
 * The tables made, by the first of their roots: a prover compiles each component's
 * constraints twice, for the assertion (assert) and the composition (accumulate), over equal
 * arrays of roots; the second compilation reuses the first one's order and tables. Many
 * components share their first constraint (a selector is boolean), hence a list per node.
 */
const madeTables = new WeakMap<Expr, LeafTables[]>();
const MADE_TABLES_PER_NODE = 64;

function leafTables(roots: readonly Expr[], leafKey: LeafKey): LeafTables {
  const first = roots[0];
  const made = first === undefined ? undefined : madeTables.get(first);
  const same = made?.find(
    (t) =>
      t.leafKey === leafKey &&
      t.roots.length === roots.length &&
      roots.every((r, k) => r === t.roots[k]),
  );
  if (same !== undefined) return same;
  const slots: string[] = [];
  const slotOf = new Map<string, number>();
  const leafSlot = new Map<number, number>();
  const offsets: number[] = [0];
  const params: string[] = [];
  const order = topoOrder(roots);
  for (let i = 0; i < order.length; i++) {
    const e = order[i]!;
    if (e.kind === 'col' || e.kind === 'pre') {
      const key = leafKey(e);
      let slot = slotOf.get(key);
      if (slot === undefined) {
        slot = slots.length;
        slotOf.set(key, slot);
        slots.push(key);
      }
      leafSlot.set(e.id, slot);
      if (!offsets.includes(e.offset)) offsets.push(e.offset);
    } else if (e.kind === 'param' && !params.includes(e.name)) {
      params.push(e.name);
    }
  }
  const tables = { roots: [...roots], leafKey, order, slots, slotOf, leafSlot, offsets, params };
  if (first !== undefined) {
    if (made === undefined) madeTables.set(first, [tables]);
    else {
      // Bounded: the nodes are interned for the process's life, and so would be the tables.
      if (made.length >= MADE_TABLES_PER_NODE) made.shift();
      made.push(tables);
    }
  }
  return tables;
}

/** Greedy chunking of the roots (their indices) by the cost of the nodes each root adds. */
function chunkRoots(roots: readonly Expr[]): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let seen = new Set<number>();
  let cost = 0;
  roots.forEach((root, k) => {
    const added = topoOrder([root]).filter((e) => !seen.has(e.id));
    const c = added.reduce(
      (s, e) => s + (e.kind === 'mul' && !e.isBase && !e.args.some((a) => a.isBase) ? 24 : 1),
      0,
    );
    if (current.length > 0 && cost + c > CHUNK_BUDGET) {
      chunks.push(current);
      current = [];
      seen = new Set();
      cost = 0;
      for (const e of topoOrder([root])) seen.add(e.id);
      cost = topoOrder([root]).length;
    } else {
      for (const e of added) seen.add(e.id);
      cost += c;
    }
    current.push(k);
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Accumulate mode with the chunk functions compiled: every chunk, then the reduction. */
function accumulateChunks(fns: readonly ChunkFn[], args: CompiledArgs): void {
  const len = args.end - args.start;
  const acc = [
    new Float64Array(len),
    new Float64Array(len),
    new Float64Array(len),
    new Float64Array(len),
  ];
  for (const fn of fns) fn(args, acc);
  finishAccumulation(args, acc);
}

/**
 * The compiled run of another thread's `compileConstraints` (its `sources`, generated for
 * `mode`), for a worker thread that evaluates some of the rows: the same generated code,
 * compiled here, gives the same values row for row (the prover's parallel steps; functions do
 * not cross threads). Always the compiled strategy, whatever the row count.
 *
 * @example
 * const run = runFromSources(compiled.sources, 'accumulate');   // in the worker
 * run({ ...args, start: 0, end: 1 << 16 });
 */
export function runFromSources(
  sources: readonly string[],
  mode: 'accumulate' | 'assert' | 'write',
): (args: CompiledArgs) => void {
  const fns = sources.map((src) => new Function('args', 'acc', src) as ChunkFn);
  if (mode === 'accumulate') return (args) => accumulateChunks(fns, args);
  return (args) => {
    for (const fn of fns) fn(args, null);
  };
}

/** out[c][r] += (acc[c] mod p)·factor[r]. */
function finishAccumulation(args: CompiledArgs, acc: Float64Array[]): void {
  const { start, end } = args;
  const factor = args.factor ?? null;
  const out = args.out!;
  const P = 2147483647;
  for (let c = 0; c < 4; c++) {
    const a = acc[c]!;
    const o = out[c]!;
    for (let r = start; r < end; r++) {
      const s = a[r - start]! % P;
      let v = s;
      if (factor !== null) {
        const f = factor[r]!;
        const lo = Math.imul(s, f) & P;
        const t = (lo + (Math.round((s * f - lo) * 4.656612873077393e-10) | 0) - P) | 0;
        v = t + ((t >> 31) & P);
      }
      const t = (o[r]! + v - P) | 0;
      o[r] = t + ((t >> 31) & P);
    }
  }
}

function generateChunk(
  roots: readonly Expr[],
  ks: readonly number[],
  tables: { slotOf: Map<string, number>; offsets: number[]; params: string[]; leafKey: LeafKey },
  mode: Mode,
): string {
  const order = topoOrder(ks.map((k) => roots[k]!));
  const lines: string[] = [];
  const prologue: string[] = [];
  const declared = new Set<string>();
  const declare = (line: string) => {
    if (!declared.has(line)) {
      declared.add(line);
      prologue.push(line);
    }
  };
  // name of each node's value: base -> one local; ext -> 4 locals
  const names = new Map<number, string[]>();
  const mulBase = (x: string, a: string, b: string) => {
    lines.push(
      `lo = Math.imul(${a}, ${b}) & ${PN}; t = (lo + (Math.round((${a} * ${b} - lo) * ${INV}) | 0) - ${PN}) | 0; const ${x} = t + ((t >> 31) & ${PN});`,
    );
  };
  const addBase = (x: string, a: string, b: string) => {
    lines.push(`t = (${a} + ${b} - ${PN}) | 0; const ${x} = t + ((t >> 31) & ${PN});`);
  };
  const subBase = (x: string, a: string, b: string) => {
    lines.push(`t = (${a} - ${b}) | 0; const ${x} = t + ((t >> 31) & ${PN});`);
  };
  const asExt = (e: Expr): string[] => {
    const n = names.get(e.id)!;
    return n.length === 4 ? n : [n[0]!, '0', '0', '0'];
  };

  for (const e of order) {
    const v = `v${e.id}`;
    switch (e.kind) {
      case 'const':
        names.set(e.id, [String(e.a)]);
        break;
      case 'col':
      case 'pre': {
        const s = tables.slotOf.get(tables.leafKey(e))!;
        const o = tables.offsets.indexOf(e.offset);
        declare(`const c${s} = args.cols[${s}];`);
        if (o !== 0) declare(`const i${o} = args.idx[${o}];`);
        lines.push(`const ${v} = c${s}[${o === 0 ? 'r' : `i${o}[r]`}];`);
        names.set(e.id, [v]);
        break;
      }
      case 'param': {
        const p = tables.params.indexOf(e.name);
        const n = [0, 1, 2, 3].map((c) => `p${p}_${c}`);
        n.forEach((name, c) => {
          declare(`const ${name} = args.params[${4 * p + c}];`);
        });
        names.set(e.id, n);
        break;
      }
      case 'ext':
        names.set(
          e.id,
          e.args.map((a) => names.get(a.id)![0]!),
        );
        break;
      case 'neg': {
        const a = names.get(e.args[0]!.id)!;
        const out = e.isBase ? [v] : a.map((_, c) => `${v}_${c}`);
        out.forEach((name, c) => {
          lines.push(`t = (0 - ${a[c]}) | 0; const ${name} = t + ((t >> 31) & ${PN});`);
        });
        names.set(e.id, out);
        break;
      }
      case 'add':
      case 'sub': {
        const [x, y] = e.args as [Expr, Expr];
        const op = e.kind === 'add' ? addBase : subBase;
        if (e.isBase) {
          op(v, names.get(x.id)![0]!, names.get(y.id)![0]!);
          names.set(e.id, [v]);
        } else {
          const a = asExt(x);
          const b = asExt(y);
          const out = [0, 1, 2, 3].map((c) => `${v}_${c}`);
          for (let c = 0; c < 4; c++) {
            if (e.kind === 'add' && b[c] === '0') lines.push(`const ${out[c]} = ${a[c]};`);
            else if (e.kind === 'add' && a[c] === '0') lines.push(`const ${out[c]} = ${b[c]};`);
            else op(out[c]!, a[c]!, b[c]!);
          }
          names.set(e.id, out);
        }
        break;
      }
      case 'mul': {
        const [x, y] = e.args as [Expr, Expr];
        if (e.isBase) {
          mulBase(v, names.get(x.id)![0]!, names.get(y.id)![0]!);
          names.set(e.id, [v]);
        } else if (x.isBase || y.isBase) {
          const s = names.get((x.isBase ? x : y).id)![0]!;
          const q = names.get((x.isBase ? y : x).id)!;
          const out = [0, 1, 2, 3].map((c) => `${v}_${c}`);
          for (let c = 0; c < 4; c++) mulBase(out[c]!, s, q[c]!);
          names.set(e.id, out);
        } else {
          const out = [0, 1, 2, 3].map((c) => `${v}_${c}`);
          qm31MulCode(lines, v, names.get(x.id)!, names.get(y.id)!, out);
          names.set(e.id, out);
        }
        break;
      }
    }
  }

  const body: string[] = [];
  if (mode === 'write') {
    for (const k of ks) {
      const n = names.get(roots[k]!.id)!;
      if (n.length !== 1) throw new KernelError('write mode evaluates base-field expressions only');
      declare(`const o${k} = args.outs[${k}];`);
      body.push(`o${k}[r] = ${n[0]};`);
    }
  } else if (mode === 'assert') {
    for (const k of ks) {
      const n = names.get(roots[k]!.id)!;
      body.push(
        n.length === 1
          ? `if (${n[0]} !== 0) fail(r, ${k});`
          : `if ((${n.join(' | ')}) !== 0) fail(r, ${k});`,
      );
    }
  } else {
    body.push(
      'let a0 = 0, a1 = 0, a2 = 0, a3 = 0, l0 = 0, l1 = 0, l2 = 0, l3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;',
    );
    // A base-field constraint value v times a coefficient k = kh·2^16 + kl is accumulated
    // as kl·v (< 2^47) and kh·v (< 2^46) in two float sums, exact for up to 32 terms, then
    // reduced once: two multiply-adds per coordinate instead of a modular product.
    const flush = () => {
      for (let c = 0; c < 4; c++) {
        body.push(
          `a${c} += (l${c} % ${PN}) + ((h${c} % ${PN}) * 65536) % ${PN}; l${c} = 0; h${c} = 0;`,
        );
      }
    };
    let pending = 0;
    for (const k of ks) {
      const n = names.get(roots[k]!.id)!;
      const kk = [0, 1, 2, 3].map((c) => `k${k}_${c}`);
      if (n.length === 1) {
        for (let c = 0; c < 4; c++) {
          declare(
            `const ${kk[c]}l = args.coeffs[${4 * k + c}] & 0xffff, ${kk[c]}h = args.coeffs[${4 * k + c}] >>> 16;`,
          );
          body.push(`l${c} += ${kk[c]}l * ${n[0]}; h${c} += ${kk[c]}h * ${n[0]};`);
        }
        if (++pending === 32) {
          flush();
          pending = 0;
        }
      } else {
        kk.forEach((name, c) => {
          declare(`const ${name} = args.coeffs[${4 * k + c}];`);
        });
        const out = [0, 1, 2, 3].map((c) => `w${k}_${c}`);
        qm31MulCode(body, `w${k}`, kk, n, out);
        for (let c = 0; c < 4; c++) body.push(`a${c} += ${out[c]};`);
      }
    }
    if (pending > 0) flush();
    // Partial sums stay < 2^53 across chunks: each chunk adds < 2^31 per constraint.
    body.push('const i = r - start; A0[i] += a0; A1[i] += a1; A2[i] += a2; A3[i] += a3;');
    declare('const A0 = acc[0], A1 = acc[1], A2 = acc[2], A3 = acc[3];');
  }

  return `"use strict";
  const start = args.start, end = args.end, fail = args.fail;
  ${prologue.join('\n  ')}
  let lo = 0, t = 0;
  for (let r = start; r < end; r++) {
    ${lines.join('\n    ')}
    ${body.join('\n    ')}
  }`;
}

/**
 * Emits a QM31 product (a0 + a1 i + (a2 + a3 i) u)(b0 + b1 i + (b2 + b3 i) u) with
 * u^2 = 2 + i: the sixteen M31 products reduced, then combined with one final reduction.
 */
function qm31MulCode(
  lines: string[],
  v: string,
  a: readonly string[],
  b: readonly string[],
  out: readonly string[],
) {
  const prods: Record<string, string> = {};
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      const name = `${v}m${i}${j}`;
      prods[`${i}${j}`] = name;
      if (a[i] === '0' || b[j] === '0') {
        lines.push(`const ${name} = 0;`);
      } else {
        lines.push(
          `lo = Math.imul(${a[i]}, ${b[j]}) & ${PN}; t = (lo + (Math.round((${a[i]} * ${b[j]} - lo) * ${INV}) | 0) - ${PN}) | 0; const ${name} = t + ((t >> 31) & ${PN});`,
        );
      }
    }
  }
  const m = (i: number, j: number) => prods[`${i}${j}`];
  // ac = (a0 c0 - a1 c1) + (a0 c1 + a1 c0) i ; bd likewise with indices 2,3
  lines.push(`const ${v}ac0 = ${m(0, 0)} - ${m(1, 1)}, ${v}ac1 = ${m(0, 1)} + ${m(1, 0)};`);
  lines.push(`const ${v}bd0 = ${m(2, 2)} - ${m(3, 3)}, ${v}bd1 = ${m(2, 3)} + ${m(3, 2)};`);
  lines.push(`const ${v}ad0 = ${m(0, 2)} - ${m(1, 3)}, ${v}ad1 = ${m(0, 3)} + ${m(1, 2)};`);
  lines.push(`const ${v}bc0 = ${m(2, 0)} - ${m(3, 1)}, ${v}bc1 = ${m(2, 1)} + ${m(3, 0)};`);
  // + (2 + i)·bd = (2 bd0 - bd1) + (bd0 + 2 bd1) i; the sums lie in (-3p, 7p), so adding 8p
  // makes them positive before one floating-point remainder.
  const P8 = '17179869176';
  lines.push(`const ${out[0]} = (${v}ac0 + 2 * ${v}bd0 - ${v}bd1 + ${P8}) % ${PN};`);
  lines.push(`const ${out[1]} = (${v}ac1 + ${v}bd0 + 2 * ${v}bd1 + ${P8}) % ${PN};`);
  lines.push(`const ${out[2]} = (${v}ad0 + ${v}bc0 + ${P8}) % ${PN};`);
  lines.push(`const ${out[3]} = (${v}ad1 + ${v}bc1 + ${P8}) % ${PN};`);
}
