import type { StatementLike } from './component.js';
import { KernelError } from './errors.js';

/** Smallest and largest component log sizes a proof may claim. */
export const MIN_COMPONENT_LOG_SIZE = 1;
export const MAX_COMPONENT_LOG_SIZE = 24;

/**
 * How many rows a component has. Every range argument relies on the size of the table it looks
 * into (a range-11 table of 2^15 rows puts 32767 "in range"), and the verifier's work on
 * preprocessed columns grows with their size, so no size is left to the prover by accident:
 * every component states its rule, and the verifier enforces it before any other work.
 *
 * - `fixed`: always present, with exactly 2^logSize rows (a lookup table of the system).
 * - `statement`: the log size the statement implies (program, memory image, public input),
 *   or null when the statement implies no rows (the component is then absent).
 * - `free`: chosen by the prover (the rows of the instructions that ran), at most
 *   2^maxLogSize; every relation's own bounds (`maxUses`) and the LogUp bound still apply.
 *   A free component may read no preprocessed column but `is_first`: the verifier would build
 *   it at a size the prover chose.
 */
export type SizeRule =
  | { readonly kind: 'fixed'; readonly logSize: number }
  | {
      readonly kind: 'statement';
      readonly logSize: (statement: StatementLike) => number | null;
    }
  | { readonly kind: 'free'; readonly maxLogSize: number };

function checkLogSize(logSize: number, what: string): void {
  if (
    !Number.isInteger(logSize) ||
    logSize < MIN_COMPONENT_LOG_SIZE ||
    logSize > MAX_COMPONENT_LOG_SIZE
  ) {
    throw new KernelError(
      `${what} must be an integer in [${MIN_COMPONENT_LOG_SIZE}, ${MAX_COMPONENT_LOG_SIZE}], got ${logSize}`,
    );
  }
}

/**
 * Always exactly 2^logSize rows.
 *
 * @example const range11 = { name: 'range-check-11', size: fixedSize(11), ... };
 */
export function fixedSize(logSize: number): SizeRule {
  checkLogSize(logSize, 'a fixed log size');
  return Object.freeze({ kind: 'fixed', logSize });
}

/**
 * The log size the statement implies (null: no rows, the component is absent). The function
 * reads only the statement; it throws for a statement it cannot read.
 *
 * @example size: statementSize((s) => logRowsFor(readProgram(s).instructions.length))
 */
export function statementSize(logSize: (statement: StatementLike) => number | null): SizeRule {
  if (typeof logSize !== 'function') {
    throw new KernelError('statementSize needs a function from the statement to a log size');
  }
  return Object.freeze({ kind: 'statement', logSize });
}

/** Chosen by the prover, at most 2^maxLogSize rows (default the kernel's maximum, 2^24). */
export function freeSize(maxLogSize: number = MAX_COMPONENT_LOG_SIZE): SizeRule {
  checkLogSize(maxLogSize, 'a free size bound');
  return Object.freeze({ kind: 'free', maxLogSize });
}

/**
 * A rule as the system digest records it. A statement rule is recorded by its kind only: its
 * function is code, and its source text differs between builds (src, dist, a minified bundle)
 * of the same release, so it cannot be bound deterministically. The verifier runs its own rule
 * on the statement, so a prover with another rule fails the size check ('shape'), not 'system'.
 */
export function describeSizeRule(rule: SizeRule): string {
  switch (rule.kind) {
    case 'fixed':
      return `fixed:${rule.logSize}`;
    case 'statement':
      return 'statement';
    case 'free':
      return `free:${rule.maxLogSize}`;
  }
}

