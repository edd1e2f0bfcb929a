import {
  add as addm,
  allocQM31Column,
  type Column,
  inv,
  mul as mulm,
  P,
  type QM31,
  type QM31Column,
  qm31ColumnBatchInverse,
  qm31Mul,
  qm31MulInto as qmul,
  sub as subm,
} from '@nexus/field';
import {
  busEntryCode,
  type ComponentAir,
  KernelError,
  type LogupChallenges,
  type Relation,
  relationAlpha,
  relationZ,
  rotationIndex,
} from '@nexus/kernel';

export interface InteractionTrace {
  /** 4 M31 columns per batch, row order. */
  readonly columns: Column[];
  readonly claimedSum: QM31;
}

/** A bus entry's multiplicity and tuple values at every point of a domain. */
export interface EvaluatedEntry {
  readonly sign: 1 | -1;
  readonly relation: Relation;
  readonly mult: Column;
  readonly values: readonly Column[];
}

/**
 * Every bus entry's multiplicity and tuple values at n points, by the compiled write-mode
 * code (base-field expressions only, so the code stays small and is compiled once per
 * component for both the trace rows and the extended domain). `idx(offset)` maps a point to
 * the point `offset` rows on (null for offset 0).
 */
export function evaluateEntries(
  air: ComponentAir,
  n: number,
  column: (key: string) => Column,
  idx: (offset: number) => Int32Array | null,
): EvaluatedEntry[] {
  const compiled = busEntryCode(air);
  const outs = air.entries
    .flatMap((e) => [e.multiplicity, ...e.values])
    .map(() => new Uint32Array(n));
  compiled.run({
    start: 0,
    end: n,
    cols: compiled.slots.map(column),
    idx: compiled.offsets.map(idx),
    params: new Uint32Array(0),
    outs,
  });
  let cursor = 0;
  return air.entries.map((e) => {
    const mult = outs[cursor++]!;
    const values = e.values.map(() => outs[cursor++]!);
    return { sign: e.sign, relation: e.relation, mult, values };
  });
}

/**
 * A batch's fraction n0/d0 (+ n1/d1) at every point as numerator N and denominator D (for
 * two entries N = n0·d1 + n1·d0 and D = d0·d1), with n = sign·multiplicity and
 * d = v0 + Σ α^i·v_i - z: the terms of both the interaction trace (N·D^-1) and the LogUp
 * constraint (value·D - N).
 */
export function batchFraction(
  parts: readonly EvaluatedEntry[],
  n: number,
  param: (name: string) => QM31,
): { num: QM31Column; den: QM31Column } {
  const challenges = parts.map((p) => ({
    z: param(relationZ(p.relation)),
    alphas: p.values.map((_, i) =>
      i === 0 ? ([0, 0, 0, 0] as QM31) : param(relationAlpha(p.relation, i)),
    ),
  }));
  /** d = v0 + Σ α^i v_i - z on row r, into out[0..4). */
  const denominatorAt = (k: number, r: number, out: number[]) => {
    const { z, alphas } = challenges[k]!;
    const values = parts[k]!.values;
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
  const num = allocQM31Column(n);
  const den = allocQM31Column(n);
  const [N0, N1, N2, N3] = num;
  const [D0, D1, D2, D3] = den;
  const d0 = [0, 0, 0, 0];
  const d1 = [0, 0, 0, 0];
  const prod = [0, 0, 0, 0];
  const p0 = parts[0]!;
  const p1 = parts[1];
  for (let r = 0; r < n; r++) {
    const m0 = p0.mult[r]!;
    const n0 = p0.sign > 0 || m0 === 0 ? m0 : P - m0;
    denominatorAt(0, r, d0);
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
    denominatorAt(1, r, d1);
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
  return { num, den };
}

/** The LogUp challenge of a parameter name, or a KernelError naming it. */
export function challengeParam(challenges: LogupChallenges): (name: string) => QM31 {
  return (name) => {
    const v = challenges.params.get(name);
    if (!v) throw new KernelError(`missing LogUp challenge ${name}`);
    return v;
  };
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
  const evaluated = evaluateEntries(air, n, column, (o) => (o === 0 ? null : rotationIndex(n, o)));
  const param = challengeParam(challenges);

  const columns: Column[] = [];
  const total = allocQM31Column(n); // T(r), the row totals
  const prod = [0, 0, 0, 0];
  air.batches.forEach((batch, k) => {
    // The batch's N and D, then D inverted for the whole column at once, then the fraction
    // N·D^-1 written in place of N.
    const { num, den } = batchFraction(
      batch.map((i) => evaluated[i]!),
      n,
      param,
    );
    const [N0, N1, N2, N3] = num;
    const [D0, D1, D2, D3] = den;
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
