import {
  add as addm,
  allocQM31Column,
  type Column,
  inv,
  mul as mulm,
  P,
  type QM31,
  qm31ColumnBatchInverse,
  qm31Mul,
  qm31MulInto as qmul,
  sub as subm,
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
  /** d = v0 + Σ α^i v_i - z on row r, into out[0..4). */
  const denominatorAt = (
    z: QM31,
    alphas: readonly QM31[],
    values: readonly Column[],
    r: number,
    out: number[],
  ) => {
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
    out[0] = a0 % P;
    out[1] = a1 % P;
    out[2] = a2 % P;
    out[3] = a3 % P;
  };
  const challengesOf = (rel: Relation, arity: number) => ({
    z: param(relationZ(rel)),
    alphas: Array.from({ length: arity }, (_, i) =>
      i === 0 ? ([0, 0, 0, 0] as QM31) : param(relationAlpha(rel, i)),
    ),
  });

  const columns: Column[] = [];
  const total = allocQM31Column(n); // T(r), the row totals
  const d0 = [0, 0, 0, 0];
  const d1 = [0, 0, 0, 0];
  const prod = [0, 0, 0, 0];
  air.batches.forEach((batch, k) => {
    // Per row: the batch's numerator N and denominator D (n/d for one entry, n0/d0 + n1/d1 =
    // (n0·d1 + n1·d0)/(d0·d1) for two), then D inverted for the whole column at once, then
    // the fraction N·D^-1 written in place of N.
    const parts = batch.map((i) => {
      const { entry, mult, values } = evaluated[i]!;
      return { sign: entry.sign, mult, values, ...challengesOf(entry.relation, values.length) };
    });
    const num = allocQM31Column(n);
    const den = allocQM31Column(n);
    const [N0, N1, N2, N3] = num;
    const [D0, D1, D2, D3] = den;
    const p0 = parts[0]!;
    const p1 = parts[1];
    for (let r = 0; r < n; r++) {
      const m0 = p0.mult[r]!;
      const n0 = p0.sign > 0 || m0 === 0 ? m0 : P - m0;
      denominatorAt(p0.z, p0.alphas, p0.values, r, d0);
      if (p1 === undefined) {
        N0[r] = n0;
        D0[r] = d0[0]!;
        D1[r] = d0[1]!;
        D2[r] = d0[2]!;
        D3[r] = d0[3]!;
        continue;
      }
      const m1 = p1.mult[r]!;
      const n1 = p1.sign > 0 || m1 === 0 ? m1 : P - m1;
      denominatorAt(p1.z, p1.alphas, p1.values, r, d1);
      N0[r] = addm(mulm(n0, d1[0]!), mulm(n1, d0[0]!));
      N1[r] = addm(mulm(n0, d1[1]!), mulm(n1, d0[1]!));
      N2[r] = addm(mulm(n0, d1[2]!), mulm(n1, d0[2]!));
      N3[r] = addm(mulm(n0, d1[3]!), mulm(n1, d0[3]!));
      qmul(d0[0]!, d0[1]!, d0[2]!, d0[3]!, d1[0]!, d1[1]!, d1[2]!, d1[3]!, prod, 0);
      D0[r] = prod[0]!;
      D1[r] = prod[1]!;
      D2[r] = prod[2]!;
      D3[r] = prod[3]!;
    }
    try {
      qm31ColumnBatchInverse(den);
    } catch {
      throw new KernelError(
        `component ${air.name}: a LogUp denominator is zero (negligible odds); prove again`,
      );
    }
    const [T0, T1, T2, T3] = total;
    for (let r = 0; r < n; r++) {
      qmul(N0[r]!, N1[r]!, N2[r]!, N3[r]!, D0[r]!, D1[r]!, D2[r]!, D3[r]!, prod, 0);
      N0[r] = prod[0]!;
      N1[r] = prod[1]!;
      N2[r] = prod[2]!;
      N3[r] = prod[3]!;
      T0[r] = addm(T0[r]!, prod[0]!);
      T1[r] = addm(T1[r]!, prod[1]!);
      T2[r] = addm(T2[r]!, prod[2]!);
      T3[r] = addm(T3[r]!, prod[3]!);
    }
    if (k < air.batches.length - 1) columns.push(...num);
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
