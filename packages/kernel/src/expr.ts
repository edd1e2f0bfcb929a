import { P } from '@nexus/field';
import { brand, checkSameKernel } from './brand.js';
import { KernelError } from './errors.js';

/**
 * The symbolic form of constraints. A component's `evaluate` runs once against a symbolic
 * evaluator and produces expression DAGs; every evaluator (info, assert, point, the prover's
 * domain evaluator) interprets or compiles that same DAG, so a constraint is written once.
 *
 * Nodes are hash-consed: building the same node twice returns the same object, so common
 * subexpressions are shared and compiled once.
 */
export type ExprKind = 'col' | 'pre' | 'const' | 'param' | 'ext' | 'add' | 'sub' | 'mul' | 'neg';

/** Trees a column reference can point into (preprocessed columns use 'pre' nodes). */
export const MAIN_TREE = 1;
export const INTERACTION_TREE = 2;

export class Expr {
  /** Unique, increasing: arguments always have smaller ids than the node (a topological order). */
  readonly id: number;
  readonly kind: ExprKind;
  readonly args: readonly Expr[];
  /** col: tree; const: value; others: 0. */
  readonly a: number;
  /** col: column index within the component's columns of that tree. */
  readonly b: number;
  /** col/pre: row offset. */
  readonly offset: number;
  /** pre: column id; param: name. */
  readonly name: string;
  /** Polynomial degree in the trace columns. */
  readonly degree: number;
  /** True when the value lies in M31 (no QM31 parameter or extension combination below). */
  readonly isBase: boolean;

  /** @internal use the builders below */
  constructor(
    id: number,
    kind: ExprKind,
    args: readonly Expr[],
    a: number,
    b: number,
    offset: number,
    name: string,
  ) {
    this.id = id;
    this.kind = kind;
    this.args = args;
    this.a = a;
    this.b = b;
    this.offset = offset;
    this.name = name;
    switch (kind) {
      case 'col':
      case 'pre':
        this.degree = 1;
        break;
      case 'const':
      case 'param':
        this.degree = 0;
        break;
      case 'mul':
        this.degree = args[0]!.degree + args[1]!.degree;
        break;
      default: {
        let d = 0;
        for (let i = 0; i < args.length; i++) if (args[i]!.degree > d) d = args[i]!.degree;
        this.degree = d;
      }
    }
    let base = kind !== 'param' && kind !== 'ext';
    for (let i = 0; i < args.length; i++) base &&= args[i]!.isBase;
    this.isBase = base;
  }

  add(other: Expr | number): Expr {
    return arithmeticNode('add', this, lift(other));
  }
  sub(other: Expr | number): Expr {
    return arithmeticNode('sub', this, lift(other));
  }
  mul(other: Expr | number): Expr {
    return arithmeticNode('mul', this, lift(other));
  }
  neg(): Expr {
    return arithmeticNode('neg', this, null);
  }
  /** A readable rendering, for error messages and the debugger. */
  toString(): string {
    return render(this);
  }
}

// Every expression carries this copy's mark (brand.ts): ids and interning are per copy, so an
// expression of another copy of the kernel must never become an argument here.
brand(Expr.prototype);

let nextId = 0;
const interned = new Map<string, Expr>();

/**
 * An add, sub, mul or neg node of x and y (null for neg), folded and interned: what `build`
 * did for them, without an argument array per call (half the calls find the node interned,
 * and a system's assembly makes ~12,000 of them, cold). `y` comes from `lift`, which checked
 * it; x is the receiver, checked here.
 */
function arithmeticNode(kind: 'add' | 'sub' | 'mul' | 'neg', x: Expr, y: Expr | null): Expr {
  checkSameKernel(x, 'an expression');
  // Fold constants so `x.mul(1)`, `x.add(0)` and literal arithmetic cost nothing.
  if (x.kind === 'const' && (y === null || y.kind === 'const')) {
    if (kind === 'add') return constant((x.a + y!.a) % P);
    if (kind === 'sub') return constant((x.a - y!.a + P) % P);
    if (kind === 'neg') return constant((P - x.a) % P);
    return constant(Number((BigInt(x.a) * BigInt(y!.a)) % BigInt(P)));
  }
  if (kind === 'mul') {
    if ((x.kind === 'const' && x.a === 0) || (y!.kind === 'const' && y!.a === 0)) {
      return constant(0);
    }
    if (y!.kind === 'const' && y!.a === 1) return x;
    if (x.kind === 'const' && x.a === 1) return y!;
  }
  if (kind === 'add') {
    if (y!.kind === 'const' && y!.a === 0) return x;
    if (x.kind === 'const' && x.a === 0) return y!;
  }
  if (kind === 'sub' && y!.kind === 'const' && y!.a === 0) return x;
  // Interned by the arguments' ids in nested maps: a string key per node made building a
  // large component's constraints allocation-bound.
  const byFirst = arithmetic[kind];
  const second = y === null ? -1 : y.id;
  let inner = byFirst.get(x.id);
  if (inner === undefined) {
    inner = new Map();
    byFirst.set(x.id, inner);
  }
  let e = inner.get(second);
  if (e === undefined) {
    e = new Expr(nextId++, kind, y === null ? [x] : [x, y], 0, 0, 0, '');
    inner.set(second, e);
  }
  return e;
}

