import { type QM31, qm31Mul } from '@nexus/field';
import type { PcsConfig } from './config.js';
import { KernelError } from './errors.js';

/*
 * The FRI fold schedule and how smaller quotients join it, shared by prover and verifier.
 *
 * Each committed layer is followed by a step of s folds with one challenge a drawn after its
 * root: a, a^2, ..., a^(2^(s-1)). Layer 0 commits the DEEP quotients; its step starts with the
 * circle fold of the largest one (circle -> line) and goes on with s - 1 line folds, so the
 * verifier folds that quotient from its layer-0 leaf and no layer is committed at the first line
 * level. An inner layer commits the line evaluation its step then folds s times.
 *
 * Soundness of a join inside a step. A layer holds an evaluation F (for layer 0, the largest
 * quotient), and a quotient Q of log size D joins at line level J = D - 1, after t of the
 * step's folds (rest r = s - t left). Every fold is linear, so the value the next layer (or the
 * last layer) must match at a position is
 *
 *   Σ_{m < 2^s} a^m·F_m + a^w·Σ_{n < 2^r} a^(2^t·n)·(Q0_n + a^(2^(t-1))·Q1_n),
 *
 * where F_m are the 2^s sub-functions of F on the coset, Q0, Q1 the even and odd parts of Q's
 * circle fold (f0, f1 in foldCirclePair) and Q0_n, Q1_n their 2^r sub-functions under the r
 * folds left: all fixed by commitments made before a is drawn (F by this layer's root, Q by
 * layer 0's root, drawn before every FRI challenge). With w = (r + 1)·2^s (`joinChallenges`)
 * the exponents are pairwise distinct: F takes [0, 2^s); a join with r left takes
 * [w, w + 2^s), a range no other join of the step (another r) meets; inside it Q0_n takes
 * multiples of 2^t and Q1_n odd multiples of 2^(t-1). So the step is a random linear
 * combination, in powers of one challenge a of degree < (s + 1)·2^s <= 80, of functions that are
 * each close to low degree when the committed ones are: the proximity gap for such
 * combinations (BCIKS20, correlated agreement over curves) bounds the error by that degree
 * times the usual term over |QM31| = 2^124. A weight that reused an exponent of F (a^(2^t), say)
 * would let F's and Q's deviations cancel in one coefficient; distinct exponents rule it out.
 * With r = 0 (a join at the step's end) it is the join of a fold step cut at the join: weight
 * a^(2^s), challenge a^(2^(s-1)).
 */

/** Where a smaller quotient joins the FRI fold chain (see {@link friSchedule}). */
export interface FriJoin {
  /** The committed layer (index into `folds`; 0 is layer 0) during whose step it joins. */
  readonly layer: number;
  /** Folds of that step done before it joins: 1 to the step's fold count. */
  readonly after: number;
  /**
   * Folds of the step left after it joins (the step's count minus `after`): layer 0 stores
   * this quotient in leaves of 2^(rest+1) consecutive values, the sub-coset those folds need.
   */
  readonly rest: number;
}

/** The FRI schedule: the folds after each committed layer and where each quotient joins. */
export interface FriSchedule {
  /**
   * Folds of each committed layer's step, layer 0 first (its first fold is the largest
   * quotient's circle fold; layer 0 stores that quotient in leaves of 2^folds[0] values).
   */
  readonly folds: readonly number[];
  /** One per quotient after the largest, in the order given. */
  readonly joins: readonly FriJoin[];
}

/**
 * The FRI schedule both sides derive. From the largest quotient's circle domain (log size D0)
 * the folds run down to the last layer's line level, logLastLayerDegreeBound + logBlowup, in
 * steps of 1 to `friFoldStep` folds, one step per committed layer (layer 0's step starting with
 * the circle fold). A smaller quotient of log size D joins at line level D - 1 (its circle
 * fold's log size), wherever that falls in a step: steps are not cut at joins (issue 12: cutting
 * at every join made nearly every step one fold, and the zkVM has quotients at nearly every
 * size).
 *
 * The steps are the ones that minimise the FRI part of the proof under a byte model in exact
 * integers (so every engine picks the same, ties going to the longer step): `nQueries`
 * positions, at most 2^h distinct at level h; a step L -> L - s costs its layer's root, coset
 * values and Merkle witness, and a quotient joining r folds before a step ends costs the
 * 2^(r+1) - 2 values its layer-0 leaf holds beyond a pair (`stepCost`). Cheaper layers near the
 * bottom make the short steps there; at 2^18 rows this model was within 2% of measured proofs.
 *
 * @example friSchedule([18, 17, 16, 15, 14, 13, 12, 11, 10, 8, 7, 6, 5], SECURITY.standard)
 * // folds [3, 2, 2, 2, 2, 3, 3]: layer 0's step folds the 18 (circle) to line level 15, the 17
 * // joining 2 folds into it (1 left: layer 0 holds it in leaves of 4 values), ...
 * @param quotientLogs log sizes of the quotient evaluations, distinct, largest first
 * @throws KernelError when the sizes are not distinct and descending, or a quotient would join
 *   below the last layer
 */
