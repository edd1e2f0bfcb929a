import {
  allocQM31Column,
  type Column,
  inv,
  P,
  type QM31,
  type QM31Column,
  qm31ColumnBatchInverse,
  qm31Mul,
} from '@nexus/field';
import {
  type CompiledConstraints,
  type ComponentAir,
  compileConstraints,
  type Expr,
  KernelError,
  type LogupChallenges,
  leafKey,
  type Relation,
  relationAlpha,
  relationZ,
  rotationIndex,
} from '@nexus/kernel';
import { addm, mulm, qmul, subm } from './qm31-inline.js';

const entryCache = new WeakMap<ComponentAir, CompiledConstraints>();

/** The component's bus tuples and multiplicities compiled once (write mode), then reused. */
function compiledEntries(air: ComponentAir, roots: readonly Expr[]): CompiledConstraints {
  let c = entryCache.get(air);
  if (!c) {
    c = compileConstraints(roots, leafKey, 'write');
    entryCache.set(air, c);
  }
  return c;
}

export interface InteractionTrace {
  /** 4 M31 columns per batch, row order. */
  readonly columns: Column[];
  readonly claimedSum: QM31;
}

/**
 * Builds a component's interaction trace (see air.ts for the constraints it satisfies):
 * per batch the fraction column, the last batch replaced by the shifted running sum.
 */
