/**
 * FRI's openings against tampering, at the standard config, judged by the real verifier
 * (issue 12: smaller quotients join inside a fold step). A quotient that joins r folds before
 * its step ends lives in layer 0 in leaves of 2^(r+1) consecutive values (the largest: the
 * coset layer 0's own step folds): the verifier computes the queried positions from the trace
 * openings and reads the rest of the leaf (its conjugate partners and the other pairs of the
 * sub-coset it folds) from the opening. Each value read must
 * be bound by its layer's root. The wrong-join attacks (a consistent proof whose prover weighs
 * or leaves out a joining quotient differently) need the prover's source: packages/prover
 * test/fri-joins.test.ts.
 */
import { P, securePointFromParameter } from '@nexus/field';
import {
  createChannel,
  drawLogupChallenges,
  friSchedule,
  mixHeader,
  proofShape,
  SECURITY,
  type StarkProof,
  VerificationError,
} from '@nexus/kernel';
import { createZkvm, singleProof } from '@nexus/sdk';
import { verify } from '@nexus/verifier';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../../src/guests.js';

const zkvm = createZkvm();
const honest = singleProof(zkvm.prove(guest('fib'), { publicInput: u32(12) }));
const { proof, statement } = honest;
const config = proof.config;

/** The rejection's "check: message", or 'accepted'. */
function outcome(tampered: StarkProof): string {
  try {
    verify(zkvm.system, tampered, statement);
  } catch (e) {
    if (e instanceof VerificationError) return e.message;
    throw e;
  }
  return 'accepted';
}

/** The query positions, from a replay of the verifier's transcript. */
function queries(): number[] {
  const ch = createChannel(zkvm.system.hash);
  mixHeader(ch, zkvm.system, config, statement, proof.componentSizes);
  ch.mixRoot(proof.roots[0]!);
  ch.mixRoot(proof.roots[1]!);
  drawLogupChallenges(ch, zkvm.system.relations);
  ch.mixQM31s(proof.claimedSums);
  ch.mixRoot(proof.roots[2]!);
  ch.drawQM31();
  ch.mixRoot(proof.roots[3]!);
  for (let found = false; !found; ) {
    try {
      securePointFromParameter(ch.drawQM31());
      found = true;
    } catch {}
  }
  ch.mixQM31s(proof.sampledValues);
  ch.drawQM31();
  for (const root of proof.friRoots) {
    ch.mixRoot(root);
    ch.drawQM31();
  }
  ch.mixQM31s(proof.lastLayer);
  ch.mixNonce(proof.powNonce);
  return ch.drawQueries(config.nQueries, logs[0]!);
}

const shape = proofShape(zkvm.system, proof.componentSizes, config);
const logs = [...new Set(shape.trees.flatMap((cols) => cols.map((c) => c.logSize)))]
  .sort((x, y) => y - x)
  .map((k) => k + config.logBlowup);
const schedule = friSchedule(logs, config);
const rests = [schedule.folds[0]! - 1, ...schedule.joins.map((j) => j.rest)];

/**
 * What each QM31 value of layer 0's opening is, in the order the verifier reads them: the
 * quotient (index into `logs`) and its storage position.
 */
function layer0Values(qs: readonly number[]): { quotient: number; position: number }[] {
  const top = logs[0]!;
  const byLayer = new Map<number, number[]>();
  logs.forEach((D, i) => {
    const h = D - 1 - rests[i]!;
    byLayer.set(h, [...(byLayer.get(h) ?? []), i]);
  });
  const out: { quotient: number; position: number }[] = [];
  for (const h of [...byLayer.keys()].sort((x, y) => y - x)) {
    const nodes = [...new Set(qs.map((q) => q >> (top - h)))].sort((x, y) => x - y);
    for (const j of nodes) {
      for (const i of byLayer.get(h)!) {
        const computed = new Set(qs.map((q) => q >> (top - logs[i]!)));
        const width = 2 ** (rests[i]! + 1);
        for (let v = 0; v < width; v++) {
          const position = j * width + v;
          if (!computed.has(position)) out.push({ quotient: i, position });
        }
      }
    }
  }
  return out;
}