/** Validates a component's declared rule (at assembly), naming the component. */
export function checkSizeRule(component: string, rule: unknown): SizeRule {
  const r = rule as Partial<SizeRule> | undefined;
  const fail = (m: string): never => {
    throw new KernelError(`component ${component}: ${m}`, { component });
  };
  if (r === undefined || r === null || typeof r !== 'object') {
    fail(
      'needs a size rule: size: fixedSize(n) for a table of the system, statementSize(fn) for a table the statement implies, or freeSize() for rows the prover chooses',
    );
  }
  switch (r!.kind) {
    case 'fixed':
      checkLogSize((r as { logSize: number }).logSize, `${component}: the fixed log size`);
      break;
    case 'free':
      checkLogSize((r as { maxLogSize: number }).maxLogSize, `${component}: the free size bound`);
      break;
    case 'statement':
      if (typeof (r as { logSize: unknown }).logSize !== 'function') {
        fail('a statement size rule needs a function from the statement to a log size');
      }
      break;
    default:
      fail(`unknown size rule kind ${JSON.stringify(r!.kind)}`);
  }
  return r as SizeRule;
}

/**
 * The log sizes a statement allows: per component, `exact` (a number, or null for absent) or
 * `max` for a free component (absent or 1..max). Throws the plugin's own error for a statement
 * it cannot read, a KernelError for a rule that returns something that is not a log size.
 */
export type AllowedSize = { readonly exact: number | null } | { readonly max: number };

export function allowedSize(
  component: string,
  rule: SizeRule,
  statement: StatementLike,
): AllowedSize {
  switch (rule.kind) {
    case 'fixed':
      return { exact: rule.logSize };
    case 'free':
      return { max: rule.maxLogSize };
    case 'statement': {
      const n = rule.logSize(statement);
      if (n !== null) checkLogSize(n, `${component}: the log size the statement implies`);
      return { exact: n };
    }
  }
}

/**
 * Checks claimed log sizes (null: absent) against every component's rule for this statement.
 *
 * @throws KernelError naming the component, the claimed size and the size its rule requires.
 */
export function checkComponentSizes(
  components: readonly { readonly name: string; readonly size: SizeRule }[],
  sizes: readonly (number | null)[],
  statement: StatementLike,
): void {
  if (sizes.length !== components.length) {
    throw new KernelError(
      `the claim lists ${sizes.length} components, the system has ${components.length}`,
    );
  }
  const show = (s: number | null) => (s === null ? 'absent' : `2^${s} rows`);
  components.forEach(({ name, size }, i) => {
    const claimed = sizes[i]!;
    const allowed = allowedSize(name, size, statement);
    if ('exact' in allowed) {
      if (claimed !== allowed.exact) {
        throw new KernelError(
          `component ${name} is claimed ${show(claimed)}; its ${size.kind} size rule requires ${show(allowed.exact)}`,
          { component: name },
        );
      }
    } else if (claimed !== null && (!Number.isInteger(claimed) || claimed > allowed.max)) {
      throw new KernelError(
        `component ${name} is claimed ${show(claimed)}; its size rule allows at most 2^${allowed.max} rows`,
        { component: name },
      );
    }
  });
}

/**
 * The size rules of a proof of several segments (Component.scope): a 'once' component is
 * absent from every segment but the last, where its rule applies as in a single proof; every
 * other component follows its rule in each segment.
 *
 * @throws KernelError naming the segment and the component
 */
export function checkSegmentSizes(
  components: readonly {
    readonly name: string;
    readonly size: SizeRule;
    readonly component: { readonly scope?: 'segment' | 'once' };
  }[],
  segments: readonly (readonly (number | null)[])[],
  statement: StatementLike,
): void {
  if (segments.length === 0) throw new KernelError('a segmented proof has at least one segment');
  segments.forEach((sizes, k) => {
    const last = k === segments.length - 1;
    try {
      checkComponentSizes(
        components.map((c) =>
          c.component.scope === 'once' && !last ? { name: c.name, size: ABSENT } : c,
        ),
        sizes,
        statement,
      );
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      throw new KernelError(`segment ${k}: ${e.message}`, { segment: k });
    }
  });
}

/** The rule of a 'once' component outside the last segment: no rows. */
const ABSENT: SizeRule = Object.freeze({ kind: 'statement', logSize: () => null }) as SizeRule;
