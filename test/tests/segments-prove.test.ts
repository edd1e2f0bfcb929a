/**
 * Segmented proofs (issue 13): an execution cut into segments, each proven as a STARK, all
 * under one LogUp sum whose challenges come after every segment's commitments. The real
 * verifier accepts the honest proof and rejects a segment dropped, duplicated, reordered or
 * swapped with one from another run of the same program, the register file outside the last
 * segment, and a statement that differs from the run.
 */
import {
  checkBusBounds,
  proofShape,
  SECURITY,
  type SegmentedProof,
  type StarkProof,
} from '@nexus/kernel';
import { proveSegments } from '@nexus/prover';
import { createZkvm } from '@nexus/sdk';
import { verifySegment, verifySegments } from '@nexus/verifier';
import { beforeAll, describe, expect, it } from 'vitest';
import { guest, u32 } from '../src/guests.js';
import { type SegmentedRun, segmentedRun } from '../src/segments.js';

const zkvm = createZkvm({ security: 'test' });
const OPTIONS = { minSecurityBits: 0, configs: [SECURITY.test] };
const prove = (run: SegmentedRun, checkConstraints = true) =>
  proveSegments(
    zkvm.system,
    { statement: run.statement, segments: run.traces },
    { config: 'test', checkConstraints },
  );

/** The check a segmented proof fails, or 'accepted'. */
function outcome(proof: SegmentedProof, run: SegmentedRun): string {
  try {
    verifySegments(zkvm.system, proof, run.statement, OPTIONS);
    return 'accepted';
  } catch (e) {
    const check = (e as { check?: string }).check;
    if (check === undefined) throw e;
    return check;
  }
}

