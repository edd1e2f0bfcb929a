/**
 * The adversarial suite, SHA-256 precompile (syscall 0x1001, @nexus/precompile-sha256): forged
 * proofs of statements involving a sha256_compress call, each proven with the real prover
 * (checks off) at the standard config and shown to the real verifier.
 *
 * Most forgeries start from an "evil VM": the same guest run by a VM whose sha256_compress
 * computes something else (a wrong digest, a stale or future block word, nothing at all). Its
 * records are consistent for every other component (memory, io, registers, the claimed output),
 * so the traces the project's own generators make from them balance everywhere but where the
 * precompile's components must vouch for the lie. The rounds trace is made from records whose
 * written state is the true compression (the generator refuses anything else), then patched
 * into what the lie needs. Every lookup table is recounted (`rebalance`), and `diagnose` shows
 * which single mechanism is left to catch the forgery before the verifier is asked.
 *
 * Outcome when written: every forgery below is rejected (none accepted), each by the check its
 * diagnosis names; the two "benign" cases are true statements (accepted or locally clean). The
 * system is the SDK's default (RV32IM + sha256 + keccak), as `nexus prove` builds it.
 */
import { createHash } from 'node:crypto';
import {
  asm,
  buildElf,
  exit,
  li,
  type MaliciousProver,
  maliciousProver,
  type RunInputs,
  traceRun,
  write,
} from '@nexus/air-testing';
import { createZkvm } from '@nexus/sdk';
import { type Records, SYSCALL_EXTENSION, type SyscallExtension } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { diagnose, getWord, setPrevTs, setWord } from '../../src/adversarial.js';
import { guest } from '../../src/guests.js';
import {
  le,
  left,
  memoryRow,
  rejection,
  reroute,
  rowOf,
  useEvilRun,
  withDataFlags,
} from '../../src/precompile-attacks.js';

const system = createZkvm().system;
const SHA = (system.extensions(SYSCALL_EXTENSION) as SyscallExtension[]).find(
  (x) => x.number === 0x1001,
)!;
const ROUNDS = 'sha256-rounds';
const CALL = 'sha256';

