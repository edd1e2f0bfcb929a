import { blake2s } from '@nexus/hash-blake2s';
import {
  assembleSystem,
  friSchedule,
  type joinChallenges,
  makeStatement,
  type PcsConfig,
  proofShape,
  SECURITY,
  VerificationError,
} from '@nexus/kernel';
import { verify } from '@nexus/verifier';
import { describe, expect, it, vi } from 'vitest';
import { prove } from '../src/index.js';
import {
  consumerComponent,
  le32,
  producerComponent,
  rampComponent,
  rampPlugin,
  squaresPlugin,
  wideFibComponent,
  wideFibPlugin,
} from './examples.js';

// Smaller DEEP quotients join the FRI fold chain inside a fold step (kernel fri.ts). A
// dishonest join is played by the prover under test (this file's src import) through a
// replaced joinChallenges; the verifier (its built dist, loaded natively, vitest.shared.ts)
// keeps the real one, so a rejection here is the real verifier catching the prover's join.
const rule = vi.hoisted(() => ({
  join: null as null | typeof joinChallenges,
}));
vi.mock('@nexus/kernel', async (importOriginal) => {
  const real = await importOriginal<typeof import('@nexus/kernel')>();
  return {
    ...real,
    joinChallenges: (a: Parameters<typeof real.joinChallenges>[0], s: number, after: number) =>
      (rule.join ?? real.joinChallenges)(a, s, after),
  };
});

const system = assembleSystem([blake2s(), squaresPlugin(), wideFibPlugin(8), rampPlugin()]);
const statement = makeStatement({ a: le32(3), b: le32(5) });
const xs = [4, 4, 5];
const traces = () => ({
  'wide-fib': wideFibComponent(8).generateTrace!({ logSize: 9, a: 3, b: 5 }),
  'ramp-sum': rampComponent.generateTrace!({}),
  'square-consumer': consumerComponent.generateTrace!({ logSize: 2, xs }),
  'square-table': producerComponent.generateTrace!({ logSize: 3, uses: xs }),
});
const lenient = { minSecurityBits: 0 };

/** The check that rejected the proof, or 'accepted'. */
function outcome(config: PcsConfig): string {
  const proof = prove(system, { statement, traces: traces() }, { config });
  try {
    verify(system, proof, statement, { ...lenient, configs: [config] });
  } catch (e) {
    if (e instanceof VerificationError) return e.message;
    throw e;
  }
  return 'accepted';
}

/** The quotient log sizes of a proof at `config`: every committed column size plus the blowup. */
function quotientLogs(config: PcsConfig): number[] {
  const proof = prove(system, { statement, traces: traces() }, { config });
  const shape = proofShape(system, proof.componentSizes, config);
  const sizes = new Set(shape.trees.flatMap((cols) => cols.map((c) => c.logSize)));
  return [...sizes].map((k) => k + config.logBlowup).sort((x, y) => y - x);
}

describe('FRI joins inside fold steps', () => {
  it('the example system has quotients joining inside a step at the standard config', () => {
    const { joins } = friSchedule(quotientLogs(SECURITY.standard), SECURITY.standard);
    expect(joins.some((j) => j.rest > 0)).toBe(true);
  });

  it('proves and verifies with joins at every depth of a step (fold steps 1-4, blowups 1-3, last layers 0-1)', () => {
    for (const friFoldStep of [1, 2, 3, 4]) {
      for (const logBlowup of [1, 2, 3]) {
        for (const logLastLayerDegreeBound of [0, 1]) {
          const config = {
            ...SECURITY.test,
            name: 'custom',
            friFoldStep,
            logBlowup,
            logLastLayerDegreeBound,
          };
          expect(outcome(config), JSON.stringify(config)).toBe('accepted');
        }
      }
    }
  });

  it('the replaced joinChallenges is the real one unless a test says otherwise (the control)', () => {
    rule.join = null;
    expect(outcome(SECURITY.standard)).toBe('accepted');
  });

  it('a prover joining inside a step with a weight that reuses a fold exponent (a^(2^t)) is rejected', async () => {
    const { qm31Mul } = await import('@nexus/field');
    rule.join = (a, _s, after) => {
      let challenge = a;
      for (let t = 1; t < after; t++) challenge = qm31Mul(challenge, challenge);
      // The naive extension of a step-end join: weight = challenge^2. At the step's end it is
      // the real rule's a^(2^s); inside a step it collides with the line part's exponents.
      return { challenge, weight: qm31Mul(challenge, challenge) };
    };
    try {
      const { joins } = friSchedule(quotientLogs(SECURITY.standard), SECURITY.standard);
      // The rule differs from the real one only for the joins inside a step.
      expect(joins.some((j) => j.rest > 0)).toBe(true);
      expect(outcome(SECURITY.standard)).toMatch(/^(merkle: FRI layer \d+|fri-last-layer)/);
    } finally {
      rule.join = null;
    }
  });

  it('a prover leaving out a quotient that joins inside a step (weight 0) is rejected', () => {
    rule.join = (a) => ({ challenge: a, weight: [0, 0, 0, 0] });
    try {
      expect(outcome(SECURITY.standard)).toMatch(/^(merkle: FRI layer \d+|fri-last-layer)/);
    } finally {
      rule.join = null;
    }
  });
});