/** `proof` with coordinate 0 of QM31 value `index` of FRI layer `layer`'s opening plus one. */
function bump(layer: number, index: number): StarkProof {
  return {
    ...proof,
    friOpenings: proof.friOpenings.map((o, i) =>
      i === layer
        ? { ...o, values: o.values.map((v, k) => (k === 4 * index ? (v + 1) % P : v)) }
        : o,
    ),
  };
}

describe('FRI at the standard config: joins inside fold steps', () => {
  it('the honest proof verifies, with full fold steps and quotients joining inside them', () => {
    expect(outcome(proof)).toBe('accepted');
    expect(config.name).toBe(SECURITY.standard.name);
    // Steps of up to friFoldStep folds (layer 0's from the circle domain), not cut at each of
    // the many quotient sizes as before issue 12's change: fewer layers than that schedule.
    const last = config.logLastLayerDegreeBound + config.logBlowup;
    expect(schedule.folds.reduce((a, b) => a + b, 0)).toBe(logs[0]! - last);
    expect(schedule.folds.every((s) => s >= 1 && s <= config.friFoldStep)).toBe(true);
    const joinLevels = logs.slice(1).map((d) => d - 1);
    let cutLayers = 1;
    for (let level = logs[0]! - 1; level > last; cutLayers++) {
      const stop = Math.max(last, ...joinLevels.filter((j) => j < level));
      level -= Math.min(config.friFoldStep, level - stop);
    }
    expect(schedule.folds.length).toBeLessThan(cutLayers - 2);
    expect(proof.friRoots.length).toBe(schedule.folds.length);
    // layer 0 folds the largest quotient itself: its leaves hold more than a pair
    expect(schedule.folds[0]).toBeGreaterThan(1);
    expect(schedule.joins.some((j) => j.rest > 0)).toBe(true);
  });

  it('the layout replay reads exactly the values layer 0 opens (the tests below aim right)', () => {
    expect(4 * layer0Values(queries()).length).toBe(proof.friOpenings[0]!.values.length);
  });

  it('a changed layer-0 value of a joining sub-coset (not a query pair) is rejected by layer 0', () => {
    const qs = queries();
    const top = logs[0]!;
    const values = layer0Values(qs);
    // Values beyond the queried pair: read only because the quotient joins inside a step.
    const inner = values
      .map((v, index) => ({ ...v, index }))
      .filter(({ quotient, position }) => {
        if (rests[quotient]! === 0) return false;
        const pairs = new Set(qs.map((q) => (q >> (top - logs[quotient]!)) >> 1));
        return !pairs.has(position >> 1);
      });
    expect(inner.length).toBeGreaterThan(0);
    for (const { index } of [inner[0]!, inner[inner.length >> 1]!, inner[inner.length - 1]!]) {
      expect(outcome(bump(0, index))).toMatch(/^merkle: FRI layer 0: /);
    }
  });

  it('a changed conjugate partner in layer 0 (largest and joining quotients) is rejected', () => {
    const qs = queries();
    const top = logs[0]!;
    const values = layer0Values(qs);
    const partners = values
      .map((v, index) => ({ ...v, index }))
      .filter(({ quotient, position }) => {
        const pairs = new Set(qs.map((q) => (q >> (top - logs[quotient]!)) >> 1));
        return pairs.has(position >> 1);
      });
    const largest = partners.find((p) => p.quotient === 0)!;
    const joining = partners.find((p) => rests[p.quotient]! > 0)!;
    for (const { index } of [largest, joining]) {
      expect(outcome(bump(0, index))).toMatch(/^merkle: FRI layer 0: /);
    }
  });

  it('a changed coset value of every inner layer that sends values is rejected by that layer', () => {
    let tested = 0;
    for (let layer = 1; layer < proof.friOpenings.length; layer++) {
      // A small last layer may send no values: the queries' folds fill every coset.
      const n = proof.friOpenings[layer]!.values.length / 4;
      if (n > 0) tested++;
      for (const index of n > 0 ? [0, n - 1] : []) {
        expect(outcome(bump(layer, index)), `layer ${layer}`).toMatch(
          new RegExp(`^merkle: FRI layer ${layer}: `),
        );
      }
    }
    expect(tested).toBeGreaterThanOrEqual(2);
  });
});