describe('segmented proofs', () => {
  let run: SegmentedRun;
  let other: SegmentedRun;
  let proof: SegmentedProof;
  beforeAll(() => {
    run = segmentedRun(zkvm, guest('fib'), u32(30), 512);
    // Another run of the same program (another input), cut at the same cycles.
    other = segmentedRun(zkvm, guest('fib'), u32(31), 512);
    proof = prove(run);
  }, 120_000);

  it('proves fib in segments, and the verifier accepts', () => {
    expect(run.traces.length).toBeGreaterThanOrEqual(4);
    expect(proof.segments).toHaveLength(run.traces.length);
    // The register file is in the last segment only.
    expect(run.traces.at(-1)!.has('register-file')).toBe(true);
    expect(run.traces[0]!.has('register-file')).toBe(false);
    expect(outcome(proof, run)).toBe('accepted');
  });

  it('rejects a segment dropped, duplicated or reordered', () => {
    const s = proof.segments;
    expect(outcome({ segments: [s[0]!, ...s.slice(2)] }, run)).not.toBe('accepted');
    expect(outcome({ segments: [s[0]!, s[1]!, ...s.slice(1)] }, run)).not.toBe('accepted');
    expect(outcome({ segments: [s[0]!, s[2]!, s[1]!, ...s.slice(3)] }, run)).not.toBe('accepted');
    // The last segment alone (it holds every boundary row) does not prove the run either.
    expect(outcome({ segments: [s.at(-1)!] }, run)).not.toBe('accepted');
  });

  it('rejects a segment swapped with the same segment of another run of the program', () => {
    const mixed = prove(
      { ...run, traces: run.traces.map((t, k) => (k === 1 ? other.traces[1]! : t)) },
      false,
    );
    expect(outcome(mixed, run)).toBe('logup-sum');
  });

  it('rejects the register file outside the last segment (its scope is once)', () => {
    const forged = prove(
      {
        ...run,
        traces: run.traces.map((t, k) =>
          k === 0
            ? new Map([...t, ['register-file', run.traces.at(-1)!.get('register-file')!]])
            : t,
        ),
      },
      false,
    );
    expect(outcome(forged, run)).toBe('shape');
  });

  /** Segment k's traces with the earliest row having `column` (in `only`) changed by one. */
  function patchedFirst(k: number, column: string, only?: string) {
    let best: { name: string; row: number; clk: number; col: number } | null = null;
    for (const [name, trace] of run.traces[k]!) {
      if (only !== undefined && name !== only) continue;
      const cols = zkvm.system.components.find((c) => c.name === name)!.component.columns;
      const clk = cols.indexOf('clk');
      const col = cols.indexOf(column);
      if (clk < 0 || col < 0) continue;
      const c = trace.columns[clk] as Uint32Array;
      for (let row = 0; row < c.length; row++) {
        if (c[row]! > 0 && (best === null || c[row]! < best.clk))
          best = { name, row, clk: c[row]!, col };
      }
    }
    expect(best, column).not.toBeNull();
    const { name, row, col } = best!;
    const patched = run.traces.map((t) => new Map(t));
    const trace = patched[k]!.get(name)!;
    const columns = trace.columns.map((c) => (c as Uint32Array).slice());
    columns[col]![row] = (columns[col]![row]! + 1) & 0xff;
    patched[k]!.set(name, { ...trace, columns });
    return patched;
  }

  it('rejects a register value changed between segments (a read no longer matches the write)', () => {
    // The first register read of segment 1 sees a value segment 0 did not leave.
    const r = outcome(prove({ ...run, traces: patchedFirst(1, 'rs1_v0') }, false), run);
    // The global LogUp balance fails first (it is checked before any segment's STARK).
    expect(r).toBe('logup-sum');
  });

  it('rejects a memory word changed between segments (a load sees what no store left)', () => {
    const r = outcome(prove({ ...run, traces: patchedFirst(2, 'mem_prev0', 'load') }, false), run);
    expect(r).toBe('logup-sum');
  });

  it('bounds the bus uses over all segments: claimed sizes each fine alone are rejected together', () => {
    // exec's maxUses (2^28) is what keeps clk, and so every timestamp, below p (SOUNDNESS.md
    // 4.1, 10). Seventeen segments each claiming 2^24 add rows stay within it one by one, and
    // pass it together: the verifier rejects on the claimed sizes, before any other work.
    const add = zkvm.system.components.findIndex((c) => c.name === 'add');
    const big = {
      ...proof.segments[0]!,
      componentSizes: proof.segments[0]!.componentSizes.map((n, i) => (i === add ? 24 : n)),
    };
    const alone = proofShape(zkvm.system, big.componentSizes, SECURITY.test);
    expect(() => checkBusBounds(alone, zkvm.system.boundary(run.statement))).not.toThrow();
    const forged = { segments: [...Array(17).fill(big), proof.segments.at(-1)!] };
    expect(outcome(forged, run)).toBe('shape');
    expect(() => verifySegments(zkvm.system, forged, run.statement, OPTIONS)).toThrow(
      /uses of relation exec|bus entries in the proof/,
    );
  });

  it('verifySegment checks one segment alone, under challenges from every commitment', () => {
    const commitments = proof.segments.map((p) => ({
      sizes: p.componentSizes,
      preprocessedRoot: p.roots[0]!,
      mainRoot: p.roots[1]!,
    }));
    const check = (p: StarkProof, cs: typeof commitments, k: number) => {
      try {
        verifySegment(zkvm.system, p, run.statement, cs, k, OPTIONS);
        return 'accepted';
      } catch (e) {
        return (e as { check?: string }).check ?? String(e);
      }
    };
    proof.segments.forEach((p, k) => {
      expect(check(p, commitments, k)).toBe('accepted');
    });
    // At another index: not that segment's commitment.
    expect(check(proof.segments[1]!, commitments, 2)).toBe('shape');
    // Another segment's commitment changed: other challenges, the proof no longer holds.
    const other = commitments.map((c, k) =>
      k === 0 ? { ...c, mainRoot: c.mainRoot.map((v, i) => (i === 0 ? v ^ 1 : v)) } : c,
    );
    expect(check(proof.segments[1]!, other, 1)).not.toBe('accepted');
  });

  it("rejects a statement that is not the run's", () => {
    const claimed = segmentedRun(zkvm, guest('fib'), u32(30), 512);
    const lie = { ...claimed, statement: other.statement };
    expect(outcome(proof, lie)).not.toBe('accepted');
  });
});

describe('segmented proofs at the standard config', () => {
  it('the honest proof verifies; a segment from another run is rejected', () => {
    const run = segmentedRun(zkvm, guest('fib'), u32(30), 1024);
    const other = segmentedRun(zkvm, guest('fib'), u32(31), 1024);
    const standard = (r: SegmentedRun, checkConstraints = true) =>
      proveSegments(
        zkvm.system,
        { statement: r.statement, segments: r.traces },
        { config: 'standard', checkConstraints },
      );
    verifySegments(zkvm.system, standard(run), run.statement);
    const mixed = standard(
      { ...run, traces: run.traces.map((t, k) => (k === 1 ? other.traces[1]! : t)) },
      false,
    );
    expect(() => verifySegments(zkvm.system, mixed, run.statement)).toThrow(/logup-sum/);
  }, 120_000);
});
