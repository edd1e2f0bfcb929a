import { type QM31, qm31Mul } from '@nexus/field';
import type { PcsConfig } from './config.js';
import { KernelError } from './errors.js';

/*
 * The FRI fold schedule and how smaller quotients join it, shared by prover and verifier.
 *
 * Soundness of a join inside a step. A committed inner layer holds an evaluation F at level L;
 * the step folds it s times with one challenge a (a, a^2, ..., a^(2^(s-1))), and a quotient Q
 * of log size D joins at level J = D - 1, after t of those folds (rest r = s - t left). Every
 * fold is linear, so the value the next layer (or the last layer) must match at a position is
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
  /** The committed inner layer (index into `steps`) during whose folds it joins. */
  readonly step: number;
  /** Line folds of that step done before it joins: 1 to the step's fold count. */
  readonly after: number;
  /**
   * Folds of the step left after it joins (the step's count minus `after`): layer 0 stores
   * this quotient in leaves of 2^(rest+1) consecutive values, the sub-coset those folds need.
   */
  readonly rest: number;
}

/** The FRI schedule: fold counts of the committed inner layers and where each quotient joins. */
export interface FriSchedule {
  /** Line folds of each committed inner layer, in order. */
  readonly steps: readonly number[];
  /** One per quotient after the largest, in the order given. */
  readonly joins: readonly FriJoin[];
}

/**
 * The FRI schedule both sides derive. After the circle fold of the largest quotient (log size
 * D0), line folds run from level D0 - 1 in steps of `friFoldStep` (the last step shorter) down to
 * the last layer's level, logLastLayerDegreeBound + logBlowup. A smaller quotient of log size D
 * joins at level D - 1 (its circle fold's log size), wherever that falls in a step: steps are
 * not cut at joins, so a proof has about (D0 - 1 - last) / friFoldStep inner layers whatever the
 * component sizes (issue 12: cutting at every join made nearly every step one fold).
 *
 * @example friSchedule([20, 15], { ...SECURITY.standard, friFoldStep: 3 })
 * // steps [3, 3, 3, 3, 3, 3]; the 15 joins at level 14, 2 folds into step 1 (19 -> 16 -> 13), 1 left
 * @param quotientLogs log sizes of the quotient evaluations, distinct, largest first
 * @throws KernelError when the sizes are not distinct and descending, or a quotient would join
 *   below the last layer
 */
export function friSchedule(quotientLogs: readonly number[], config: PcsConfig): FriSchedule {
  const last = config.logLastLayerDegreeBound + config.logBlowup;
  const steps: number[] = [];
  const ends: number[] = []; // level after each step
  let level = quotientLogs[0]! - 1;
  while (level > last) {
    const s = Math.min(config.friFoldStep, level - last);
    steps.push(s);
    level -= s;
    ends.push(level);
  }
  const joins = quotientLogs.slice(1).map((d, i): FriJoin => {
    if (!(d < quotientLogs[i]!)) {
      throw new KernelError('FRI quotient log sizes must be distinct and descending', {
        quotientLogs,
      });
    }
    const j = d - 1;
    const step = ends.findIndex((end) => end <= j);
    if (j < last || step < 0) {
      throw new KernelError(
        `a quotient of log size ${d} would join FRI below its last layer (level ${last})`,
        { quotientLogs },
      );
    }
    const rest = j - ends[step]!;
    return { step, after: steps[step]! - rest, rest };
  });
  return { steps, joins };
}

/**
 * The circle-fold challenge and the weight of a quotient joining `after` folds into a step of
 * `s` folds drawn with `a`: challenge a^(2^(after-1)) (the fold just made), weight
 * (a^(2^s))^(s - after + 1). Distinct joins of one step get disjoint exponent ranges (the
 * soundness note at the top of this file).
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
