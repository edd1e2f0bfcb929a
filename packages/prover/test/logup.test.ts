import { qm31Add, qm31MulM31 } from '@nexus/field';
import { blake2s } from '@nexus/hash-blake2s';
import {
  assembleSystem,
  CLAIMED_OVER_N,
  createChannel,
  drawLogupChallenges,
  findConstraintFailures,
  inverseRowCount,
} from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { interactionTrace } from '../src/index.js';
import { consumerComponent, producerComponent, squaresPlugin } from './examples.js';

describe('LogUp interaction traces', () => {
  const system = assembleSystem([blake2s(), squaresPlugin()]);
  const channel = createChannel(system.hash);
  channel.mixU32s([42]);
  const challenges = drawLogupChallenges(channel, system.relations);
  const xs = [1, 2, 3, 3, 7];
  const traces = {
    'square-consumer': consumerComponent.generateTrace!({ logSize: 3, xs }),
    'square-table': producerComponent.generateTrace!({ logSize: 4, uses: xs }),
  };

  const build = (name: 'square-consumer' | 'square-table') => {
    const air = system.components.find((c) => c.name === name)!;
    const trace = traces[name];
    const it = interactionTrace(
      air,
      trace.logSize,
      (key) => trace.columns[Number(key.slice(2))]!,
      challenges,
    );
    const params = (p: string) =>
      p === CLAIMED_OVER_N
        ? qm31MulM31(it.claimedSum, inverseRowCount(trace.logSize))
        : challenges.params.get(p)!;
    return { air, trace, it, params };
  };

  it('satisfy the derived LogUp constraints on every row, and the claimed sums cancel', () => {
    const c = build('square-consumer');
    const p = build('square-table');
    for (const { air, trace, it, params } of [c, p]) {
      expect(it.columns).toHaveLength(air.interactionColumns);
      const failures = findConstraintFailures(air, {
        trace,
        preprocessed: () => new Uint32Array(0),
        interaction: { columns: it.columns, params },
      });
      expect(failures).toEqual([]);
    }
    expect(qm31Add(c.it.claimedSum, p.it.claimedSum)).toEqual([0, 0, 0, 0]);
  });

  it('a changed interaction cell breaks a labelled LogUp constraint', () => {
    const { air, trace, it, params } = build('square-consumer');
    const cols = it.columns.map((c) => c.slice());
    cols[0]![5] = (cols[0]![5]! + 1) % 2147483647;
    const failures = findConstraintFailures(air, {
      trace,
      preprocessed: () => new Uint32Array(0),
      interaction: { columns: cols, params },
    });
    expect(failures.map((f) => f.row)).toContain(5);
    expect(failures[0]!.label).toMatch(/^logup batch 0/);
  });
});