// ---------------------------------------------------------------------------------------------
// SHA-256 (FIPS 180-4), with a hook to make an attacker's variant of the compression.
const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];
const IV = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];
const rotr = (x: number, n: number) => ((x >>> n) | (x << (32 - n))) >>> 0;
const bigSigma0 = (x: number) => (rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22)) >>> 0;
const bigSigma1 = (x: number) => (rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25)) >>> 0;
const smallSigma0 = (x: number) => (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) >>> 0;
const smallSigma1 = (x: number) => (rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10)) >>> 0;
const ch = (e: number, f: number, g: number) => ((e & f) ^ (~e & g)) >>> 0;
const maj = (a: number, b: number, c: number) => ((a & b) ^ (a & c) ^ (b & c)) >>> 0;
const bswap = (v: number) =>
  (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
/** After round t, the attacker's (a, e) in place of the true ones. */
type Hook = (t: number, a: number, e: number) => [number, number];

/**
 * The compression on a call's 24 words (16 block words as memory words, then the 8 state
 * words), in place, as the precompile's `compute` does; `hook` makes it an attacker's variant.
 */
function compress(words: Uint32Array, hook?: Hook): void {
  const W: number[] = [];
  for (let t = 0; t < 16; t++) W.push(bswap(words[t]!));
  for (let t = 16; t < 64; t++)
    W.push((smallSigma1(W[t - 2]!) + W[t - 7]! + smallSigma0(W[t - 15]!) + W[t - 16]!) >>> 0);
  let [a, b, c, d, e, f, g, h] = Array.from(words.subarray(16, 24)) as number[];
  for (let t = 0; t < 64; t++) {
    const t1 = (h! + bigSigma1(e!) + ch(e!, f!, g!) + K[t]! + W[t]!) >>> 0;
    const t2 = (bigSigma0(a!) + maj(a!, b!, c!)) >>> 0;
    [h, g, f, e, d, c, b, a] = [g, f, e, (d! + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    if (hook) [a, e] = hook(t, a!, e!);
  }
  [a, b, c, d, e, f, g, h].forEach((v, i) => {
    words[16 + i] = (words[16 + i]! + v!) >>> 0;
  });
}
const compressWords = (words: ArrayLike<number>, hook?: Hook): Uint32Array => {
  const w = Uint32Array.from(words);
  compress(w, hook);
  return w;
};

// ---------------------------------------------------------------------------------------------
// The guest: stores block word 0, compresses the "abc" block into the IV (state at STATE, block
// at BLOCK), stores block word 1 after the call, writes the state (32 bytes, native words) to
// the public output and exits with 0. Its output is SHA-256("abc") as 8 little-endian words.
const STATE = 0x20000;
const BLOCK = 0x20040;
const ABC_W0 = 0x80636261; // 'a' 'b' 'c' 0x80, as a little-endian memory word
const LATE = 0xdeadbeef; // stored into block word 1 after the call

interface GuestOptions {
  /** The call's ecall replaced by a nop (addi x0, x0, 0). */
  readonly nopCall?: boolean;
  readonly a7?: number;
  readonly state?: number;
  readonly block?: number;
  /** Where the output is written from (default: the state). */
  readonly out?: number;
  /** The stores before and after the call (default on; off: block word 0 is in the image). */
  readonly stores?: boolean;
  /** exit(a0) right after the call (a0 as the call left it) instead of the output. */
  readonly exitAfterCall?: boolean;
}

function guestElf(o: GuestOptions = {}): Uint8Array {
  const stores = o.stores ?? true;
  const state = o.state ?? STATE;
  const data = new Uint8Array(0x100);
  data.set(le(IV), 0);
  if (!stores) data.set(le([ABC_W0]), 0x40);
  data[0x40 + 63] = 24; // the block's length field: 24 bits, big-endian at its end
  const code = [
    ...(stores ? [...li(6, BLOCK), ...li(5, ABC_W0), asm.sw(5, 6, 0)] : []),
    ...li(10, state),
    ...li(11, o.block ?? BLOCK),
    ...li(17, o.a7 ?? 0x1001),
    o.nopCall ? asm.addi(0, 0, 0) : asm.ecall(),
  ];
  if (o.exitAfterCall) code.push(...exit());
  else {
    if (stores) code.push(...li(5, LATE), asm.sw(5, 6, 4));
    code.push(...li(11, o.out ?? state), ...li(12, 32), ...write(1), ...exit(0));
  }
  return buildElf({ code, data, dataBase: STATE, bss: 0x100 });
}
const ELF = guestElf();

/** The memory words the call reads (block then state) in the honest run. */
const BLOCK_WORDS = (() => {
  const b = new Uint32Array(16);
  b[0] = ABC_W0;
  b[15] = 24 << 24;
  return b;
})();
const ABC_DIGEST = createHash('sha256').update('abc').digest();
/** The honest public output: the digest's words as native (little-endian) words. */
const HONEST_OUTPUT = Uint8Array.from(
  { length: 32 },
  (_, i) => ABC_DIGEST[(i & ~3) + 3 - (i & 3)]!,
);

// ---------------------------------------------------------------------------------------------
// Forging helpers.

/** Rows of the rounds trace whose `start` is set: the first row of each call. */
const callStarts = (m: MaliciousProver): number[] => {
  const start = m.column(ROUNDS, 'start');
  return [...start.keys()].filter((r) => start[r] === 1);
};
const rowsOf = (m: MaliciousProver) => 2 ** m.trace(ROUNDS).logSize;
const wrap = (m: MaliciousProver, r: number) => ((r % rowsOf(m)) + rowsOf(m)) % rowsOf(m);
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** A 32-bit value held as bit columns `prefix0..31` of a rounds row. */
const getBits = (m: MaliciousProver, prefix: string, row: number) => {
  let v = 0;
  for (let i = 0; i < 32; i++) v += m.get(ROUNDS, `${prefix}${i}`, wrap(m, row)) * 2 ** i;
  return v >>> 0;
};
const setBits = (m: MaliciousProver, prefix: string, row: number, v: number, n = 32) => {
  for (let i = 0; i < n; i++) m.set(ROUNDS, `${prefix}${i}`, wrap(m, row), (v >>> i) & 1);
};
const setHalves = (m: MaliciousProver, prefix: string, row: number, v: number) => {
  m.set(ROUNDS, `${prefix}0`, wrap(m, row), v & 0xffff);
  m.set(ROUNDS, `${prefix}1`, wrap(m, row), v >>> 16);
};

/**
 * Recomputes the ungated helper columns (Σ0, Σ1, ch, maj, σ0, σ1) of the given rows from the
 * bit columns, as an attacker does after changing bits: they are definitions, never the lie.
 */
function recomputeHelpers(m: MaliciousProver, rows: readonly number[]) {
  for (const r of rows) {
    const a = getBits(m, 'a', r);
    const e = getBits(m, 'e', r);
    const w = getBits(m, 'w', r);
    setHalves(m, 'big_sigma0_', r, bigSigma0(a));
    setHalves(m, 'big_sigma1_', r, bigSigma1(e));
    setHalves(m, 'ch', r, ch(e, getBits(m, 'e', r - 1), getBits(m, 'e', r - 2)));
    setHalves(m, 'maj', r, maj(a, getBits(m, 'a', r - 1), getBits(m, 'a', r - 2)));
    setHalves(m, 'small_sigma0_', r, smallSigma0(w));
    setHalves(m, 'small_sigma1_', r, smallSigma1(w));
  }
}

/** Writes a new state word into init row `row` (chain a: m1, chain e: m2) with its carries. */
function setStateWrite(m: MaliciousProver, row: number, chain: 'a' | 'e', value: number) {
  setWord(m, ROUNDS, names(chain === 'a' ? 'm1_next' : 'm2_next', 4), row, value);
  const before = getBits(m, chain, row);
  const added = (value - before) >>> 0; // the a (e) of 64 rows on, if the word is honest
  const lo = (before & 0xffff) + (added & 0xffff);
  const c = chain === 'a' ? 'oa' : 'oe';
  m.set(ROUNDS, `${c}0`, row, lo >>> 16);
  m.set(ROUNDS, `${c}1`, row, ((before >>> 16) + (added >>> 16) + (lo >>> 16)) >>> 16);
}

/**
 * Re-solves a call's rows `from`..67 (new a and e, their carries, the helpers) from the rows
 * before, reading the helper columns of the row before as the constraints do, then the rows
 * past the call's end and the four state writes: after a patch to row from - 1 (or to a helper
 * column there), every constraint of the later rows holds again.
 */
function resolveRounds(m: MaliciousProver, base: number, from: number) {
  const g = (name: string, j: number) => m.get(ROUNDS, name, wrap(m, base + j));
  const half = (v: number, h: number) => (h === 0 ? v & 0xffff : v >>> 16);
  for (let j = from; j < 68; j++) {
    let ce = 0;
    let ca = 0;
    let eNew = 0;
    let aNew = 0;
    for (const h of [0, 1]) {
      const t1 =
        half(getBits(m, 'e', base + j - 4), h) +
        g(`big_sigma1_${h}`, j - 1) +
        g(`ch${h}`, j - 1) +
        g(h === 0 ? 'k_lo' : 'k_hi', j) +
        half(getBits(m, 'w', base + j), h);
      const se = half(getBits(m, 'a', base + j - 4), h) + t1 + ce;
      const sa = t1 + g(`big_sigma0_${h}`, j - 1) + g(`maj${h}`, j - 1) + ca;
      eNew += (se % 65536) * 65536 ** h;
      aNew += (sa % 65536) * 65536 ** h;
      ce = Math.floor(se / 65536);
      ca = Math.floor(sa / 65536);
      setBits(m, h === 0 ? 'ce_lo' : 'ce_hi', base + j, ce, 3);
      setBits(m, h === 0 ? 'ca_lo' : 'ca_hi', base + j, ca, 3);
    }
    setBits(m, 'e', base + j, eNew);
    setBits(m, 'a', base + j, aNew);
    recomputeHelpers(m, [base + j]);
  }
  recomputeHelpers(m, [base + 68, base + 69]);
  for (let j = 0; j < 4; j++) {
    for (const c of ['a', 'e'] as const) {
      setStateWrite(m, base + j, c, (getBits(m, c, base + j) + getBits(m, c, base + j + 64)) >>> 0);
    }
  }
}

/** Word k of call i in the records (0..15 the block, 16..23 the state). */
const words = (rec: Records, what: 'Prev' | 'Val' | 'PrevTs', i = 0) =>
  Array.from({ length: 24 }, (_, k) => rec.precompiles.sha256!.columns[`m${k}${what}`]![i]!);

/** The state a call's init rows write, as the 8 words H0..H7. */
const writtenState = (m: MaliciousProver, base: number) =>
  Array.from({ length: 8 }, (_, k) =>
    getWord(m, ROUNDS, names(k < 4 ? 'm1_next' : 'm2_next', 4), base + (k < 4 ? 3 - k : 7 - k)),
  );

/**
 * A malicious prover for `elf` whose traces come from a VM where sha256_compress runs
 * `compute` instead: every component but the rounds (memory, io, registers, the claimed output
 * and exit code) agrees with that VM. The rounds trace is generated from the evil records
 * after `tamper` changed the words (or timestamps) the rounds read, with the written state set
 * to the true compression of what they read (the generator accepts nothing else): a test then
 * patches the rounds into the lie it needs.
 */
function evilVm(
  elf: Uint8Array,
  compute: (w: Uint32Array) => void,
  opts: { inputs?: RunInputs; tamper?: (cols: Record<string, Uint32Array>) => void } = {},
): MaliciousProver {
  const inputs = opts.inputs ?? {};
  const m = maliciousProver(system, elf, inputs);
  const evil = traceRun(elf, { ...inputs, syscalls: [{ ...SHA, compute }] });
  const rec = evil.records.precompiles.sha256!;
  const cols: Record<string, Uint32Array> = {};
  for (const [k, v] of Object.entries(rec.columns)) cols[k] = v.slice();
  opts.tamper?.(cols);
  for (let i = 0; i < rec.length; i++) {
    const out = compressWords(Array.from({ length: 24 }, (_, k) => cols[`m${k}Prev`]![i]!));
    for (let k = 16; k < 24; k++) cols[`m${k}Val`]![i] = out[k]!;
  }
  const records: Records = {
    ...evil.records,
    precompiles: { ...evil.records.precompiles, sha256: { ...rec, columns: cols } },
  };
  return useEvilRun(m, system, evil, records, inputs.publicInput ?? new Uint8Array(0));
}

const callClk = (m: MaliciousProver) => m.get(CALL, 'clk', 0);
const ROUND_A0 = `${ROUNDS}: round: a = T1 + Σ0(a) + maj(a, b, c), half 0`;

// ---------------------------------------------------------------------------------------------

describe('sha256_compress: honest runs (what the forgeries start from)', () => {
  it('the guest is accepted, with SHA-256("abc") as its output, 68 rounds rows per call', () => {
    const m = maliciousProver(system, ELF);
    expect(m.claim.publicOutput).toEqual(HONEST_OUTPUT);
    // The test's compression is the precompile's.
    const w = Uint32Array.from([...BLOCK_WORDS, ...IV]);
    SHA.compute(w);
    expect(w).toEqual(compressWords([...BLOCK_WORDS, ...IV]));
    expect(le(w.subarray(16))).toEqual(HONEST_OUTPUT);
    expect(callStarts(m)).toEqual([0]);
    expect(m.trace(ROUNDS).logSize).toBe(7);
    expect(diagnose(m)).toMatchObject({ constraints: [], unbalanced: [] });
    expect(m.verdict()).toBeNull();
  });

  it('benign: the call wrapped around the end of the rounds trace (rows rotated) is a true statement', () => {
    // Every rounds constraint reads its row offsets cyclically, the trace generator computes
    // the ungated helpers cyclically: a call may start anywhere, even 30 rows before the end.
    const m = maliciousProver(system, ELF);
    const t = m.trace(ROUNDS);
    const n = 2 ** t.logSize;
    const shift = n - 30;
    m.replace(ROUNDS, {
      logSize: t.logSize,
      columns: t.columns.map((c) => {
        const out = new Uint32Array(n);
        for (let r = 0; r < n; r++) out[(r + shift) % n] = c[r]!;
        return out;
      }),
    });
    expect(callStarts(m)).toEqual([shift]);
    expect(left(m)).toMatchObject({ constraints: [], unbalanced: [] });
    expect(m.verdict()).toBeNull();
  });

  it('benign: a state overlapping the block (the VM allows it) reads what the block read', () => {
    // State = block words 4..11: the block is read at 4·clk + 1, the state read and rewritten
    // at 4·clk + 3, so the compression sees the words before the call, as the VM computes it.
    const m = maliciousProver(system, guestElf({ state: BLOCK + 16 }));
    const rec = m.run.records;
    const prev = words(rec, 'Prev');
    expect(prev.slice(16)).toEqual(prev.slice(4, 12));
    expect(diagnose(m)).toMatchObject({ constraints: [], unbalanced: [] });
  });
});

describe('sha256_compress: wrong digests', () => {
  it('a claimed output that is not what the call wrote: the output bus', () => {
    const m = maliciousProver(system, ELF);
    const out = m.claim.publicOutput.slice();
    out[0]! ^= 1;
    m.claim = { ...m.claim, publicOutput: out };
    expect(left(m)).toMatchObject({ constraints: [], unbalanced: ['output'] });
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a call that writes a wrong state word (H0 ^ 1): the state update constraint', () => {
    const m = evilVm(ELF, (w) => {
      compress(w);
      w[16]! ^= 1;
    });
    const base = callStarts(m)[0]!;
    const h0 = getWord(m, ROUNDS, names('m1_next', 4), base + 3);
    setStateWrite(m, base + 3, 'a', (h0 ^ 1) >>> 0); // H0 is the a chain's word of init row 3
    expect(le(writtenState(m, base))).toEqual(m.claim.publicOutput);
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    expect(left(m)).toMatchObject({
      constraints: [`${ROUNDS}: init: new state word = a + a 64 rows on, half 0`],
      unbalanced: [],
    });
    expect(rejection(m)).toBe('oods');
  });

  it('a wrong a in the last round, everything after it re-solved: the round constraint', () => {
    // a_64 (row 67) ^ 1: Σ0 and maj of rows 67..69 recomputed (68, 69 are padding), the
    // state write H0 + a_64 re-solved with its carries. Only row 67's own round is left.
    const hook: Hook = (t, a, e) => [t === 63 ? (a ^ 1) >>> 0 : a, e];
    const m = evilVm(ELF, (w) => compress(w, hook));
    const base = callStarts(m)[0]!;
    setBits(m, 'a', base + 67, getBits(m, 'a', base + 67) ^ 1);
    recomputeHelpers(m, [base + 67]);
    resolveRounds(m, base, 68);
    expect(le(writtenState(m, base))).toEqual(m.claim.publicOutput);
    expect(left(m)).toMatchObject({ constraints: [ROUND_A0], unbalanced: [] });
    expect(rejection(m)).toBe('oods');
  });

  it('a wrong Σ0 helper (row 30, +1), the rounds after it re-solved: the helper definition', () => {
    // The helpers are pinned on every row; a round reads them one row back. Σ0 one too big
    // makes round 27's a one bigger; every later row is re-solved from it.
    const hook: Hook = (t, a, e) => [t === 27 ? (a + 1) >>> 0 : a, e];
    const m = evilVm(ELF, (w) => compress(w, hook));
    const base = callStarts(m)[0]!;
    m.set(ROUNDS, 'big_sigma0_0', base + 30, m.get(ROUNDS, 'big_sigma0_0', base + 30) + 1);
    resolveRounds(m, base, 31);
    expect(le(writtenState(m, base))).toEqual(m.claim.publicOutput);
    expect(left(m)).toMatchObject({
      constraints: [`${ROUNDS}: Σ0(a) half 0`],
      unbalanced: [],
    });
    expect(rejection(m)).toBe('oods');
  });

  it('a round row that claims no kind (sched = 0: no round constraint), its a free: the schedule table', () => {
    // Row 30 (round 26) drops its kind flag, so neither the round nor the schedule constraint
    // applies to it; its a is the attacker's, and every later row is re-solved from it. The
    // tuple (30, 0, 0, 0, 0, K_26) is not a schedule row.
    const hook: Hook = (t, a, e) => [t === 26 ? (a ^ 0x80000000) >>> 0 : a, e];
    const m = evilVm(ELF, (w) => compress(w, hook));
    const base = callStarts(m)[0]!;
    m.set(ROUNDS, 'sched', base + 30, 0);
    setBits(m, 'a', base + 30, getBits(m, 'a', base + 30) ^ 0x80000000);
    recomputeHelpers(m, [base + 30]);
    resolveRounds(m, base, 31);
    expect(le(writtenState(m, base))).toEqual(m.claim.publicOutput);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['sha256_schedule'] });
    expect(d.leftover).toEqual(['sha256_schedule']);
    expect(rejection(m)).toBe('logup-sum');
  });

  it('the real guest (sha256-precompile.elf, 2 calls): a digest off by one bit in every call', () => {
    const publicInput = new TextEncoder().encode('x'.repeat(80));
    const m = evilVm(
      guest('sha256-precompile'),
      (w) => {
        compress(w);
        w[16]! ^= 1;
      },
      { inputs: { publicInput } },
    );
    const starts = callStarts(m);
    expect(starts.length).toBe(2);
    for (const base of starts) {
      const h0 = getWord(m, ROUNDS, names('m1_next', 4), base + 3);
      setStateWrite(m, base + 3, 'a', (h0 ^ 1) >>> 0);
    }
    const digest = createHash('sha256').update(publicInput).digest();
    expect(m.claim.publicOutput).not.toEqual(new Uint8Array(digest));
    expect(left(m)).toMatchObject({
      constraints: [`${ROUNDS}: init: new state word = a + a 64 rows on, half 0`],
      unbalanced: [],
    });
    expect(rejection(m)).toBe('oods');
  });
});

describe('sha256_compress: the sums mod 2^32 (no wrap mod p)', () => {
  it('every half-sum and its carry stay integers below 2^19 < p, and the carry bits hold every honest carry', () => {
    // half + 2^16·carry = Σ terms (+ carry in): each term a 16-bit half (bits, pinned helpers
    // or the table's K half); the carry a sum of boolean bits. The left side is below
    // 2^16 + 2^16·(2^bits - 1) and the right side below terms·2^16 + carry in: both below p,
    // so the field equation is the integer one and (half, carry) is unique for a given sum.
    const P = 2 ** 31 - 1;
    const cases = [
      { what: 'e = d + T1', terms: 6, bits: 3 },
      { what: 'a = T1 + Σ0 + maj', terms: 7, bits: 3 },
      { what: 'W_t schedule', terms: 4, bits: 2 },
      { what: 'H + a_64 (state)', terms: 2, bits: 1 },
    ];
    for (const { what, terms, bits } of cases) {
      const maxCarry = 2 ** bits - 1;
      const maxLo = terms * 0xffff;
      const maxHi = terms * 0xffff + Math.floor(maxLo / 65536);
      expect(Math.floor(maxHi / 65536), what).toBeLessThanOrEqual(maxCarry);
      expect(0xffff + 65536 * maxCarry + maxCarry, what).toBeLessThan(P);
      expect(maxHi + maxCarry, what).toBeLessThan(2 ** 19);
    }
    // The honest trace's carry cells are bits.
    const m = maliciousProver(system, ELF);
    for (const c of ['ca_lo', 'ca_hi', 'ce_lo', 'ce_hi', 'cw_lo', 'cw_hi', 'oa', 'oe']) {
      const n = c.startsWith('o') ? 2 : c.startsWith('cw') ? 2 : 3;
      for (const name of names(c, n))
        expect(Math.max(...m.column(ROUNDS, name))).toBeLessThanOrEqual(1);
    }
  });
});

describe('sha256_compress: what the call reads and writes', () => {
  it('a block memory does not hold (word 2 changed): the memory bus', () => {
    const m = evilVm(
      ELF,
      (w) => {
        w[2]! ^= 1; // the VM does not write the block back
        compress(w);
      },
      {
        tamper: (c) => {
          c.m2Prev![0]! ^= 1;
        },
      },
    );
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    expect(left(m)).toMatchObject({ constraints: [], unbalanced: ['ram'] });
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a stale block word (word 0 as it was before the store): the initial token used twice', () => {
    const m = evilVm(
      ELF,
      (w) => {
        w[0] = 0;
        compress(w);
      },
      {
        tamper: (c) => {
          c.m0Prev![0] = 0;
          c.m0PrevTs![0] = 0;
        },
      },
    );
    // The word's final value is what the stale read yields (the attacker's best).
    setWord(m, 'memory', 'final', memoryRow(m, BLOCK), 0);
    const store = rowOf(m, 'store', { sel: 1, mem_prev_ts: 0 });
    const tsStore = 4 * m.get('store', 'clk', store) + 3;
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['ram'] });
    const w0 = BLOCK / 4;
    expect(d.tuples).toEqual(
      [`ram(${w0},0,0,0,0,0,1) +1`, `ram(${w0},97,98,99,128,${tsStore},1) -1`].sort(),
    );
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a future block word (word 1 as stored after the call): the timestamp range check', () => {
    const m = evilVm(
      ELF,
      (w) => {
        w[1] = LATE;
        compress(w);
      },
      {
        tamper: (c) => {
          c.m1Prev![0] = LATE;
        },
      },
    );
    const clk = callClk(m);
    const base = callStarts(m)[0]!;
    const late = m.findRow('store', (c) => c('sel') === 1 && c('clk') > clk);
    const tsLate = 4 * m.get('store', 'clk', late) + 3;
    // The chain becomes initial -> store -> the call's read (taking the store's token, a
    // negative gap) -> the final value, which the call's read yields at 4·clk + 1.
    setPrevTs(m, ROUNDS, 'm1', base + 5, 4 * clk + 1, tsLate);
    setPrevTs(m, 'store', 'mem', late, tsLate, 0);
    m.set('memory', 'final_ts', memoryRow(m, BLOCK + 4), 4 * clk + 1);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['range16'] });
    expect(d.leftover).toEqual(['range16']);
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a state in read-only memory (the claimed ELF maps the data R--): writable = 1 on both chains', () => {
    // The VM faults (a store to read-only memory). The forgery runs the same code with the
    // data writable and gives every token of a data word the claimed image's flag 0.
    const ran = guestElf({ stores: false });
    const m = maliciousProver(system, ran, {}, withDataFlags(ran, 4));
    const isData = (w: number) => w >= STATE / 4 && w < (STATE + 0x200) / 4;
    for (const [comp, widx, flag] of [
      ['memory', 'widx', 'writable'],
      ['io', 'widx', 'writable'],
      [ROUNDS, 'm1_widx', 'm1_w'],
    ] as const) {
      const n = 2 ** m.trace(comp).logSize;
      for (let r = 0; r < n; r++) if (isData(m.get(comp, widx, r))) m.set(comp, flag, r, 0);
    }
    const d = left(m);
    // The a chain's words fail the constraint; the e chain's (flag the constant 1) the bus.
    expect(d.constraints).toEqual([`${ROUNDS}: init: the state is writable`]);
    expect(d.unbalanced).toEqual(['ram']);
    expect(rejection(m)).toBe('logup-sum');
  });
  it('a block read from code (read-only) whose token comes back writable: the flag travels with the token', () => {
    // The block may be read-only memory (here the code itself); its read passes the token's
    // flag 0 through. Laundering it to 1 (so a later store could write the code) leaves the
    // read's use without a token.
    const m = maliciousProver(system, guestElf({ stores: false, block: 0x10000 }));
    const base = callStarts(m)[0]!;
    expect(m.get(ROUNDS, 'm1_w', base + 4)).toBe(0);
    m.set(ROUNDS, 'm1_w', base + 4, 1);
    expect(left(m)).toMatchObject({ constraints: [], unbalanced: ['ram'] });
    expect(rejection(m)).toBe('logup-sum');
  });
});

