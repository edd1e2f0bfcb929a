import { describe, expect, it } from 'vitest';
import {
  columnRef,
  compileConstraints,
  type Expr,
  leafKey,
  MAIN_TREE,
  param,
  preprocessedRef,
} from '../src/index.js';

/** Constraints over three columns at two offsets, a preprocessed column and a parameter. */
function constraints(): Expr[] {
  const x = columnRef(MAIN_TREE, 0, 0);
  const y = columnRef(MAIN_TREE, 1, 1);
  const z = columnRef(MAIN_TREE, 2, -1);
  const t = preprocessedRef('table', 0);
  return [x.mul(x.sub(1)), x.mul(y).sub(z), y.add(t).mul(param('alpha')), z.sub(t).mul(x)];
}

describe('compileConstraints', () => {
  it('reuses the order and tables of equal roots compiled before, in any mode', () => {
    const roots = constraints();
    const asserted = compileConstraints(roots, leafKey, 'assert');
    // What the prover does: the composition compiles an equal array of the same roots.
    const accumulated = compileConstraints([...roots], leafKey, 'accumulate');
    expect(accumulated.slots).toBe(asserted.slots);
    // Made anew (another leaf key function): the same tables and the same program.
    const fresh = compileConstraints(roots, (e) => leafKey(e), 'accumulate');
    expect(fresh.slots).not.toBe(asserted.slots);
    expect([fresh.slots, fresh.offsets, fresh.params]).toEqual([
      accumulated.slots,
      accumulated.offsets,
      accumulated.params,
    ]);
    expect(fresh.program).toEqual(accumulated.program);
  });

  it('makes its own tables for other roots that start with the same constraint', () => {
    const roots = constraints();
    const all = compileConstraints(roots, leafKey, 'assert');
    const fewer = [roots[0]!, roots[1]!];
    const some = compileConstraints(fewer, leafKey, 'assert');
    expect(some.slots).not.toBe(all.slots);
    expect(some.slots).toEqual(['m:0', 'm:1', 'm:2']);
    expect(some.params).toEqual([]);
    expect(some.program).toEqual(compileConstraints(fewer, (e) => leafKey(e), 'assert').program);
    // Same length, one root different.
    const swapped = [roots[0]!, roots[1]!, roots[3]!, roots[2]!];
    expect(compileConstraints(swapped, leafKey, 'assert').slots).not.toBe(all.slots);
  });
});
