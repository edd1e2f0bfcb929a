import { foreignKernelObjectError, isOwnKernelObject } from './brand.js';
import type { BusOptions, Component, EvalContext } from './component.js';
import { KernelError } from './errors.js';
import {
  columnRef,
  constant,
  type Expr,
  ext,
  INTERACTION_TREE,
  lift,
  MAIN_TREE,
  param,
  preprocessedRef,
  reachable,
} from './expr.js';
import { IS_FIRST } from './leaves.js';
import type { Relation } from './relation.js';
import { checkSizeRule, type SizeRule } from './size.js';

/** Constraints must stay at degree <= 3 so the composition fits a domain twice the trace's. */
export const MAX_CONSTRAINT_DEGREE = 3;

export interface LabelledConstraint {
  readonly label: string;
  readonly expr: Expr;
}

/** One bus entry of a component: `sign` is +1 for use, -1 for yield. */
export interface BusEntry {
  readonly relation: Relation;
  readonly values: readonly Expr[];
  readonly multiplicity: Expr;
  readonly sign: 1 | -1;
  /** Bound on |multiplicity| per row, or 'table' for a lookup table's count column. */
  readonly bound: number | 'table';
  readonly label: string;
}

/**
 * A component analysed: what the info evaluator learns by running `evaluate` once
 * symbolically, plus the LogUp constraints the kernel derives from its bus entries. Everything
 * downstream (assert evaluator, prover, verifier, debugger, system digest) works from this.
 */
export interface ComponentAir {
  readonly component: Component<unknown>;
  readonly name: string;
  /** Its size rule, checked (size.ts). */
  readonly size: SizeRule;
  /** The component's own constraints, labelled. */
  readonly constraints: readonly LabelledConstraint[];
  readonly entries: readonly BusEntry[];
  /** Entries grouped for LogUp: each batch (one or two entries) is one QM31 interaction column. */
  readonly batches: readonly (readonly number[])[];
  /** LogUp constraints over the interaction columns (present when there are entries). */
  readonly logupConstraints: readonly LabelledConstraint[];
  /** Number of M31 interaction columns (4 per batch). */
  readonly interactionColumns: number;
  /** Row offsets read per main column, per interaction column, per preprocessed id. */
  readonly mainMasks: readonly (readonly number[])[];
  readonly interactionMasks: readonly (readonly number[])[];
  readonly preprocessedMasks: ReadonlyMap<string, readonly number[]>;
  readonly maxDegree: number;
}

function describeName(obj: unknown): string {
  const n = (obj as { name?: unknown } | null)?.name;
  return typeof n === 'string' ? n : '(unnamed)';
}

/** The LogUp challenge parameters of a relation. */
export function relationZ(rel: Relation): string {
  return `z:${rel.name}`;
}
export function relationAlpha(rel: Relation, i: number): string {
  return `alpha${i}:${rel.name}`;
}
/** The component's claimed LogUp sum divided by its row count. */
export const CLAIMED_OVER_N = 'claimed/n';

/**
 * The info evaluator: runs `evaluate` once against a recording context and derives the LogUp
 * constraints. Throws a KernelError naming the component and the label of anything malformed
 * (unknown column, degree above 3, wrong tuple arity).
 */