describe('sha256_compress: the call and its rounds', () => {
  it('a call without rounds rows (memory left as it was): the call bus', () => {
    // The evil VM's call changes nothing; its rounds rows are dropped and every memory chain
    // skips the call's accesses. The claim: the guest outputs the IV unchanged.
    const m = evilVm(ELF, () => {});
    expect(m.claim.publicOutput).toEqual(le(IV));
    m.replace(ROUNDS, null);
    reroute(m);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['sha256_call'] });
    expect(rejection(m)).toBe('logup-sum');
  });

  it('rounds rows without their call (moved to the next cycle, memory chains rerouted): the call bus', () => {
    const m = maliciousProver(system, ELF);
    const base = callStarts(m)[0]!;
    const clk = callClk(m) + 1;
    for (let j = 0; j < 68; j++) {
      const r = base + j;
      m.set(ROUNDS, 'clk', r, clk);
      if (j < 20) {
        const slot = j < 4 ? 3 : 1;
        setPrevTs(m, ROUNDS, 'm1', r, 4 * clk + slot, m.get(ROUNDS, 'm1_prev_ts', r));
      }
      if (j < 4) setPrevTs(m, ROUNDS, 'm2', r, 4 * clk + 3, m.get(ROUNDS, 'm2_prev_ts', r));
    }
    reroute(m);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['sha256_call'] });
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a message row posing as a schedule row (no memory read, W from padding): the schedule table', () => {
    // The attacker compresses block word 6 with a bit flipped: row 10 (W_6) claims the sched
    // kind, so it reads no memory, and its schedule equation is met by the W of a padding row
    // 16 rows up (the offsets wrap past the call's start). Only the table knows row 10's kind.
    const m = evilVm(
      ELF,
      (w) => {
        w[6]! ^= 0x100;
        compress(w);
      },
      {
        tamper: (c) => {
          c.m6Prev![0]! ^= 0x100;
        },
      },
    );
    const base = callStarts(m)[0]!;
    const r = base + 10;
    m.set(ROUNDS, 'msg', r, 0);
    m.set(ROUNDS, 'sched', r, 1);
    // W_r = σ1(W_r-2) + W_r-7 + σ0(W_r-15) + W_r-16: solve for the padding row r - 16.
    const w16 =
      (getBits(m, 'w', r) -
        smallSigma1(getBits(m, 'w', r - 2)) -
        getBits(m, 'w', r - 7) -
        smallSigma0(getBits(m, 'w', r - 15))) >>>
      0;
    setBits(m, 'w', r - 16, w16);
    recomputeHelpers(m, [r - 16]);
    const terms = [
      smallSigma1(getBits(m, 'w', r - 2)),
      getBits(m, 'w', r - 7),
      smallSigma0(getBits(m, 'w', r - 15)),
      w16,
    ];
    const lo = terms.reduce((s, v) => s + (v & 0xffff), 0);
    const hi = terms.reduce((s, v) => s + (v >>> 16), 0) + (lo >>> 16);
    setBits(m, 'cw_lo', r, lo >>> 16, 2);
    setBits(m, 'cw_hi', r, hi >>> 16, 2);
    reroute(m); // the word's final value takes the token the skipped read would have
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['sha256_schedule'] });
    expect(d.leftover).toEqual(['sha256_schedule']);
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a real row of the all-zero kind (what the schedule padding rows hold): their counts are 0', () => {
    const m = maliciousProver(system, ELF);
    m.set(ROUNDS, 'sel', callStarts(m)[0]! + 68, 1);
    const d = left(m);
    expect(d.constraints).toContain('sha256-schedule: rows past the schedule are never used');
    expect(rejection(m)).toBe('oods');
  });

  it('a padding row (sel = 0) acting as an init row: the kind flags need a real row', () => {
    const m = maliciousProver(system, ELF);
    m.set(ROUNDS, 'init', 100, 1);
    const d = left(m);
    expect(d.constraints).toContain(`${ROUNDS}: init only on real rows`);
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a rounds trace of 64 rows (fewer than 68): the row 64 on is the row itself', () => {
    const m = maliciousProver(system, ELF);
    m.resize(ROUNDS, 6);
    const d = left(m);
    expect(d.constraints).toContain(`${ROUNDS}: the row 64 on is idx + 64`);
    expect(rejection(m)).toBe('oods');
  });

  it('a call cut short (its rows 64..67 cleared): the rows 64 on must exist', () => {
    const m = maliciousProver(system, ELF);
    const base = callStarts(m)[0]!;
    for (const c of m.trace(ROUNDS).columns) (c as Uint32Array).fill(0, base + 64, base + 68);
    const d = left(m);
    expect(d.constraints).toContain(`${ROUNDS}: the round 64 rows on exists`);
    expect(rejection(m)).toBe('oods');
  });
});

