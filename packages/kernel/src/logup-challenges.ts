import { type QM31, qm31Pow } from '@nexus/field';
import { relationAlpha, relationZ } from './air.js';
import type { Channel } from './channel.js';
import type { Relation } from './relation.js';

/** The LogUp challenges: per relation, z and the powers of α. */
export interface LogupChallenges {
  /** Parameter values by name (`z:<rel>`, `alpha<i>:<rel>`), for the constraint evaluators. */
  readonly params: ReadonlyMap<string, QM31>;
}

/** Draws (z, α) for every relation, in the system's (sorted) relation order. */
export function drawLogupChallenges(
  channel: Channel,
  relations: readonly Relation[],
): LogupChallenges {
  const params = new Map<string, QM31>();
  for (const rel of relations) {
    const z = channel.drawQM31();
    const alpha = channel.drawQM31();
    params.set(relationZ(rel), z);
    for (let i = 1; i < rel.arity; i++) params.set(relationAlpha(rel, i), qm31Pow(alpha, i));
  }
  return { params };
}