/** Any other node (ext, a column reference off the numeric keys, pre, param), interned by a string key. */
function build(kind: ExprKind, args: readonly Expr[], a = 0, b = 0, offset = 0, name = ''): Expr {
  for (let i = 0; i < args.length; i++) checkSameKernel(args[i], 'an expression');
  const key = `${kind}|${args.map((x) => x.id).join(',')}|${a}|${b}|${offset}|${name}`;
  let e = interned.get(key);
  if (e === undefined) {
    e = new Expr(nextId++, kind, args, a, b, offset, name);
    interned.set(key, e);
  }
  return e;
}

/**
 * Column references by a number made of (tree, column, offset), where they fit one (nearly
 * every reference: offsets within [-64, 64], the bound analyzeComponent enforces): a string key
 * per reference was most of what ~3,000 cold `columnRef` calls cost. Others go through `build`'s
 * string keys; a reference always takes the same path, so it is still one node.
 */
const columns = new Map<number, Expr>();
const COLUMN_KEY_LIMIT = 1 << 20;

/** Constants by value, parameters by name: interned without building a key. */
const constants = new Map<number, Expr>();
const params = new Map<string, Expr>();

/** add, sub, mul and neg nodes by their first argument's id, then the second's (-1 for neg). */
const arithmetic = {
  add: new Map<number, Map<number, Expr>>(),
  sub: new Map<number, Map<number, Expr>>(),
  mul: new Map<number, Map<number, Expr>>(),
  neg: new Map<number, Map<number, Expr>>(),
};

/** An M31 constant; any safe integer is reduced mod p (so -1 means p - 1). */
export function constant(value: number): Expr {
  if (!Number.isSafeInteger(value)) {
    throw new KernelError(`constant must be a safe integer, got ${value}`);
  }
  const v = ((value % P) + P) % P;
  let e = constants.get(v);
  if (e === undefined) {
    e = new Expr(nextId++, 'const', [], v, 0, 0, '');
    constants.set(v, e);
  }
  return e;
}

export function lift(x: Expr | number): Expr {
  if (typeof x === 'number') return constant(x);
  checkSameKernel(x, 'an expression');
  return x;
}

/** Column `column` of tree `tree` (MAIN_TREE or INTERACTION_TREE) at a row offset. */
export function columnRef(tree: number, column: number, offset: number): Expr {
  if (
    (tree === MAIN_TREE || tree === INTERACTION_TREE) &&
    Number.isInteger(column) &&
    column >= 0 &&
    column < COLUMN_KEY_LIMIT &&
    Number.isInteger(offset) &&
    offset >= -64 &&
    offset <= 64
  ) {
    // offset + 64 in [0, 128], tree - 1 in {0, 1}: distinct triples, distinct keys (below 2^29).
    const key = ((column * 129 + offset + 64) << 1) | (tree - 1);
    let e = columns.get(key);
    if (e === undefined) {
      e = new Expr(nextId++, 'col', [], tree, column, offset, '');
      columns.set(key, e);
    }
    return e;
  }
  return build('col', [], tree, column, offset);
}

/** A preprocessed column by id, at a row offset. */
export function preprocessedRef(id: string, offset: number): Expr {
  return build('pre', [], 0, 0, offset, id);
}

/** A QM31 value supplied when the expression is evaluated (a challenge, a claimed sum). */
export function param(name: string): Expr {
  if (typeof name !== 'string') return build('param', [], 0, 0, 0, name);
  let e = params.get(name);
  if (e === undefined) {
    e = new Expr(nextId++, 'param', [], 0, 0, 0, name);
    params.set(name, e);
  }
  return e;
}

/** The QM31 value a + b·i + c·u + d·iu from four base-field expressions. */
export function ext(a: Expr, b: Expr, c: Expr, d: Expr): Expr {
  return build('ext', [a, b, c, d]);
}

/** Sum of expressions (0 for none). */
export function sum(terms: readonly (Expr | number)[]): Expr {
  return terms.reduce<Expr>((acc, t) => acc.add(lift(t)), constant(0));
}

function render(e: Expr): string {
  switch (e.kind) {
    case 'col':
      return `${e.a === MAIN_TREE ? 'm' : 'i'}${e.b}${e.offset ? `[${e.offset > 0 ? '+' : ''}${e.offset}]` : ''}`;
    case 'pre':
      return `pre(${e.name}${e.offset ? `, ${e.offset}` : ''})`;
    case 'const':
      return e.a > P / 2 ? `-${P - e.a}` : String(e.a);
    case 'param':
      return `$${e.name}`;
    case 'ext':
      return `ext(${e.args.map(render).join(', ')})`;
    case 'neg':
      return `-(${render(e.args[0]!)})`;
    default: {
      const op = e.kind === 'add' ? '+' : e.kind === 'sub' ? '-' : '*';
      return `(${render(e.args[0]!)} ${op} ${render(e.args[1]!)})`;
    }
  }
}

