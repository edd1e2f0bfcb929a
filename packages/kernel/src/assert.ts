import type { Column } from '@nexus/field';
import type { ComponentAir } from './air.js';
import { type CompiledConstraints, compileConstraints } from './compile.js';
import type { ComponentTrace } from './component.js';
import { ConstraintError } from './errors.js';
import { leafKey, rotationIndex } from './leaves.js';

/** Compiled assert evaluators per component (tests and the prover check many traces). */
const ownOnly = new WeakMap<ComponentAir, CompiledConstraints>();
const withLogup = new WeakMap<ComponentAir, CompiledConstraints>();

/** One failing constraint on one row. */
export interface ConstraintFailure {
  readonly component: string;
  readonly row: number;
  readonly label: string;
}

export interface AssertInputs {
  readonly trace: ComponentTrace;
  /** Preprocessed columns by the id used in `evaluate` (already sized), in row order. */
  readonly preprocessed: (id: string) => Column;
  /** Interaction columns in row order and the LogUp parameters, to check those constraints too. */
  readonly interaction?: {
    readonly columns: readonly Column[];
    readonly params: (name: string) => readonly number[];
  };
}

/**
 * The assert evaluator: checks every labelled constraint of a component on every row of a
 * trace (rows wrap around, as on the circle) and returns the failures, first `limit` of them.
 * Used by tests, by the prover before proving, and by the debugger.
 */
export function findConstraintFailures(
  air: ComponentAir,
  inputs: AssertInputs,
  limit = 20,
): ConstraintFailure[] {
  const { trace } = inputs;
  const n = 2 ** trace.logSize;
  if (trace.columns.length !== air.component.columns.length) {
    throw new ConstraintError(
      `component ${air.name}: trace has ${trace.columns.length} columns, the layout has ${air.component.columns.length}`,
    );
  }
  trace.columns.forEach((c, i) => {
    if (c.length !== n) {
      throw new ConstraintError(
        `component ${air.name}: column ${air.component.columns[i]} has ${c.length} rows, expected 2^${trace.logSize}`,
      );
    }
  });
  const checked = inputs.interaction
    ? [...air.constraints, ...air.logupConstraints]
    : air.constraints;
  if (checked.length === 0) return [];
  const cache = inputs.interaction ? withLogup : ownOnly;
  let compiled = cache.get(air);
  if (!compiled) {
    compiled = compileConstraints(
      checked.map((c) => c.expr),
      leafKey,
      'assert',
    );
    cache.set(air, compiled);
  }
  const cols = compiled.slots.map((key) => {
    const [kind, rest] = [key.slice(0, 1), key.slice(2)];
    if (kind === 'm') return trace.columns[Number(rest)]!;
    if (kind === 'i') return inputs.interaction!.columns[Number(rest)]!;
    const c = inputs.preprocessed(rest);
    if (c.length !== n) {
      throw new ConstraintError(
        `component ${air.name}: preprocessed column ${rest} has ${c.length} rows, the component 2^${trace.logSize}`,
      );
    }
    return c;
  });
  const params = new Uint32Array(4 * compiled.params.length);
  compiled.params.forEach((name, i) => {
    params.set(inputs.interaction!.params(name), 4 * i);
  });
  const failures: ConstraintFailure[] = [];
  const stop = new Error('limit');
  try {
    compiled.run({
      start: 0,
      end: n,
      cols,
      idx: compiled.offsets.map((o) => (o === 0 ? null : rotationIndex(n, o))),
      params,
      fail: (row, k) => {
        failures.push({ component: air.name, row, label: checked[k]!.label });
        if (failures.length >= limit) throw stop;
      },
    });
  } catch (e) {
    if (e !== stop) throw e;
  }
  return failures;
}

/** Throws a ConstraintError listing the failing rows and labels, if any. */
export function assertConstraints(air: ComponentAir, inputs: AssertInputs): void {
  const failures = findConstraintFailures(air, inputs);
  if (failures.length > 0) {
    const list = failures
      .slice(0, 5)
      .map((f) => `row ${f.row}: ${f.label}`)
      .join('; ');
    throw new ConstraintError(
      `component ${air.name}: ${failures.length}${failures.length >= 20 ? '+' : ''} constraint failure(s): ${list}`,
      { failures },
    );
  }
}
