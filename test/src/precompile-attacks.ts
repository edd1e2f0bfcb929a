import { buildTraces, Lookups } from '@nexus/air-common';
import type { MaliciousProver, TracedRun } from '@nexus/air-testing';
import type { System } from '@nexus/kernel';
import type { Records } from '@nexus/vm';
import { diagnose, setPrevTs } from './adversarial.js';

/**
 * What the precompile attack suites share: the "evil VM" (a run where the precompile computes
 * a lie, so memory, registers and the output agree with it), the memory-chain rerouting an
 * attacker does for free, and the diagnosis of what is left to catch a forgery.
 */

/**
 * Replaces every trace of `m` with the traces of an evil run (its records, with a precompile's
 * table possibly tampered), and claims that run's output and exit code.
 */
export function useEvilRun(
  m: MaliciousProver,
  system: System,
  evil: TracedRun,
  records: Records,
  publicInput: Uint8Array,
): MaliciousProver {
  const traces = buildTraces(system, {
    program: evil.program,
    records,
    publicInput,
    lookups: new Lookups(evil.program, publicInput.length),
  });
  for (const air of system.components) m.replace(air.name, traces.get(air.name) ?? null);
  m.claim = {
    publicInput,
    publicOutput: evil.records.publicOutput,
    exitCode: evil.records.exitCode,
  };
  return m;
}

/** The RAM gap columns of each component that consumes RAM tokens (prefix of setPrevTs). */
const RAM_PREFIX: Record<string, string> = { io: '', store: 'mem' };

/**
 * Reroutes the memory chains after accesses were removed or moved: every RAM token used but
 * never yielded is taken instead from the yield of the same word, value and flag that nobody
 * uses (the consumer's previous timestamp rewritten, its gap re-solved). An attacker does this
 * for free; it leaves exactly the imbalance the forgery cannot avoid.
 */
export function reroute(m: MaliciousProver): void {
  const tuples = m.unbalanced(Number.POSITIVE_INFINITY).filter((t) => t.relation === 'ram');
  const key = (v: readonly number[]) => [...v.slice(0, 5), v[6]].join(',');
  const spare = new Map<string, number>();
  for (const t of tuples) if (t.net === -1) spare.set(key(t.values), t.values[5]!);
  for (const t of tuples) {
    const ts = spare.get(key(t.values));
    if (t.net !== 1 || ts === undefined) continue;
    for (const at of t.seenAt) {
      const [comp, r] = at.split('@') as [string, string];
      const row = Number(r);
      if (comp === 'memory') m.set('memory', 'final_ts', row, ts);
      else if (comp in RAM_PREFIX) {
        const p = RAM_PREFIX[comp]!;
        const n = (s: string) => (p === '' ? s : `${p}_${s}`);
        const now =
          m.get(comp, n('prev_ts'), row) +
          1 +
          m.get(comp, n('lo'), row) +
          65536 * m.get(comp, n('hi'), row);
        setPrevTs(m, comp, p, row, now, ts);
      } else throw new Error(`cannot reroute a token of ${at}`);
    }
  }
}

/**
 * Recounts the tables (`rebalance`), then what is left to catch the forgery: the failing
 * constraints, the unbalanced relations, and the relations of the tuples no table row holds.
 */
export function left(m: MaliciousProver) {
  const leftover = [...new Set(m.rebalance().map((t) => t.relation))].sort();
  const d = diagnose(m);
  return { constraints: d.constraints, unbalanced: d.unbalanced, leftover, tuples: d.tuples };
}

/** The row of a component whose cells satisfy `where`. */
export const rowOf = (m: MaliciousProver, component: string, where: Record<string, number>) =>
  m.findRow(component, (c) => Object.entries(where).every(([k, v]) => c(k) === v));

/** The memory table's row of a word. */
export const memoryRow = (m: MaliciousProver, addr: number) =>
  rowOf(m, 'memory', { sel: 1, widx: addr / 4 });

/** The verifier's verdict: which check rejected the proof (null: ACCEPTED). */
export const rejection = (m: MaliciousProver) => m.verdict()?.check ?? null;

/** The ELF with its data segment's flags replaced (buildElf: program header 1). */
export function withDataFlags(elf: Uint8Array, flags: number): Uint8Array {
  const out = elf.slice();
  new DataView(out.buffer).setUint32(52 + 32 + 24, flags, true);
  return out;
}

/** Little-endian bytes of 32-bit words. */
export const le = (words: ArrayLike<number>) => new Uint8Array(Uint32Array.from(words).buffer);
