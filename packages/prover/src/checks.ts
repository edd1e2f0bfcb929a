import type { Column } from '@nexus/field';
import {
  assertConstraints,
  type CompiledConstraints,
  type ComponentAir,
  type ComponentTrace,
  compileConstraints,
  leafKey,
  rotationIndex,
} from '@nexus/kernel';
import { constraintPool, runConstraintJob } from './constraint-jobs.js';
import type { ProverPool } from './pool.js';
import { share } from './shared.js';

const assertCode = new WeakMap<ComponentAir, CompiledConstraints>();

/**
 * kernel assertConstraints (every constraint holds on every trace row, else a ConstraintError
 * naming rows and labels), with the rows split over the pool where that pays
 * (constraint-jobs.ts). The threads only look for a failing row; if one is
 * found, assertConstraints runs again here to name them, so the error is the one-thread error.
 */
export function checkConstraintsOn(
  pool: ProverPool | null,
  air: ComponentAir,
  trace: ComponentTrace,
  preprocessed: (id: string) => Column,
): void {
  const n = 2 ** trace.logSize;
  const parallel = constraintPool(pool, n);
  if (parallel === null || air.constraints.length === 0) {
    assertConstraints(air, { trace, preprocessed });
    return;
  }
  let compiled = assertCode.get(air);
  if (compiled === undefined) {
    compiled = compileConstraints(
      air.constraints.map((c) => c.expr),
      leafKey,
      'assert',
    );
    assertCode.set(air, compiled);
  }
  const cols = compiled.slots.map((key) =>
    key.startsWith('m:') ? trace.columns[Number(key.slice(2))] : preprocessed(key.slice(2)),
  );
  // A shape assertConstraints refuses (it names what is wrong): leave it to it.
  if (cols.some((c) => c === undefined || c.length !== n)) {
    assertConstraints(air, { trace, preprocessed });
    return;
  }
  const failed = new Int32Array(new SharedArrayBuffer(4));
  const args = {
    cols: cols.map((c) => share(c!)),
    idx: compiled.offsets.map((o) => (o === 0 ? null : share(rotationIndex(n, o)))),
    params: new Uint32Array(0),
  };
  runConstraintJob(parallel, 'assert', compiled, args, n, failed);
  if (Atomics.load(failed, 0) !== 0) assertConstraints(air, { trace, preprocessed });
}