export function interactionTrace(
  air: ComponentAir,
  logSize: number,
  column: (key: string) => Column,
  challenges: LogupChallenges,
): InteractionTrace {
  const n = 2 ** logSize;
  if (air.entries.length === 0) return { columns: [], claimedSum: [0, 0, 0, 0] };
  // Evaluate every tuple value and multiplicity on every row with the compiled evaluator.
  const roots = air.entries.flatMap((e) => [e.multiplicity, ...e.values]);
  const compiled = compiledEntries(air, roots);
  const outs = roots.map(() => new Uint32Array(n));
  compiled.run({
    start: 0,
    end: n,
    cols: compiled.slots.map(column),
    idx: compiled.offsets.map((o) => (o === 0 ? null : rotationIndex(n, o))),
    params: new Uint32Array(0),
    outs,
  });
  let cursor = 0;
  const evaluated = air.entries.map((e) => {
    const mult = outs[cursor++]!;
    const values = e.values.map(() => outs[cursor++]!);
    return { entry: e, mult, values };
  });

  const param = (name: string) => {
    const v = challenges.params.get(name);
    if (!v) throw new KernelError(`missing LogUp challenge ${name}`);
    return v;
  };
  /** d = v0 + Σ α^i v_i - z as a QM31 column. */
  const denominator = (rel: Relation, values: Column[]): QM31Column => {
    const d = allocQM31Column(n);
    const z = param(relationZ(rel));
    const alphas = values.map((_, i) => (i === 0 ? null : param(relationAlpha(rel, i))));
    for (let r = 0; r < n; r++) {
      let a0 = values[0]![r]! + P - z[0];
      let a1 = P - z[1];
      let a2 = P - z[2];
      let a3 = P - z[3];
      for (let i = 1; i < values.length; i++) {
        const v = values[i]![r]!;
        const al = alphas[i]!;
        a0 += mulm(al[0], v);
        a1 += mulm(al[1], v);
        a2 += mulm(al[2], v);
        a3 += mulm(al[3], v);
      }
      d[0][r] = a0 % P;
      d[1][r] = a1 % P;
      d[2][r] = a2 % P;
      d[3][r] = a3 % P;
    }
    return d;
  };

  const columns: Column[] = [];
  const total = allocQM31Column(n); // T(r), the row totals
  const scratch = new Uint32Array(4);
  air.batches.forEach((batch, k) => {
    const parts = batch.map((i) => {
      const { entry, mult, values } = evaluated[i]!;
      const num = new Uint32Array(n);
      for (let r = 0; r < n; r++)
        num[r] = entry.sign > 0 ? mult[r]! : mult[r] === 0 ? 0 : P - mult[r]!;
      return { num, den: denominator(entry.relation, values) };
    });
    const frac = allocQM31Column(n);
    if (parts.length === 1) {
      const { num, den } = parts[0]!;
      for (let c = 0; c < 4; c++) frac[c]!.set(den[c]!);
      try {
        qm31ColumnBatchInverse(frac);
      } catch {
        throw new KernelError(
          `component ${air.name}: a LogUp denominator is zero (negligible odds); prove again`,
        );
      }
      for (let r = 0; r < n; r++)
        for (let c = 0; c < 4; c++) frac[c]![r] = mulm(frac[c]![r]!, num[r]!);
    } else {
      const [p0, p1] = parts as [(typeof parts)[0], (typeof parts)[0]];
      const den = allocQM31Column(n);
      for (let r = 0; r < n; r++) {
        qmul(
          p0.den[0][r]!,
          p0.den[1][r]!,
          p0.den[2][r]!,
          p0.den[3][r]!,
          p1.den[0][r]!,
          p1.den[1][r]!,
          p1.den[2][r]!,
          p1.den[3][r]!,
          scratch,
          0,
        );
        for (let c = 0; c < 4; c++) den[c]![r] = scratch[c]!;
      }
      try {
        qm31ColumnBatchInverse(den);
      } catch {
        throw new KernelError(
          `component ${air.name}: a LogUp denominator is zero (negligible odds); prove again`,
        );
      }
      for (let r = 0; r < n; r++) {
        // num = n0·d1 + n1·d0
        const n0 = p0.num[r]!;
        const n1 = p1.num[r]!;
        const u0 = addm(mulm(n0, p1.den[0][r]!), mulm(n1, p0.den[0][r]!));
        const u1 = addm(mulm(n0, p1.den[1][r]!), mulm(n1, p0.den[1][r]!));
        const u2 = addm(mulm(n0, p1.den[2][r]!), mulm(n1, p0.den[2][r]!));
        const u3 = addm(mulm(n0, p1.den[3][r]!), mulm(n1, p0.den[3][r]!));
        qmul(u0, u1, u2, u3, den[0][r]!, den[1][r]!, den[2][r]!, den[3][r]!, scratch, 0);
        for (let c = 0; c < 4; c++) frac[c]![r] = scratch[c]!;
      }
    }
    for (let c = 0; c < 4; c++) {
      const t = total[c]!;
      const f = frac[c]!;
      for (let r = 0; r < n; r++) t[r] = addm(t[r]!, f[r]!);
    }
    if (k < air.batches.length - 1) columns.push(...frac);
  });

  // claimed = Σ_r T(r); S(r) = Σ_{r' <= r} T(r') - (r + 1)·claimed/N.
  const claimed: number[] = [0, 0, 0, 0];
  for (let c = 0; c < 4; c++) {
    let acc = 0;
    const t = total[c]!;
    for (let r = 0; r < n; r++) {
      acc += t[r]!;
      if ((r & 0xfffff) === 0xfffff) acc %= P;
    }
    claimed[c] = acc % P;
  }
  const invN = inv(n % P);
  const step = claimed.map((v) => mulm(v, invN));
  const running = allocQM31Column(n);
  for (let c = 0; c < 4; c++) {
    let acc = 0;
    const t = total[c]!;
    const s = running[c]!;
    for (let r = 0; r < n; r++) {
      acc = subm(addm(acc, t[r]!), step[c]!);
      s[r] = acc;
    }
  }
  columns.push(...running);
  return { columns, claimedSum: claimed as unknown as QM31 };
}

/** claimed/N for a component of log size n. */
export function claimedOverN(claimed: QM31, logSize: number): QM31 {
  return qm31Mul(claimed, [inv(2 ** logSize % P), 0, 0, 0]);
}