export function analyzeComponent(component: Component<unknown>): ComponentAir {
  const name = component.name;
  const fail = (msg: string): never => {
    throw new KernelError(`component ${name}: ${msg}`, { component: name });
  };
  if (typeof name !== 'string' || name.length === 0) fail('needs a non-empty name');
  if (typeof component.version !== 'string' || component.version.length === 0) {
    fail('needs a version string');
  }
  const size = checkSizeRule(name, component.size);
  const layout = component.columns;
  const index = new Map<string, number>();
  layout.forEach((c, i) => {
    if (index.has(c)) fail(`column ${c} appears twice in the layout`);
    index.set(c, i);
  });

  const constraints: LabelledConstraint[] = [];
  const entries: BusEntry[] = [];
  const labels = new Set<string>();
  let cursor = 0;

  // An object of a second copy of @nexus/kernel (brand.ts) is named here, with the component.
  const ownOrFail = (obj: unknown, what: string) => {
    if (!isOwnKernelObject(obj)) throw withComponent(foreignKernelObjectError(obj, what));
  };
  const withComponent = (e: KernelError) =>
    new KernelError(`component ${name}: ${e.message}`, { ...e.details, component: name });
  const checkOffset = (offset: number) => {
    if (!Number.isInteger(offset) || Math.abs(offset) > 64) {
      fail(`row offset must be an integer in [-64, 64], got ${offset}`);
    }
  };
  const bus = (
    sign: 1 | -1,
    rel: Relation,
    values: readonly (Expr | number)[],
    multiplicity: Expr | number | undefined,
    opts: BusOptions | undefined,
  ) => {
    ownOrFail(rel, `relation ${describeName(rel)}`);
    if (multiplicity === undefined) {
      fail(
        `${sign > 0 ? 'use' : 'yield'} on ${rel.name}: give the multiplicity explicitly (usually a selector column, so padding rows contribute nothing)`,
      );
    }
    if (values.length !== rel.arity) {
      fail(`relation ${rel.name} has arity ${rel.arity}, an entry gave ${values.length} values`);
    }
    const bound = opts?.table ? 'table' : (opts?.maxMultiplicity ?? 1);
    if (bound !== 'table' && (!Number.isInteger(bound) || bound < 1)) {
      fail(`maxMultiplicity must be a positive integer, got ${bound}`);
    }
    const m = lift(multiplicity!);
    // A constant multiplicity is the one the kernel can check: above the bound, or "negative"
    // (p - 1 acts as -1, turning a use into a yield), it breaks the LogUp bound's premise.
    if (bound !== 'table' && m.kind === 'const' && m.a > bound) {
      fail(
        `${sign > 0 ? 'use' : 'yield'} on ${rel.name}: the constant multiplicity ${m.a} is outside [0, ${bound}] (a multiplicity is a count: p - 1 is not -1 here)`,
      );
    }
    entries.push({
      relation: rel,
      values: values.map(lift),
      multiplicity: m,
      sign,
      bound,
      label: `${sign > 0 ? 'use' : 'yield'} ${rel.name} #${entries.length}`,
    });
  };

  const ctx: EvalContext = {
    next() {
      return ctx.nextAt([0])[0]!;
    },
    nextAt(offsets) {
      if (cursor >= layout.length)
        fail(`evaluate reads more columns than the ${layout.length} of its layout`);
      const c = cursor++;
      return offsets.map((o) => {
        checkOffset(o);
        return columnRef(MAIN_TREE, c, o);
      });
    },
    col(colName, offset = 0) {
      const c = index.get(colName);
      if (c === undefined) fail(`no column named ${colName} in the layout`);
      checkOffset(offset);
      return columnRef(MAIN_TREE, c!, offset);
    },
    preprocessed(id, offset = 0) {
      if (typeof id !== 'string' || id.length === 0)
        fail('preprocessed column id must be a non-empty string');
      checkOffset(offset);
      return preprocessedRef(id, offset);
    },
    constant,
    constraint(expr, label) {
      if (typeof label !== 'string' || label.length === 0) fail('every constraint needs a label');
      ownOrFail(expr, `the expression of constraint ${label}`);
      if (labels.has(label)) fail(`constraint label ${label} is used twice`);
      labels.add(label);
      if (!expr.isBase) fail(`constraint ${label} must be over the base field`);
      if (expr.degree > MAX_CONSTRAINT_DEGREE) {
        fail(
          `constraint ${label} has degree ${expr.degree}, the maximum is ${MAX_CONSTRAINT_DEGREE}`,
        );
      }
      if (expr.kind === 'const' && expr.a === 0) return; // trivially true
      constraints.push({ label, expr });
    },
    use(rel, values, multiplicity, opts) {
      bus(1, rel, values, multiplicity, opts);
    },
    yield(rel, values, multiplicity, opts) {
      bus(-1, rel, values, multiplicity, opts);
    },
  };
  try {
    component.evaluate(ctx);
  } catch (e) {
    // An expression of another kernel copy, met while building one (expr.ts): name the component.
    if (e instanceof KernelError && 'kernelCopies' in e.details && !('component' in e.details)) {
      throw withComponent(e);
    }
    throw e;
  }

  for (const entry of entries) {
    for (const v of entry.values) {
      if (!v.isBase) fail(`${entry.label}: tuple values must be base-field expressions`);
    }
  }

  const batches = batchEntries(entries, fail);
  const interactionColumns = 4 * batches.length;

  const mainMasks: number[][] = layout.map(() => []);
  const preprocessedMasks = new Map<string, number[]>();
  // The leaves the constraints read: the component's own constraints and its bus entries (the
  // LogUp constraints read the entries' values and multiplicities, and interaction columns).
  const roots: Expr[] = constraints.map((c) => c.expr);
  for (let i = 0; i < entries.length; i++) {
    roots.push(entries[i]!.multiplicity);
    for (let j = 0; j < entries[i]!.values.length; j++) roots.push(entries[i]!.values[j]!);
  }
  // What the LogUp constraints read of the interaction columns (logupConstraintsFor): batch k's
  // four columns at offset 0, the last batch's also at -1 (its running sum's previous row).
  const interactionMasks: number[][] = Array.from({ length: interactionColumns }, (_, c) =>
    Math.floor(c / 4) === batches.length - 1 ? [-1, 0] : [0],
  );
  const nodes = reachable(roots);
  for (let i = 0; i < nodes.length; i++) {
    const e = nodes[i]!;
    if (e.kind === 'col') {
      const masks = e.a === MAIN_TREE ? mainMasks : interactionMasks;
      const m = masks[e.b]!;
      if (!m.includes(e.offset)) m.push(e.offset);
    } else if (e.kind === 'pre') {
      const m = preprocessedMasks.get(e.name) ?? [];
      if (!m.includes(e.offset)) m.push(e.offset);
      preprocessedMasks.set(e.name, m);
    }
  }
  for (const m of [...mainMasks, ...interactionMasks, ...preprocessedMasks.values()])
    m.sort((a, b) => a - b);
  mainMasks.forEach((m, i) => {
    if (m.length === 0) fail(`column ${layout[i]} is never read by evaluate`);
  });
  // A preprocessed column takes the size of the component reading it, and the verifier builds
  // it: at a size the prover chose, a hostile proof would make it build 2^24 rows.
  if (size.kind === 'free') {
    for (const id of preprocessedMasks.keys()) {
      if (id !== IS_FIRST) {
        fail(
          `reads preprocessed column ${id} but its size is free; give it a fixed or statement size rule`,
        );
      }
    }
  }

  // The LogUp constraints are built when first read (the verifier, the assert evaluator with
  // interaction): a prover derives the LogUp columns from the entries (its logup-composition),
  // and a system's assembly (the digest binds the entries, not these) does not need them;
  // they were a third of createZkvm's symbolic pass. batchEntries has bounded their degree.
  let logup: LabelledConstraint[] | undefined;
  const logupConstraints = () => {
    logup ??= logupConstraintsFor(entries, batches);
    return logup;
  };
  let maxDegree: number | undefined;
  return {
    component,
    name,
    size,
    constraints,
    entries,
    batches,
    get logupConstraints() {
      return logupConstraints();
    },
    interactionColumns,
    mainMasks,
    interactionMasks,
    preprocessedMasks,
    get maxDegree() {
      if (maxDegree === undefined) {
        const all = [...constraints, ...logupConstraints()];
        maxDegree = Math.max(0, ...all.map((c) => c.expr.degree));
        if (maxDegree > MAX_CONSTRAINT_DEGREE) {
          fail(`a LogUp constraint has degree ${maxDegree}; keep bus tuple values linear`);
        }
      }
      return maxDegree;
    },
  };
}

