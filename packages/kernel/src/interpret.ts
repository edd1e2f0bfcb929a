import { P, type QM31, qm31Add, qm31Mul, qm31MulM31, qm31Neg, qm31Sub } from '@nexus/field';
import { KernelError } from './errors.js';
import { type Expr, topoOrder } from './expr.js';

/**
 * Interprets expressions over QM31: the point evaluator (the verifier evaluates every
 * constraint at the out-of-domain point from the sampled mask values) and, with base-field
 * leaves, a row-by-row reference for the bus-balance checker.
 */
export function evaluateExprs(
  roots: readonly Expr[],
  leaf: (e: Expr) => QM31,
  param: (name: string) => QM31,
): QM31[] {
  return evaluatePlan(exprPlan(roots), leaf, param);
}

/**
 * Expressions in evaluation order with their arguments as positions in that order: made once
 * per constraint set (the verifier keeps one per component), so an evaluation is one pass over
 * arrays instead of a topological sort and a map of values by id.
 */
export interface ExprPlan {
  readonly order: readonly Expr[];
  /**
   * The positions in `order` of order[i]'s arguments: args[4·i + j] for its j-th argument
   * (a node has at most 4). One flat array: a typed array per node was half the cost
   * of making the verifier's plans.
   */
  readonly args: Int32Array;
  /** The positions in `order` of the roots. */
  readonly roots: Int32Array;
}

/** Argument slots per node in ExprPlan.args (ext has four arguments, arithmetic two). */
const ARGS = 4;

/** The evaluation plan of `roots` (see ExprPlan). */
export function exprPlan(roots: readonly Expr[]): ExprPlan {
  const order = topoOrder(roots);
  const at = new Map<number, number>();
  for (let i = 0; i < order.length; i++) at.set(order[i]!.id, i);
  const args = new Int32Array(ARGS * order.length);
  for (let i = 0; i < order.length; i++) {
    const a = order[i]!.args;
    for (let j = 0; j < a.length; j++) args[ARGS * i + j] = at.get(a[j]!.id)!;
  }
  return { order, args, roots: Int32Array.from(roots, (r) => at.get(r.id)!) };
}

/** Evaluates a plan over QM31 (see evaluateExprs): the roots' values, in order. */
export function evaluatePlan(
  plan: ExprPlan,
  leaf: (e: Expr) => QM31,
  param: (name: string) => QM31,
): QM31[] {
  const { order, args } = plan;
  const values: QM31[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const e = order[i]!;
    const ai = ARGS * i;
    let v: QM31;
    switch (e.kind) {
      case 'const':
        v = [e.a, 0, 0, 0];
        break;
      case 'col':
      case 'pre':
        v = leaf(e);
        break;
      case 'param':
        v = param(e.name);
        break;
      case 'ext': {
        // a + b i + (c + d i) u from four base values
        const a = values[args[ai]!]!;
        const b = values[args[ai + 1]!]!;
        const c = values[args[ai + 2]!]!;
        const d = values[args[ai + 3]!]!;
        if (![a, b, c, d].every((x) => x[1] === 0 && x[2] === 0 && x[3] === 0)) {
          // Over QM31 inputs (the OODS point) the coordinates are QM31 themselves:
          // ext(a, b, c, d) = a + b·i + c·u + d·iu.
          v = qm31Add(
            qm31Add(a, qm31Mul(b, [0, 1, 0, 0])),
            qm31Add(qm31Mul(c, [0, 0, 1, 0]), qm31Mul(d, [0, 0, 0, 1])),
          );
        } else {
          v = [a[0], b[0], c[0], d[0]];
        }
        break;
      }
      case 'add':
        v = qm31Add(values[args[ai]!]!, values[args[ai + 1]!]!);
        break;
      case 'sub':
        v = qm31Sub(values[args[ai]!]!, values[args[ai + 1]!]!);
        break;
      case 'neg':
        v = qm31Neg(values[args[ai]!]!);
        break;
      case 'mul': {
        const a = values[args[ai]!]!;
        const b = values[args[ai + 1]!]!;
        if (b[1] === 0 && b[2] === 0 && b[3] === 0) v = qm31MulM31(a, b[0]);
        else if (a[1] === 0 && a[2] === 0 && a[3] === 0) v = qm31MulM31(b, a[0]);
        else v = qm31Mul(a, b);
        break;
      }
      default:
        throw new KernelError(`unknown expression kind ${(e as Expr).kind}`);
    }
    values[i] = v;
  }
  return Array.from(plan.roots, (r) => values[r]!);
}

/** Base-field evaluation of expressions with base-field leaves (no parameters). */
export function evaluateBase(roots: readonly Expr[], leaf: (e: Expr) => number): number[] {
  return evaluateExprs(
    roots,
    (e) => [leaf(e) % P, 0, 0, 0],
    (name) => {
      throw new KernelError(`parameter ${name} has no value in a base-field evaluation`);
    },
  ).map((v) => v[0]);
}
