import { createHash } from 'node:crypto';
import { compileConstraints, type Expr } from '@nexus/kernel';
import { bundledPlugins, createZkvm } from '@nexus/sdk';
import { describe, expect, it } from 'vitest';

// What a zkVM's construction and a proof's constraint compilation produce, pinned for the
// bundled plugins: the system digest (the constraint IR serialized, expr.ts serializeExprs) and
// the column-by-column machine's programs (columnwise-program.ts) of every component in every
// mode. The cold paths that make them are tuned for speed; these say they still make the same
// bytes. A change to a plugin's constraints changes them: take the new values from a run.

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

describe('the system digest and the compiled programs', () => {
  it('are pinned for the bundled plugins', () => {
    const zkvm = createZkvm({ plugins: bundledPlugins() });
    expect(Buffer.from(zkvm.system.digest).toString('hex')).toBe(
      '407c06956f111178a9a03ae6d97ea89ef1d41482efa3bc4e477564dc882a7b66',
    );
    const h = createHash('sha256');
    for (const air of zkvm.system.components) {
      const constraints = [...air.constraints, ...air.logupConstraints].map((c) => c.expr);
      const values = air.entries.flatMap((e) => [e.multiplicity, ...e.values]);
      h.update(air.name);
      h.update(programsDigest(constraints, 'accumulate'));
      h.update(programsDigest(constraints, 'assert'));
      h.update(programsDigest(values, 'write'));
    }
    expect(h.digest('hex')).toBe(
      'bdd7fd0059db85d0e0e571b753af59196770797c684f1ce650c01c5fb30da12c',
    );
  });
});