export function friSchedule(quotientLogs: readonly number[], config: PcsConfig): FriSchedule {
  const last = config.logLastLayerDegreeBound + config.logBlowup;
  const top = quotientLogs[0]!;
  if (!(top - 1 >= last)) {
    throw new KernelError(
      `the largest quotient (log size ${top}) is smaller than the FRI last layer (level ${last})`,
      { quotientLogs },
    );
  }
  quotientLogs.slice(1).forEach((d, i) => {
    if (!(d < quotientLogs[i]!)) {
      throw new KernelError('FRI quotient log sizes must be distinct and descending', {
        quotientLogs,
      });
    }
    if (d - 1 < last) {
      throw new KernelError(
        `a quotient of log size ${d} would join FRI below its last layer (level ${last})`,
        { quotientLogs },
      );
    }
  });
  const joinLevels = quotientLogs.slice(1).map((d) => d - 1);
  // best[L]: the least cost from level L down to the last layer; choice[L]: its first step.
  // Level top is the circle domain: the step from it starts with the circle fold.
  const best: number[] = [];
  const choice: number[] = [];
  best[last] = 0;
  for (let L = last + 1; L <= top; L++) {
    best[L] = Number.POSITIVE_INFINITY;
    for (let s = Math.min(config.friFoldStep, L - last); s >= 1; s--) {
      const c = stepCost(L, s, joinLevels, config.nQueries) + best[L - s]!;
      if (c < best[L]!) {
        best[L] = c;
        choice[L] = s;
      }
    }
  }
  const folds: number[] = [];
  const ends: number[] = []; // level after each step
  for (let level = top; level > last; ) {
    const s = choice[level]!;
    folds.push(s);
    level -= s;
    ends.push(level);
  }
  const joins = joinLevels.map((j): FriJoin => {
    const layer = ends.findIndex((end) => end <= j);
    const rest = j - ends[layer]!;
    return { layer, after: folds[layer]! - rest, rest };
  });
  return { folds, joins };
}

/**
 * The byte model of a step from level L to L - s, in units of 16 bytes (a QM31 value; a digest
 * is 2): root, witness digests (a tree of height L - s whose leaves are the cosets), coset values
 * not computed by the fold before, and the extra layer-0 values of the quotients joining in it.
 */
function stepCost(L: number, s: number, joinLevels: readonly number[], queries: number): number {
  const n = (h: number) => Math.min(queries, 2 ** h); // distinct positions at level h, at most
  let digests = 1;
  for (let h = 1; h <= L - s; h++) digests += 2 * n(h - 1) - n(h);
  let values = n(L - s) * 2 ** s - n(L);
  for (const j of joinLevels) {
    if (j < L - s || j >= L) continue;
    const rest = j - (L - s);
    values += n(j - rest) * 2 ** (rest + 1) - 2 * n(j);
  }
  return 2 * digests + values;
}

/**
 * The circle-fold challenge and the weight of a quotient joining `after` folds into a step of
 * `s` folds drawn with `a`: challenge a^(2^(after-1)) (the fold just made), weight
 * (a^(2^s))^(s - after + 1). Distinct joins of one step get disjoint exponent ranges (the
 * soundness note at the top of this file).
 *
 * @example joinChallenges(a, 3, 2) // { challenge: a^2, weight: a^16 }: 2 folds into a step of 3
 */
export function joinChallenges(
  a: QM31,
  s: number,
  after: number,
): { readonly challenge: QM31; readonly weight: QM31 } {
  let challenge = a;
  for (let t = 1; t < after; t++) challenge = qm31Mul(challenge, challenge);
  let top = a;
  for (let t = 0; t < s; t++) top = qm31Mul(top, top);
  let weight = top;
  for (let k = 0; k < s - after; k++) weight = qm31Mul(weight, top);
  return { challenge, weight };
}