describe('sha256_compress: the ecall row', () => {
  it('a call at a pc that holds a nop in the claimed program: the program table', () => {
    // The claimed program never compresses (it outputs the IV); the proof is the real one's.
    const m = maliciousProver(system, ELF, {}, guestElf({ nopCall: true }));
    expect(m.claim.publicOutput).toEqual(HONEST_OUTPUT);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['program'], leftover: ['program'] });
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a7 = 0x1003 (no such precompile: the VM faults) proven as 0x1001: the register bus', () => {
    const m = maliciousProver(system, ELF, {}, guestElf({ a7: 0x1003 }));
    // li a7, 0x1003 is lui a7, 1; addi a7, a7, 3: the ADDI row of the claimed program.
    const row = rowOf(m, 'add', { sel: 1, rd: 17, imm0: 1 });
    for (const c of ['imm0', 'imm_f', 'rs2_v0', 'r0']) m.set('add', c, row, 3);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['reg'] });
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a0 not set to 0 by the call (exit(a0) right after it, claimed = the pointer): the register bus', () => {
    const m = maliciousProver(system, guestElf({ stores: false, exitAfterCall: true }));
    expect(m.claim.exitCode).toBe(0);
    const exitRow = rowOf(m, 'ecall', { sel: 1, is_exit: 1 });
    setWord(m, 'ecall', 'a0_v', exitRow, STATE);
    setPrevTs(m, 'ecall', 'a0', exitRow, 4 * m.get('ecall', 'clk', exitRow), 4 * callClk(m));
    m.claim = { ...m.claim, exitCode: STATE };
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['reg'] });
    expect(rejection(m)).toBe('logup-sum');
  });

  it('rounds on the state one word past a0 (the pointer aliased): word alignment of byte 0', () => {
    // The run compresses at STATE + 4; the claimed program passes STATE (li a0: addi imm 0
    // instead of 4). The call row reads a0 = STATE but keeps q = 1 for the word index.
    const m = maliciousProver(system, guestElf({ state: STATE + 4, out: STATE }), {}, ELF);
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    const row = rowOf(m, 'add', { sel: 1, rd: 10, imm0: 4 });
    for (const c of ['imm0', 'imm_f', 'rs2_v0', 'r0']) m.set('add', c, row, 0);
    m.set(CALL, 'a0_v0', 0, 0);
    const d = left(m);
    expect(d).toMatchObject({
      constraints: [`${CALL}: a0 (a pointer) is word-aligned`],
      unbalanced: [],
    });
    expect(rejection(m)).toBe('oods');
  });
});