/**
 * Scratch per node id for the walks below (ids are dense from 0): a node is marked in the
 * current walk when `marks[id] === epoch`, so a walk starts without clearing anything, and
 * `slots[id]` holds what the walk numbers it. Walks never nest (none calls out of this file),
 * so one scratch serves them all. Sets and Maps keyed by id made these walks, which run cold
 * over every component of a system, cost several times more.
 */
let marks = new Uint32Array(0);
let slots = new Int32Array(0);
let epoch = 0;

/** Starts a walk: its epoch, with the scratch large enough for every node built so far. */
function startWalk(): number {
  if (marks.length < nextId) {
    const size = Math.max(nextId, 2 * marks.length, 1024);
    marks = new Uint32Array(size);
    slots = new Int32Array(size);
    epoch = 0;
  }
  if (epoch === 0xffffffff) {
    marks.fill(0);
    epoch = 0;
  }
  return ++epoch;
}

/**
 * A node whose id lies outside the scratch was not built here (ids of this copy are below
 * nextId): a second copy of the kernel's, named as such; never read past the scratch.
 */
function outsideScratch(e: Expr): never {
  checkSameKernel(e, 'an expression');
  throw new KernelError(`expression id ${e.id} was not made by the kernel's builders`);
}

/**
 * Every node reachable from the roots, once, in depth-first pre-order: the roots in order,
 * a node before its arguments, arguments left to right (the order a recursive walk visits
 * them in).
 */
export function reachable(roots: readonly Expr[]): Expr[] {
  const mark = startWalk();
  const out: Expr[] = [];
  const stack: Expr[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]!);
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (marks[e.id] === mark) continue;
    if (!(e.id < marks.length)) outsideScratch(e);
    marks[e.id] = mark;
    out.push(e);
    const args = e.args;
    for (let j = args.length - 1; j >= 0; j--) {
      if (marks[args[j]!.id] !== mark) stack.push(args[j]!);
    }
  }
  return out;
}

/**
 * All nodes reachable from the roots, in topological order (arguments first). Evaluators walk
 * this list once per row, or compile it into straight-line code.
 */
export function topoOrder(roots: readonly Expr[]): Expr[] {
  const nodes = reachable(roots);
  // Ids grow with construction, and a node is always built after its arguments: the order is
  // by id, sorted as numbers in a typed array (no comparator called per pair), each id then
  // mapped back to its node through the scratch.
  const ids = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const id = nodes[i]!.id;
    ids[i] = id;
    slots[id] = i;
  }
  ids.sort();
  const out = new Array<Expr>(nodes.length);
  for (let i = 0; i < ids.length; i++) out[i] = nodes[slots[ids[i]!]!]!;
  return out;
}

/**
 * A canonical serialization of expressions, used for the system digest: it depends on their
 * structure only, never on ids. Ids grow with construction across the whole process and nodes
 * are interned process-wide, so ordering nodes by id made the digest depend on which components
 * had been built before and in what order their `evaluate` read its columns: a refactor that
 * only reordered reads changed the digest, and so could a process that had analysed another
 * component first. Nodes are numbered in a post-order walk from the roots, arguments left to
 * right; interning makes equal subexpressions one node, so the sharing is canonical too.
 */
export function serializeExprs(roots: readonly Expr[]): string {
  // A node's number is slots[id], once marks[id] is this walk's (the walk scratch above).
  const mark = startWalk();
  const lines: string[] = [];
  // Iterative post-order (deep sums would overflow the stack): a node is emitted once all its
  // arguments have been, in argument order. Two parallel stacks and string concatenation, not
  // a frame object per node and map/join per line: this runs cold over ~0.1 MB of IR in every
  // process that assembles a system.
  const nodes: Expr[] = [];
  const nexts: number[] = [];
  for (const root of roots) {
    if (marks[root.id] !== mark) {
      nodes.push(root);
      nexts.push(0);
    }
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const e = nodes[top]!;
      const next = nexts[top]!;
      if (next < e.args.length) {
        nexts[top] = next + 1;
        const a = e.args[next]!;
        if (marks[a.id] !== mark) {
          nodes.push(a);
          nexts.push(0);
        }
        continue;
      }
      nodes.pop();
      nexts.pop();
      if (marks[e.id] === mark) continue;
      if (!(e.id < marks.length)) outsideScratch(e);
      marks[e.id] = mark;
      slots[e.id] = lines.length;
      let args = '';
      for (let k = 0; k < e.args.length; k++) {
        args += `${k === 0 ? '' : ','}${slots[e.args[k]!.id]}`;
      }
      lines.push(`${e.kind}(${args};${e.a};${e.b};${e.offset};${e.name})`);
    }
  }
  let rs = '';
  for (let k = 0; k < roots.length; k++) rs += `${k === 0 ? '' : ','}${slots[roots[k]!.id]}`;
  return `${lines.join(' ')} => ${rs}`;
}