function entryDegrees(e: BusEntry): { d: number; n: number } {
  return { d: Math.max(0, ...e.values.map((v) => v.degree)), n: e.multiplicity.degree };
}

/**
 * Pairs consecutive entries when the batched constraint stays at degree <= 3:
 * S·d0·d1 - (n0·d1 + n1·d0) has degree max(1 + d0 + d1, n0 + d1, n1 + d0).
 */
function batchEntries(entries: readonly BusEntry[], fail: (m: string) => never): number[][] {
  const batches: number[][] = [];
  let i = 0;
  while (i < entries.length) {
    const a = entryDegrees(entries[i]!);
    if (1 + a.d > MAX_CONSTRAINT_DEGREE || a.n > MAX_CONSTRAINT_DEGREE) {
      fail(
        `${entries[i]!.label}: tuple or multiplicity degree too high for LogUp (tuple ${a.d}, multiplicity ${a.n})`,
      );
    }
    if (i + 1 < entries.length) {
      const b = entryDegrees(entries[i + 1]!);
      if (Math.max(1 + a.d + b.d, a.n + b.d, b.n + a.d) <= MAX_CONSTRAINT_DEGREE) {
        batches.push([i, i + 1]);
        i += 2;
        continue;
      }
    }
    batches.push([i]);
    i += 1;
  }
  return batches;
}

