import { MaliciousProver, type RunInputs } from '@nexus/air-testing';
import { assembleSystem, type UnbalancedTuple } from '@nexus/kernel';
import { rv32im } from '@nexus/rv32im';

/**
 * Support for the adversarial suite: the system under attack, a local diagnosis of a forged
 * trace (which constraints fail, which buses do not balance) so every test can show that its
 * forgery is caught by the one mechanism it targets and nothing else, and the bookkeeping a
 * competent attacker does for free (table multiplicities, byte splits, timestamp limbs).
 */

const P = 0x7fffffff;

/** The full RV32IM zkVM, as `nexus prove` / `nexus verify` build it. */
export const system = assembleSystem(rv32im());

/** A field element from any integer (negative ones wrap mod p). */
export const fe = (v: number): number => ((v % P) + P) % P;

/** What a forged trace breaks, found locally without a proof. */
export interface Diagnosis {
  /** `component: label` of every failing constraint, sorted, each once. */
  readonly constraints: string[];
  /** The relations whose tuples do not balance (statement boundary included), sorted. */
  readonly unbalanced: string[];
  /** The unbalanced tuples as `relation(v0,v1,...) ±net`, sorted: what no table or row matches. */
  readonly tuples: string[];
  /** The same tuples with where they were seen, for failure messages. */
  readonly details: UnbalancedTuple[];
}

const tupleString = (t: UnbalancedTuple): string =>
  `${t.relation}(${t.values.join(',')}) ${t.net > 0 ? '+' : ''}${t.net}`;

/**
 * Every failing constraint and every unbalanced bus of the current traces and claim: what the
 * prover's own checks (off in a malicious prover) would have reported. A test asserts this
 * before asking the verifier, so that "rejected" is known to come from the targeted mechanism.
 */
export function diagnose(m: MaliciousProver): Diagnosis {
  const { constraints, tuples } = m.diagnose();
  return {
    constraints,
    unbalanced: [...new Set(tuples.map((t) => t.relation))].sort(),
    tuples: tuples.map(tupleString).sort(),
    details: tuples,
  };
}

/** Writes a u32 as four byte cells `name0..name3` (or the given names) of one row. */
export function setWord(
  m: MaliciousProver,
  component: string,
  names: string | readonly string[],
  row: number,
  value: number,
): void {
  const cols = typeof names === 'string' ? [0, 1, 2, 3].map((k) => `${names}${k}`) : names;
  cols.forEach((c, k) => {
    m.set(component, c, row, (value >>> (8 * k)) & 0xff);
  });
}

/** Reads four byte cells as a u32. */
export function getWord(
  m: MaliciousProver,
  component: string,
  names: string | readonly string[],
  row: number,
): number {
  const cols = typeof names === 'string' ? [0, 1, 2, 3].map((k) => `${names}${k}`) : names;
  return cols.reduce((v, c, k) => v + m.get(component, c, row) * 2 ** (8 * k), 0) >>> 0;
}

/**
 * The gap limbs of a timestamp check (ts - prevTs - 1 = lo + 2^16·hi), as honest trace
 * generation writes them for prevTs < ts. For prevTs >= ts the gap is negative, p + gap as a
 * field element: an attacker keeps lo a 16-bit value and solves hi = (p + gap - lo) / 2^16,
 * which is near 2^15, outside range11 (a gap of -1 gives lo = 65534, hi = 32767).
 */
export function gapLimbs(ts: number, prevTs: number): { lo: number; hi: number } {
  const gap = ts - prevTs - 1;
  if (gap >= 0) return { lo: gap & 0xffff, hi: Math.floor(gap / 65536) };
  // lo + 2^16·hi = gap mod p with lo in range: take lo = gap mod 2^16 (as the integer
  // p + gap would split) and solve hi in the field.
  const g = fe(gap);
  const lo = g & 0xffff;
  const hi = (g - lo) / 65536;
  return { lo, hi };
}

/**
 * Sets a timestamp check's prevTs and re-solves its limbs: columns `<prefix>_prev_ts`,
 * `<prefix>_lo`, `<prefix>_hi` (or `prev_ts`, `lo`, `hi` for the empty prefix, as io names them).
 */
export function setPrevTs(
  m: MaliciousProver,
  component: string,
  prefix: string,
  row: number,
  ts: number,
  prevTs: number,
): void {
  const name = (s: string) => (prefix === '' ? s : `${prefix}_${s}`);
  const { lo, hi } = gapLimbs(ts, prevTs);
  m.set(component, name('prev_ts'), row, prevTs);
  m.set(component, name('lo'), row, lo);
  m.set(component, name('hi'), row, hi);
}

/**
 * Recounts the lookup tables as an attacker would (MaliciousProver.rebalance: only tuples no
 * table row holds stay unbalanced), then diagnoses: the forgery as the verifier faces it.
 */
export function finish(m: MaliciousProver): Diagnosis {
  m.rebalance();
  return diagnose(m);
}

/** The register file's final value (and timestamp, if given) of a register. */
export function setRegisterFinal(m: MaliciousProver, reg: number, value: number, ts?: number) {
  setWord(m, 'register-file', 'final', reg, value);
  if (ts !== undefined) m.set('register-file', 'final_ts', reg, ts);
}

/**
 * A malicious prover whose claim names another program than the one it ran (`claimedElf`):
 * for executions the VM cannot produce, a sibling program differing in one instruction.
 */
export const siblingAttack = (
  claimedElf: Uint8Array,
  ranElf: Uint8Array,
  inputs: RunInputs = {},
): MaliciousProver => new MaliciousProver(system, ranElf, inputs, claimedElf);

/** A malicious prover over the full system. */
export const attack = (elf: Uint8Array, inputs: RunInputs = {}): MaliciousProver =>
  new MaliciousProver(system, elf, inputs);
