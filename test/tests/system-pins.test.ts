import { createHash } from 'node:crypto';
import { compileConstraints, type Expr, MAIN_TREE, reachable } from '@nexus/kernel';
import { bundledPlugins, createZkvm } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';

// What a zkVM's construction and a proof's constraint compilation produce, pinned for the
// bundled plugins: the system digest (the constraint IR serialized, expr.ts serializeExprs) and
// the column-by-column machine's programs (columnwise-program.ts) a proof runs, for every
// component: its own constraints (composition, assertion) and its bus entries (write). The cold
// paths that make them are tuned for speed; these say they still make the same bytes. A change
// to a plugin's constraints changes them: take the new values from a run.

/** A leaf's slot key (the prover names leaves otherwise; any injective key gives the same code). */
const leafKey = (e: Expr) => `${e.kind}:${e.a}:${e.b}:${e.name}`;

function programsDigest(roots: readonly Expr[], mode: 'accumulate' | 'assert' | 'write'): string {
  const c = compileConstraints(roots, leafKey, mode);
  const p = c.program;
  return JSON.stringify({
    slots: c.slots,
    offsets: c.offsets,
    params: c.params,
    program:
      p === null
        ? null
        : { ...p, code: Array.from(p.code), outputs: p.outputs.map((x) => x ?? null) },
  });
}

/** The offsets the expressions read of each main column, interaction column and preprocessed id. */
function masksOf(exprs: readonly Expr[]) {
  const main = new Map<number, number[]>();
  const interaction = new Map<number, number[]>();
  const pre = new Map<string, number[]>();
  const read = <K>(into: Map<K, number[]>, key: K, offset: number) => {
    const m = into.get(key) ?? [];
    if (!m.includes(offset)) m.push(offset);
    into.set(
      key,
      m.sort((a, b) => a - b),
    );
  };
  for (const e of reachable(exprs)) {
    if (e.kind === 'col') read(e.a === MAIN_TREE ? main : interaction, e.b, e.offset);
    else if (e.kind === 'pre') read(pre, e.name, e.offset);
  }
  return { main, interaction, pre };
}

describe('the system digest and the compiled programs', () => {
  it('are pinned for the bundled plugins', () => {
    const zkvm = createZkvm({ plugins: bundledPlugins() });
    expect(Buffer.from(zkvm.system.digest).toString('hex')).toBe(
      '407c06956f111178a9a03ae6d97ea89ef1d41482efa3bc4e477564dc882a7b66',
    );
    const h = createHash('sha256');
    for (const air of zkvm.system.components) {
      const own = air.constraints.map((c) => c.expr);
      const values = air.entries.flatMap((e) => [e.multiplicity, ...e.values]);
      h.update(air.name);
      h.update(programsDigest(own, 'accumulate'));
      h.update(programsDigest(own, 'assert'));
      h.update(programsDigest(values, 'write'));
    }
    expect(h.digest('hex')).toBe(
      '341f55c8d00070dce505a6be11f3aed03c26060948698b0f11e55f8a2b59b1ea',
    );
  });

  it('agree with the LogUp constraints built on demand: masks, degree, count', () => {
    // analyzeComponent derives the masks from the entries and builds the LogUp constraints
    // only when read: what it said must be what the built constraints read.
    for (const air of createZkvm({ plugins: bundledPlugins() }).system.components) {
      const all = [...air.constraints, ...air.logupConstraints].map((c) => c.expr);
      const { main, interaction, pre } = masksOf(all);
      expect(air.mainMasks, air.name).toEqual(air.mainMasks.map((_, i) => main.get(i) ?? []));
      expect(air.interactionMasks, air.name).toEqual(
        air.interactionMasks.map((_, i) => interaction.get(i) ?? []),
      );
      expect(interaction.size, air.name).toBe(air.interactionColumns);
      expect(new Map(air.preprocessedMasks), air.name).toEqual(pre);
      expect(air.logupConstraints.length, air.name).toBe(air.batches.length);
      expect(air.maxDegree, air.name).toBe(Math.max(0, ...all.map((e) => e.degree)));
    }
  });
});