/** combine(v) = v_0 + Σ_{i>=1} α^i·v_i - z, a QM31 expression. */
export function combineExpr(rel: Relation, values: readonly Expr[]): Expr {
  let acc = values[0]!.sub(param(relationZ(rel)));
  for (let i = 1; i < values.length; i++)
    acc = acc.add(param(relationAlpha(rel, i)).mul(values[i]!));
  return acc;
}

function interactionColumn(batch: number, offset: number): Expr {
  const c = 4 * batch;
  return ext(
    columnRef(INTERACTION_TREE, c, offset),
    columnRef(INTERACTION_TREE, c + 1, offset),
    columnRef(INTERACTION_TREE, c + 2, offset),
    columnRef(INTERACTION_TREE, c + 3, offset),
  );
}

/**
 * The LogUp constraints. Batch k's column F_k holds, per row, the sum of its fractions
 * n/d (n = sign·multiplicity, d = combine(tuple)); the last batch's column S is instead the
 * running sum S(r) = Σ_{r' <= r} T(r') - (r + 1)·claimed/N of the row totals T, so that
 * S(r) - S(r-1) = T(r) - claimed/N on every row, wrapping from the last row to the first, and
 * S(N-1) = 0 forces Σ_r T(r) = claimed. Multiplied out by the denominators:
 *   F_k·d0·d1 - (n0·d1 + n1·d0) = 0                          (k < last)
 *   (S - S[-1] - Σ_{k<last} F_k + claimed/N)·d0·d1 - (n0·d1 + n1·d0) = 0
 */
function logupConstraintsFor(
  entries: readonly BusEntry[],
  batches: readonly (readonly number[])[],
): LabelledConstraint[] {
  if (batches.length === 0) return [];
  const out: LabelledConstraint[] = [];
  const last = batches.length - 1;
  let earlier: Expr = constant(0);
  batches.forEach((batch, k) => {
    const parts = batch.map((i) => {
      const e = entries[i]!;
      const n = e.sign > 0 ? e.multiplicity : e.multiplicity.neg();
      return { n, d: combineExpr(e.relation, e.values) };
    });
    let value: Expr;
    if (k < last) {
      value = interactionColumn(k, 0);
      earlier = earlier.add(value);
    } else {
      value = interactionColumn(k, 0)
        .sub(interactionColumn(k, -1))
        .sub(earlier)
        .add(param(CLAIMED_OVER_N));
    }
    let expr: Expr;
    if (parts.length === 1) {
      expr = value.mul(parts[0]!.d).sub(parts[0]!.n);
    } else {
      const [p0, p1] = parts as [{ n: Expr; d: Expr }, { n: Expr; d: Expr }];
      expr = value
        .mul(p0.d)
        .mul(p1.d)
        .sub(p0.n.mul(p1.d).add(p1.n.mul(p0.d)));
    }
    out.push({
      label: `logup batch ${k} (${batch.map((i) => entries[i]!.label).join(', ')})`,
      expr,
    });
  });
  return out;
}
