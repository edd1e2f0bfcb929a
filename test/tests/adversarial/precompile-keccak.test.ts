/**
 * The adversarial suite, Keccak precompile (syscall 0x1002 keccakf, @nexus/precompile-keccak):
 * forged proofs of statements involving a keccakf call. Each forgery is diagnosed locally first
 * (which constraints fail, which buses stay unbalanced once every lookup table is recounted),
 * so that the test shows the single mechanism left to catch it; a selection, one per distinct
 * mechanism, is then proven with the real prover (checks off) at the standard config and shown
 * to the real verifier (each proof takes seconds here: the others rest on their diagnosis, the
 * verifier rejecting a failing constraint at OODS and an unbalanced bus at the LogUp sum).
 *
 * Most forgeries start from an "evil VM" (as in precompile-sha256.test.ts): the same guest run
 * by a VM whose keccakf computes something else (a wrong round, a wrong θ, a stale or future
 * state word, nothing at all). Its records are consistent for every other component (memory,
 * io, registers, the claimed output and exit code), so the traces the project's own generators
 * make from them balance everywhere but where the precompile must vouch for the lie. The rounds
 * trace is generated from records whose written state is the true permutation of what they read
 * (the generator refuses anything else), then its rows are rewritten with the lie: every cell
 * of a forged row is a function of the attacker's chain of states, so the only cells that break
 * a rule are the ones the lie needs.
 *
 * Outcome when written: every forgery below is rejected (none accepted), each by the check its
 * diagnosis names; the benign case (a call wrapped around the trace's end, junk in the unused
 * memory cells of rows 1..24) is a true statement and is accepted. Proven and verified: the
 * benign case, a wrong output bit, the θ parity trick, the ι helper, a wrong round-constant
 * bit, a repeated round, a call without rounds, a 16-row rounds trace, two calls sharing a
 * row, a future state word, a read-only state; the others rely on their diagnosis. No soundness
 * bug was found in the precompile.
 */
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
import { checkBusBounds, proofShape, SECURITY } from '@nexus/kernel';
import {
  KECCAKF,
  keccak256,
  keccakf,
  PI_TARGET,
  RC,
  RC_BIT_POSITIONS,
  ROTATION,
  roundWitness,
} from '@nexus/precompile-keccak';
import { bundledPlugins, createZkvm } from '@nexus/sdk';
import { type Records, SYSCALL_EXTENSION, type SyscallExtension } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { diagnose, gapLimbs, getWord, setPrevTs, setWord } from '../../src/adversarial.js';
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

/** Keccak is not in the default build: the SDK's full set (RV32IM + sha256 + keccak). */
const system = createZkvm({ plugins: bundledPlugins() }).system;
const KECCAK = (system.extensions(SYSCALL_EXTENSION) as SyscallExtension[]).find(
  (x) => x.number === KECCAKF,
)!;
const ROUNDS = 'keccak-rounds';
const CALL = 'keccak';
const TABLE = 'keccak-round-constants';
const P = 2 ** 31 - 1;

// ---------------------------------------------------------------------------------------------
// Keccak-f on 50 u32 words (lane i = words 2i, 2i + 1), step by step as the rounds rows hold it.

type State = Uint32Array<ArrayBuffer>;
const bitOf = (s: ArrayLike<number>, lane: number, z: number) =>
  (s[2 * lane + (z >>> 5)]! >>> (z & 31)) & 1;
/** A copy of s with bit z of lane `lane` flipped. */
const flip = (s: ArrayLike<number>, lane: number, z: number): State => {
  const o = Uint32Array.from(s);
  o[2 * lane + (z >>> 5)] = o[2 * lane + (z >>> 5)]! ^ (1 << (z & 31));
  return o;
};
const rotl64 = (lo: number, hi: number, n: number): [number, number] => {
  if (n >= 32) [lo, hi, n] = [hi, lo, n - 32];
  if (n === 0) return [lo >>> 0, hi >>> 0];
  return [((lo << n) | (hi >>> (32 - n))) >>> 0, ((hi << n) | (lo >>> (32 - n))) >>> 0];
};
/** θ's column parities C[x] of a state (10 words). */
const parity = (a: State): State => {
  const c = new Uint32Array(10);
  for (let x = 0; x < 5; x++)
    for (let h = 0; h < 2; h++)
      for (let y = 0; y < 5; y++) c[2 * x + h] = c[2 * x + h]! ^ a[2 * (x + 5 * y) + h]!;
  return c;
};
/** θ's D from any C: D[x] = C[x - 1] xor rotl(C[x + 1], 1). */
const dOf = (c: State): State => {
  const d = new Uint32Array(10);
  for (let x = 0; x < 5; x++) {
    const p = 2 * ((x + 4) % 5);
    const [nlo, nhi] = rotl64(c[2 * ((x + 1) % 5)]!, c[2 * ((x + 1) % 5) + 1]!, 1);
    d[2 * x] = c[p]! ^ nlo;
    d[2 * x + 1] = c[p + 1]! ^ nhi;
  }
  return d;
};
const xorD = (a: State, d: State): State =>
  a.map((w, k) => w ^ d[2 * ((k >> 1) % 5) + (k & 1)]!) as State;
/** χ(π(ρ(A'))) before ι, from any A' (what the AIR's χ limbs hold). */
const chiOf = (ap: State): State => {
  const b = new Uint32Array(50);
  for (let i = 0; i < 25; i++) {
    const [lo, hi] = rotl64(ap[2 * i]!, ap[2 * i + 1]!, ROTATION[i]!);
    b[2 * PI_TARGET[i]!] = lo;
    b[2 * PI_TARGET[i]! + 1] = hi;
  }
  const out = new Uint32Array(50);
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      const i = 2 * (x + 5 * y);
      const i1 = 2 * (((x + 1) % 5) + 5 * y);
      const i2 = 2 * (((x + 2) % 5) + 5 * y);
      for (const h of [0, 1]) out[i + h] = b[i + h]! ^ (~b[i1 + h]! & b[i2 + h]!);
    }
  }
  return out;
};

/**
 * Everything one rounds row holds: its state A (the bytes S), θ's C, C' and A', the χ limbs X
 * (as a 50-word state, lane 0's round-constant bits being the ι helpers) and the helpers h.
 * An honest row is a function of A; a forged row changes some of these consistently.
 */
interface Row {
  a: State;
  c: State;
  cp: State;
  ap: State;
  chi: State;
  h: number[];
}
/** The row of state a whose θ uses the column parities `c` (honest: parity(a)). */
function thetaRow(a: State, c: State = parity(a)): Row {
  const d = dOf(c);
  const ap = xorD(a, d);
  const chi = chiOf(ap);
  return {
    a,
    c,
    cp: c.map((w, k) => w ^ d[k]!) as State,
    ap,
    chi,
    h: RC_BIT_POSITIONS.map((z) => bitOf(chi, 0, z)),
  };
}
const honestRow = (a: State) => thetaRow(a);
/** ι of the row's χ limbs with round constant rc: the next row's state. */
const nextState = (row: Row, rc: readonly [number, number]): State => {
  const s = row.chi.slice();
  s[0] = s[0]! ^ rc[0];
  s[1] = s[1]! ^ rc[1];
  return s;
};
/** Round r of Keccak-f (the reference's, through the functions above). */
const round = (a: State, r: number) => nextState(honestRow(a), RC[r]!);

/**
 * The 25 rows of a permutation of `input`: row j + 1 is ι(χ(...)) of row j with the constant
 * rc(j) (RC[j] unless the attacker says otherwise), each row through `tweak` (the lie).
 */
function chain(
  input: ArrayLike<number>,
  tweak: (j: number, row: Row) => Row = (_, r) => r,
  rc: (j: number) => readonly [number, number] = (j) => RC[j]!,
): Row[] {
  const rows: Row[] = [];
  let a = Uint32Array.from(input);
  for (let j = 0; j < 25; j++) {
    const row = tweak(j, honestRow(a));
    rows.push(row);
    if (j < 24) a = nextState(row, rc(j));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The rounds trace, by cell.

const ROUND_COLUMNS = system.components.find((c) => c.name === ROUNDS)!.component.columns;
const COL = new Map(ROUND_COLUMNS.map((n, i) => [n, i]));
const rowsOf = (m: MaliciousProver, c = ROUNDS) => 2 ** m.trace(c).logSize;
const wrap = (m: MaliciousProver, r: number) => ((r % rowsOf(m)) + rowsOf(m)) % rowsOf(m);
const cells = (m: MaliciousProver, name: string) =>
  m.trace(ROUNDS).columns[COL.get(name)!] as Uint32Array;
/** Writes every state cell of one rounds row (A', C, C', S, X, ι helpers) from `row`. */
function writeRow(m: MaliciousProver, r0: number, row: Row) {
  const r = wrap(m, r0);
  const put = (name: string, v: number) => {
    cells(m, name)[r] = ((v % P) + P) % P;
  };
  for (let i = 0; i < 25; i++) {
    for (let z = 0; z < 64; z++) put(`ap${i}_${z}`, bitOf(row.ap, i, z));
    for (let b = 0; b < 8; b++)
      put(`s${i}_${b}`, (row.a[2 * i + (b >> 2)]! >>> (8 * (b & 3))) & 0xff);
    for (let l = 0; l < 4; l++)
      put(`chi${i}_${l}`, (row.chi[2 * i + (l >> 1)]! >>> (16 * (l & 1))) & 0xffff);
  }
  for (let x = 0; x < 5; x++) {
    for (let z = 0; z < 64; z++) {
      put(`c${x}_${z}`, bitOf(row.c, x, z));
      put(`cp${x}_${z}`, bitOf(row.cp, x, z));
    }
  }
  for (const [j, v] of row.h.entries()) put(`iota${j}`, v);
}
function writeRows(m: MaliciousProver, base: number, rows: readonly Row[]) {
  for (const [j, row] of rows.entries()) writeRow(m, base + j, row);
}
/** The state a rounds row holds (its bytes S), as 50 words. */
const stateAt = (m: MaliciousProver, r: number): State =>
  Uint32Array.from({ length: 50 }, (_, k) =>
    getWord(
      m,
      ROUNDS,
      [0, 1, 2, 3].map((b) => `s${k >> 1}_${4 * (k & 1) + b}`),
      wrap(m, r),
    ),
  );
/** Rows of the rounds trace whose `start` is set: the first row of each call. */
const callStarts = (m: MaliciousProver): number[] => {
  const start = cells(m, 'start');
  return [...start.keys()].filter((r) => start[r] === 1);
};

// ---------------------------------------------------------------------------------------------
// The guest: stores W0 into state word 0, permutes the 200-byte state at STATE (keccakf with
// a0 = STATE, a7 = 0x1002), stores LATE into word 1, writes the state to the public output and
// exits with 0.
const STATE = 0x20000;
const W0 = 0x5a5a5a5a;
const LATE = 0xdeadbeef;
const DATA = Uint8Array.from({ length: 200 }, (_, i) => (i * 37 + 1) & 0xff);
const DATA_WORDS = new Uint32Array(DATA.slice().buffer);

interface GuestOptions {
  /** The call's ecall replaced by a nop (addi x0, x0, 0). */
  readonly nopCall?: boolean;
  readonly a7?: number;
  readonly ptr?: number;
  readonly calls?: number;
  /** The stores before and after the call (default on). */
  readonly stores?: boolean;
  /** exit(a0) right after the call (a0 as the call left it) instead of the output. */
  readonly exitAfterCall?: boolean;
  /** What is written to the output (default: the whole state). */
  readonly out?: number;
  readonly outLen?: number;
}

function guestElf(o: GuestOptions = {}): Uint8Array {
  const stores = o.stores ?? true;
  const call = [
    ...li(10, o.ptr ?? STATE),
    ...li(17, o.a7 ?? KECCAKF),
    o.nopCall ? asm.addi(0, 0, 0) : asm.ecall(),
  ];
  const code = [
    ...(stores ? [...li(6, STATE), ...li(5, W0), asm.sw(5, 6, 0)] : []),
    ...Array.from({ length: o.calls ?? 1 }, () => call).flat(),
  ];
  if (o.exitAfterCall) code.push(...exit());
  else {
    if (stores) code.push(...li(5, LATE), asm.sw(5, 6, 4));
    code.push(...li(11, o.out ?? STATE), ...li(12, o.outLen ?? 200), ...write(1), ...exit(0));
  }
  return buildElf({ code, data: DATA, dataBase: STATE, bss: 0x100 });
}
const ELF = guestElf();
/** The state the honest guest's call reads (word 0 stored before it). */
const INPUT = (() => {
  const s = DATA_WORDS.slice();
  s[0] = W0;
  return s;
})();
/** The honest public output: Keccak-f of INPUT, then word 1 overwritten by LATE. */
const HONEST_OUTPUT = (() => {
  const s = INPUT.slice();
  keccakf(s);
  s[1] = LATE;
  return le(s);
})();

// ---------------------------------------------------------------------------------------------
// Forging helpers.

/**
 * A malicious prover for `elf` whose traces come from a VM where keccakf runs `compute`
 * instead: every component but the rounds agrees with that VM. The rounds trace is generated
 * from the evil records after `tamper` changed what the rounds read (values or timestamps),
 * with the written state set to the true permutation of what they read: a test then rewrites
 * the rounds rows into the lie it needs.
 */
function evilVm(
  elf: Uint8Array,
  compute: (w: Uint32Array) => void,
  opts: {
    inputs?: RunInputs;
    tamper?: (cols: Record<string, Uint32Array>) => void;
    claimedElf?: Uint8Array;
  } = {},
): MaliciousProver {
  const inputs = opts.inputs ?? {};
  const m = maliciousProver(system, elf, inputs, opts.claimedElf);
  const evil = traceRun(elf, { ...inputs, syscalls: [{ ...KECCAK, compute }] });
  const rec = evil.records.precompiles.keccak!;
  const cols: Record<string, Uint32Array> = {};
  for (const [k, v] of Object.entries(rec.columns)) cols[k] = v.slice();
  opts.tamper?.(cols);
  for (let i = 0; i < rec.length; i++) {
    const s = Uint32Array.from({ length: 50 }, (_, k) => cols[`m${k}Prev`]![i]!);
    keccakf(s);
    for (let k = 0; k < 50; k++) cols[`m${k}Val`]![i] = s[k]!;
  }
  const records: Records = {
    ...evil.records,
    precompiles: { ...evil.records.precompiles, keccak: { ...rec, columns: cols } },
  };
  return useEvilRun(m, system, evil, records, inputs.publicInput ?? new Uint8Array(0));
}

/** An evil keccakf that runs `chain` (the lie) and writes its row 24. */
const evilChain =
  (tweak?: (j: number, row: Row) => Row, rc?: (j: number) => readonly [number, number]) =>
  (w: Uint32Array) => {
    w.set(chain(w, tweak, rc)[24]!.a);
  };

const callClk = (m: MaliciousProver) => m.get(CALL, 'clk', 0);
const transition = (lane: number, limb: number) =>
  `${ROUNDS}: round: limb ${limb} of lane ${lane} of the next state is iota(chi)`;
/** Rewrites an ADDI row's immediate (and so its result) from `from` to `to` (both < 2^11). */
function patchAddi(m: MaliciousProver, rd: number, from: number, to: number) {
  const row = rowOf(m, 'add', { sel: 1, is_addi: 1, rd, rs1: rd, imm0: from });
  for (const c of ['imm0', 'imm_f', 'rs2_v0']) m.set('add', c, row, to);
  m.set('add', 'r0', row, m.get('add', 'r0', row) - from + to);
}

// ---------------------------------------------------------------------------------------------

describe('keccakf: honest runs (what the forgeries start from)', () => {
  it('the guest balances, with Keccak-f of its state as its output, 25 rounds rows per call', () => {
    const m = maliciousProver(system, ELF);
    expect(m.claim.publicOutput).toEqual(HONEST_OUTPUT);
    // The test's step-by-step Keccak-f is the precompile's, row by row.
    const rows = chain(INPUT);
    const s = INPUT.slice();
    KECCAK.compute(s);
    expect(rows[24]!.a).toEqual(s);
    for (let r = 0; r < 24; r++) expect(round(rows[r]!.a, r)).toEqual(rows[r + 1]!.a);
    const w = roundWitness(INPUT);
    expect(thetaRow(INPUT)).toMatchObject({ c: w.c, cp: w.cp, ap: w.ap, chi: w.chi });
    expect(callStarts(m)).toEqual([0]);
    expect(m.trace(ROUNDS).logSize).toBe(5);
    for (const r of [0, 11, 24]) expect(stateAt(m, r)).toEqual(rows[r]!.a);
    // writeRow writes exactly the generator's cells.
    const before = m.trace(ROUNDS).columns.map((c) => c.slice());
    writeRows(m, 0, rows);
    expect(m.trace(ROUNDS).columns).toEqual(before);
    expect(diagnose(m)).toMatchObject({ constraints: [], unbalanced: [] });
  });

  it('benign: the call wrapped around the trace end, junk in the memory cells of rows 1..24: accepted', () => {
    // The rounds constraints read their row offsets cyclically, so a call may start 10 rows
    // before the end (rows 22..31, 0..14). The access cells m{k}_* of the rows that make no
    // access (multiplicity `start`) enter nothing: any junk there is harmless.
    const m = maliciousProver(system, ELF);
    for (let r = 1; r < 25; r++) {
      for (let k = 0; k < 50; k++) {
        cells(m, `m${k}_prev_ts`)[r] = 4 * callClk(m) + 3 + r; // a "future" timestamp
        cells(m, `m${k}_lo`)[r] = P - 1;
        cells(m, `m${k}_hi`)[r] = 99999 + k;
      }
    }
    const t = m.trace(ROUNDS);
    const n = 2 ** t.logSize;
    const shift = n - 10;
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
});

describe('keccakf: wrong permutations', () => {
  it('a claimed output that is not what the call wrote: the output bus', () => {
    const m = maliciousProver(system, ELF);
    const out = m.claim.publicOutput.slice();
    out[100]! ^= 1;
    m.claim = { ...m.claim, publicOutput: out };
    expect(left(m)).toMatchObject({ constraints: [], unbalanced: ['output'] });
  });

  it('a wrong output bit (the output row consistent in itself): ι and the step to row 24', () => {
    // The call writes Keccak-f with bit 32 of lane 1 flipped; row 24 holds that state with
    // its θ and χ cells recomputed. Only round 23's step to it is wrong.
    const m = evilVm(
      ELF,
      evilChain((j, row) => (j === 24 ? honestRow(flip(row.a, 1, 32)) : row)),
    );
    const base = callStarts(m)[0]!;
    writeRows(
      m,
      base,
      chain(INPUT, (j, row) => (j === 24 ? honestRow(flip(row.a, 1, 32)) : row)),
    );
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    expect(left(m)).toMatchObject({ constraints: [transition(1, 2)], unbalanced: [] });
    expect(rejection(m)).toBe('oods');
  });

  it("θ parity trick: a wrong column parity C, with C' and A' re-solved around it: the parity constraint", () => {
    // Row 7: C[2] bit 5 flipped. C' = C xor D(C) and A' = A xor D(C) are re-solved from the
    // wrong C, so the bytes (A = A' xor C xor C') and the xor3 definition of C' hold; A' is no
    // longer θ(A) (D differs in two bits, A' in ten), and χ and every later round follow it.
    // What is left: C' = xor_y A'[2, y, 5] (Σ_y A' - C' in {0, 2, 4}) fails at that one bit.
    const tweak = (j: number, row: Row) => (j === 7 ? thetaRow(row.a, flip(row.c, 2, 5)) : row);
    const m = evilVm(ELF, evilChain(tweak));
    const rows = chain(INPUT, tweak);
    const honest = chain(INPUT);
    expect(rows[7]!.a).toEqual(honest[7]!.a);
    expect(rows[8]!.a).not.toEqual(honest[8]!.a);
    writeRows(m, callStarts(m)[0]!, rows);
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    expect(left(m)).toMatchObject({
      constraints: [`${ROUNDS}: theta: c'2_5 is the parity of column 2 of A'`],
      unbalanced: [],
    });
    expect(rejection(m)).toBe('oods');
  });

  it("θ: a wrong D (C' = parity of A', A' = A xor D' with D' != D(C)): the xor3 definition of C'", () => {
    // Row 3: D' = D(C) with bit (1, 9) flipped; A' = A xor D', C' = C xor D'. Now C' is the
    // parity of A' (C is the true parity) and the bytes hold; only C' = xor3(C, C[x-1],
    // C[x+1] <<< 1) fails.
    const tweak = (j: number, row: Row): Row => {
      if (j !== 3) return row;
      const d = flip(dOf(row.c), 1, 9);
      const ap = xorD(row.a, d);
      const chi = chiOf(ap);
      return {
        ...row,
        cp: row.c.map((w, k) => w ^ d[k]!) as State,
        ap,
        chi,
        h: RC_BIT_POSITIONS.map((z) => bitOf(chi, 0, z)),
      };
    };
    const m = evilVm(ELF, evilChain(tweak));
    writeRows(m, callStarts(m)[0]!, chain(INPUT, tweak));
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    expect(left(m)).toMatchObject({
      constraints: [`${ROUNDS}: theta: c'1_9 = c xor d`],
      unbalanced: [],
    });
  });

  it("θ: non-boolean A' cells (-1 and 1, the byte kept: -1 + 2·1 = 1·1 + 2·0): the boolean constraint", () => {
    // Row 12: where A' has the bits (1, 0) at z, z + 1 of one byte and D is 0 there (so A's
    // bits are A''s), the attacker writes (-1, 1): the byte Σ 2^j·xor3(A', C, C') is the same,
    // so the bytes' definition holds. -1 is no bit: its boolean constraint fails (with the
    // column parity at z + 1 and a χ limb, which the non-bit moves as well).
    const m = maliciousProver(system, ELF);
    const r = 12;
    const row = chain(INPUT)[r]!;
    const d = dOf(row.c);
    const spots: [number, number][] = [];
    for (let i = 0; i < 25; i++) {
      for (let z = 0; z < 63; z++) {
        const ok =
          (z & 7) !== 7 &&
          bitOf(row.ap, i, z) === 1 &&
          bitOf(row.ap, i, z + 1) === 0 &&
          bitOf(d, i % 5, z) === 0 &&
          bitOf(d, i % 5, z + 1) === 0;
        if (ok) spots.push([i, z]);
      }
    }
    const [lane, z] = spots[0]!;
    cells(m, `ap${lane}_${z}`)[r] = P - 1;
    cells(m, `ap${lane}_${z + 1}`)[r] = 1;
    const left1 = left(m);
    expect(left1.constraints).toContain(`${ROUNDS}: ap${lane}_${z} is boolean`);
    expect(left1.constraints.some((c) => c.includes(`s${lane}_`))).toBe(false);
  });

  it('χ limb packing: a χ limb off by one bit, the next row following it: the limb definition', () => {
    // Row 9's limb 1 of lane 7 (bits 16..31) holds χ with bit 20 flipped; round 9 steps to it.
    const tweak = (j: number, row: Row) => (j === 9 ? { ...row, chi: flip(row.chi, 7, 20) } : row);
    const m = evilVm(ELF, evilChain(tweak));
    writeRows(m, callStarts(m)[0]!, chain(INPUT, tweak));
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    expect(left(m)).toMatchObject({
      constraints: [`${ROUNDS}: chi7_1 is limb 1 of chi`],
      unbalanced: [],
    });
  });

  it('the step to the next row by limbs: a byte of 256 + b, its neighbour one less, same limb: the byte definition', () => {
    // Row 12 keeps the limb S[0] + 2^8·S[1] of lane 4 that round 11 steps to, but as the
    // "bytes" (S[0] + 256, S[1] - 1). The bytes are defined by A's bits, so both fail.
    const m = maliciousProver(system, ELF);
    const r = 12;
    const b0 = cells(m, 's4_0')[r]!;
    const b1 = cells(m, 's4_1')[r]!;
    expect(b1).toBeGreaterThan(0);
    cells(m, 's4_0')[r] = b0 + 256;
    cells(m, 's4_1')[r] = b1 - 1;
    expect(left(m)).toMatchObject({
      constraints: [`${ROUNDS}: s4_0 is byte 0 of A`, `${ROUNDS}: s4_1 is byte 1 of A`],
      unbalanced: [],
    });
  });

  it('ι helper: iota_3 not χ bit 7 of lane 0 (the χ limb and the next row following it): its definition', () => {
    // Row 5: the helper iota_3 (χ's bit 7 of lane 0, xored with rc_3 into the next state) is
    // flipped, and lane 0's limb 0 takes it, as the limb's definition reads the helper there.
    const tweak = (j: number, row: Row): Row => {
      if (j !== 5) return row;
      const h = row.h.slice();
      h[3] = 1 - h[3]!;
      return { ...row, chi: flip(row.chi, 0, 7), h };
    };
    const m = evilVm(ELF, evilChain(tweak));
    writeRows(m, callStarts(m)[0]!, chain(INPUT, tweak));
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    expect(left(m)).toMatchObject({
      constraints: [`${ROUNDS}: iota3: chi bit 7 of lane 0`],
      unbalanced: [],
    });
    expect(rejection(m)).toBe('oods');
  });

  it('a wrong round constant bit (RC[10] bit 15 flipped, rc_4 with it): the round-constant table', () => {
    const z = 15;
    const j = RC_BIT_POSITIONS.indexOf(z);
    const rc = (r: number): [number, number] =>
      r === 10 ? [RC[r]![0] ^ (1 << z), RC[r]![1]] : [RC[r]![0], RC[r]![1]];
    const m = evilVm(ELF, evilChain(undefined, rc));
    const base = callStarts(m)[0]!;
    writeRows(m, base, chain(INPUT, undefined, rc));
    cells(m, `rc${j}`)[base + 10] = 1 - cells(m, `rc${j}`)[base + 10]!;
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['keccak_round'] });
    expect(d.leftover).toEqual(['keccak_round']);
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a skipped round (round 10 leaves the state as it was, the rows after it recomputed): its step', () => {
    const skip = (w: Uint32Array) => {
      let a = w.slice();
      for (let r = 0; r < 24; r++) if (r !== 10) a = round(a, r);
      w.set(a);
    };
    const m = evilVm(ELF, skip);
    const base = callStarts(m)[0]!;
    let a = INPUT.slice();
    for (let r = 0; r <= 24; r++) {
      writeRow(m, base + r, honestRow(a));
      if (r < 24 && r !== 10) a = round(a, r);
    }
    expect(stateAt(m, base + 24)).toEqual(a);
    const d = left(m);
    expect(d.unbalanced).toEqual([]);
    expect(d.constraints.length).toBeGreaterThan(0);
    expect(d.constraints.every((c) => c.startsWith(`${ROUNDS}: round: limb`))).toBe(true);
  });

  it('a repeated round (row 9 runs round 8 again, round 23 dropped; every kind from the table): idx counting', () => {
    // Rows 9..23 claim idx 8..22 with those rounds' constants (each a true table row), the
    // output row keeps idx 24: the chain computes rounds 0..8, 8, 9..22. Every step holds.
    const idxOf = (j: number) => (j <= 8 || j === 24 ? j : j - 1);
    const rc = (j: number) => RC[idxOf(j)]!;
    const m = evilVm(ELF, evilChain(undefined, rc));
    const base = callStarts(m)[0]!;
    writeRows(m, base, chain(INPUT, undefined, rc));
    for (let j = 9; j < 24; j++) {
      cells(m, 'idx')[base + j] = idxOf(j);
      RC_BIT_POSITIONS.forEach((z, b) => {
        cells(m, `rc${b}`)[base + j] = bitOf(RC[idxOf(j)]!, 0, z);
      });
    }
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    expect(left(m)).toMatchObject({
      constraints: [`${ROUNDS}: idx counts up within a call`],
      unbalanced: [],
      leftover: [],
    });
    expect(rejection(m)).toBe('oods');
  });

  it('the real guest (keccak256-precompile.elf, 2 calls): a digest one bit off: the step to row 24', () => {
    const publicInput = new TextEncoder().encode('y'.repeat(150));
    const lie = (w: Uint32Array) => {
      keccakf(w);
      w[0] = w[0]! ^ 1;
    };
    const m = evilVm(guest('keccak256-precompile'), lie, { inputs: { publicInput } });
    const starts = callStarts(m);
    expect(starts.length).toBe(2);
    for (const base of starts) {
      const out = chain(stateAt(m, base))[24]!.a;
      writeRow(m, base + 24, honestRow(flip(out, 0, 0)));
    }
    expect(m.claim.publicOutput).not.toEqual(keccak256(publicInput));
    expect(left(m)).toMatchObject({ constraints: [transition(0, 0)], unbalanced: [] });
  });
});

describe('keccakf: row kinds and the rows of a call', () => {
  it('a round row claiming no round (round = 0: no step, the next state free): the round-constant table', () => {
    // Row 15 keeps idx 15 and its constant but drops `round`, so round 15's step is not
    // checked; row 16 holds the attacker's state (a bit off) and the rows after follow it.
    const tweak = (j: number, row: Row) => (j === 16 ? honestRow(flip(row.a, 3, 40)) : row);
    const m = evilVm(ELF, evilChain(tweak));
    const base = callStarts(m)[0]!;
    writeRows(m, base, chain(INPUT, tweak));
    cells(m, 'round')[base + 15] = 0;
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['keccak_round'] });
    expect(d.leftover).toEqual(['keccak_round']);
  });

  it('a real row of the all-zero kind (what table rows 25..31 hold): their counts are 0', () => {
    const m = maliciousProver(system, ELF);
    cells(m, 'sel')[callStarts(m)[0]! + 25] = 1;
    const d = left(m);
    expect(d.constraints).toContain(`${TABLE}: rows past the 25 kinds are never used`);
    expect(d.constraints).toContain(`${ROUNDS}: idx counts up within a call`);
  });

  it('a padding row (sel = 0) acting as a start or a round row: the kind flags need a real row', () => {
    const m = maliciousProver(system, ELF);
    cells(m, 'round')[30] = 1;
    expect(left(m)).toMatchObject({
      constraints: [`${ROUNDS}: round only on real rows`],
      unbalanced: [],
    });
    cells(m, 'round')[30] = 0;
    cells(m, 'start')[30] = 1;
    expect(left(m).constraints).toContain(`${ROUNDS}: start only on real rows`);
  });

  it('a call without rounds rows (memory left as it was): the call bus', () => {
    // The evil VM's call changes nothing; its rounds rows are dropped and every memory chain
    // skips the call's accesses. The claim: the state comes out unpermuted.
    const m = evilVm(ELF, () => {});
    const unpermuted = INPUT.slice();
    unpermuted[1] = LATE;
    expect(m.claim.publicOutput).toEqual(le(unpermuted));
    m.replace(ROUNDS, null);
    reroute(m);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['keccak_call'] });
    expect(rejection(m)).toBe('logup-sum');
  });

  it('rounds rows without their call (moved to the next cycle, memory chains rerouted): the call bus', () => {
    const m = maliciousProver(system, ELF);
    const base = callStarts(m)[0]!;
    const clk = callClk(m) + 1;
    for (let j = 0; j < 25; j++) cells(m, 'clk')[base + j] = clk;
    for (let k = 0; k < 50; k++)
      setPrevTs(m, ROUNDS, `m${k}`, base, 4 * clk + 3, cells(m, `m${k}_prev_ts`)[base]!);
    reroute(m);
    expect(left(m)).toMatchObject({ constraints: [], unbalanced: ['keccak_call'] });
  });

  it('a rounds trace of 16 rows (fewer than 25): the row 24 on is a row of the call itself', () => {
    const m = maliciousProver(system, ELF);
    m.resize(ROUNDS, 4);
    const d = left(m);
    // Row 24 on is row 8 (idx 8, not 24); round 15 steps to row 0 (the input); the 50 writes
    // take row 8's bytes, not the output the memory holds: no 16-row call is consistent.
    expect(d.constraints).toContain(`${ROUNDS}: the row 24 on is the output row`);
    expect(d.constraints).toContain(transition(0, 0));
    expect(d.unbalanced).toEqual(['ram']);
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a call cut short (its rows 13..24 cleared): the row 24 on must exist', () => {
    const m = maliciousProver(system, ELF);
    const base = callStarts(m)[0]!;
    for (const c of m.trace(ROUNDS).columns) (c as Uint32Array).fill(0, base + 13, base + 25);
    expect(left(m).constraints).toContain(`${ROUNDS}: the output row 24 on exists`);
  });

  it("two calls sharing a row (the second call's input row is the first's output row): the row 24 on", () => {
    // Two calls on one state: call 2 reads exactly what call 1 wrote, so the attacker lets
    // call 2 start on call 1's output row (49 rows instead of 50). Every step, the memory and
    // both call links hold; that row cannot be both call 1's idx 24 and call 2's idx 0.
    const m = maliciousProver(system, guestElf({ calls: 2 }));
    expect(callStarts(m)).toEqual([0, 25]);
    for (const c of m.trace(ROUNDS).columns) {
      (c as Uint32Array).copyWithin(24, 25, 50);
      (c as Uint32Array)[49] = 0;
    }
    expect(callStarts(m)).toEqual([0, 24]);
    expect(left(m)).toMatchObject({
      constraints: [
        `${ROUNDS}: the row 24 on belongs to the same call`,
        `${ROUNDS}: the row 24 on is the output row`,
      ],
      unbalanced: [],
    });
    expect(rejection(m)).toBe('oods');
  });

  it('the LogUp bound: a rounds row counts 202 bus entries, so 2^24 rows are refused before anything is read', () => {
    const air = system.components.find((c) => c.name === ROUNDS)!;
    const perRow = air.entries.reduce((s, e) => s + (e.bound === 'table' ? 0 : e.bound), 0);
    expect(perRow).toBe(202);
    const m = maliciousProver(system, ELF);
    const sizes = (log: number) =>
      system.components.map((c) =>
        c.name === ROUNDS ? log : (m.traces.get(c.name)?.logSize ?? null),
      );
    expect(() => checkBusBounds(proofShape(system, sizes(23), SECURITY.standard))).not.toThrow();
    expect(() => checkBusBounds(proofShape(system, sizes(24), SECURITY.standard))).toThrow(
      /LogUp is sound only below p/,
    );
  });
});

describe('keccakf: the 50 memory accesses', () => {
  it('a stale state word (word 0 as it was before the store): the initial token used twice', () => {
    const m = evilVm(
      ELF,
      (w) => {
        w[0] = DATA_WORDS[0]!;
        keccakf(w);
      },
      {
        tamper: (c) => {
          c.m0Prev![0] = DATA_WORDS[0]!;
          c.m0PrevTs![0] = 0;
        },
      },
    );
    expect(m.claim.publicOutput).not.toEqual(HONEST_OUTPUT);
    const store = rowOf(m, 'store', { sel: 1, mem_prev_ts: 0 });
    const tsStore = 4 * m.get('store', 'clk', store) + 3;
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['ram'] });
    const w0 = STATE / 4;
    const bytes = (v: number) => [0, 1, 2, 3].map((b) => (v >>> (8 * b)) & 0xff).join(',');
    expect(d.tuples).toEqual(
      [
        `ram(${w0},${bytes(DATA_WORDS[0]!)},0,1) +1`,
        `ram(${w0},${bytes(W0)},${tsStore},1) -1`,
      ].sort(),
    );
  });

  it('a future state word (word 1 as stored after the call): the timestamp range check', () => {
    // The call permutes the state with word 1 = LATE, which the guest stores only after it.
    // The chain of word 1 becomes initial -> the store (now first) -> the call's read (taking
    // the store's token: a negative gap) -> the call's write -> the final value. The output
    // is words 2..49 (the store overwrites word 1 in the VM).
    const elf = guestElf({ out: STATE + 8, outLen: 192 });
    const m = evilVm(
      elf,
      (w) => {
        w[1] = LATE;
        keccakf(w);
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
    const out1 = stateAt(m, base + 24)[1]!;
    setPrevTs(m, ROUNDS, 'm1', base, 4 * clk + 3, tsLate);
    setPrevTs(m, 'store', 'mem', late, tsLate, 0);
    setWord(m, 'store', 'mem_prev', late, DATA_WORDS[1]!);
    const mem = memoryRow(m, STATE + 4);
    setWord(m, 'memory', 'final', mem, out1);
    m.set('memory', 'final_ts', mem, 4 * clk + 3);
    expect(gapLimbs(4 * clk + 3, tsLate).hi).toBeGreaterThanOrEqual(2 ** 13);
    const honest = maliciousProver(system, elf);
    expect(m.claim.publicOutput).not.toEqual(honest.claim.publicOutput);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['range16'] });
    expect(d.leftover).toEqual(['range16']);
    expect(rejection(m)).toBe('logup-sum');
  });

  it('a state in read-only memory (the claimed ELF maps the data R--): writable = 1 on both tuples', () => {
    // The VM faults (CodeWriteError). The forgery runs the same code with the data writable
    // and gives every other token of a data word the claimed image's flag 0.
    const ran = guestElf({ stores: false });
    const m = maliciousProver(system, ran, {}, withDataFlags(ran, 4));
    const isData = (w: number) => w >= STATE / 4 && w < STATE / 4 + 1024;
    for (const [comp, widx, flag] of [
      ['memory', 'widx', 'writable'],
      ['io', 'widx', 'writable'],
    ] as const) {
      const n = 2 ** m.trace(comp).logSize;
      for (let r = 0; r < n; r++) if (isData(m.get(comp, widx, r))) m.set(comp, flag, r, 0);
    }
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['ram'] });
    expect(rejection(m)).toBe('logup-sum');
  });

  it("an access's cells moved to row 1 (row 0's left to chance): only the start row's cells count", () => {
    const m = maliciousProver(system, ELF);
    const base = callStarts(m)[0]!;
    for (const s of ['prev_ts', 'lo', 'hi']) {
      cells(m, `m0_${s}`)[base + 1] = cells(m, `m0_${s}`)[base]!;
      cells(m, `m0_${s}`)[base] = 0;
    }
    const d = left(m);
    expect(d.constraints).toEqual([`${ROUNDS}: state word 0: timestamp increases`]);
    expect(d.unbalanced).toEqual(['ram']);
  });
});

describe('keccakf: the ecall row and its pointer', () => {
  it('rounds on the state one word past a0 (the pointer aliased): word alignment of byte 0', () => {
    // The run permutes at STATE + 4; the claimed program passes STATE (its li a0 adds 0, not
    // 4). The call row reads a0 = STATE but keeps q = 1 for the word index.
    const claimed = guestElf({ stores: false });
    const m = maliciousProver(system, guestElf({ ptr: STATE + 4, stores: false }), {}, claimed);
    const honest = DATA_WORDS.slice();
    keccakf(honest);
    expect(m.claim.publicOutput).not.toEqual(le(honest));
    patchAddi(m, 10, 4, 0);
    m.set(CALL, 'a0_v0', 0, 0);
    expect(left(m)).toMatchObject({
      constraints: [`${CALL}: a0 (a pointer) is word-aligned`],
      unbalanced: [],
    });
  });

  it('a misaligned pointer (a0 = STATE + 2, q = 2^30 so that 4q = 2 mod p): q is not a byte', () => {
    // The VM faults (misaligned). 4·q = byte 0 holds in the field with q = 2/4 = 2^30, which
    // makes the word index 2^30 + STATE/4, not the state's: two ways out, both closed.
    const claimed = guestElf({ ptr: STATE + 2, stores: false });
    const m = maliciousProver(system, guestElf({ stores: false }), {}, claimed);
    patchAddi(m, 10, 0, 2);
    m.set(CALL, 'a0_v0', 0, 2);
    m.set(CALL, 'a0_q', 0, 2 ** 30);
    expect((4 * 2 ** 30) % P).toBe(2);
    const d = left(m);
    expect(d.constraints).toEqual([]);
    expect(d.leftover).toContain('bitwise');
    expect(d.unbalanced).toContain('keccak_call');
  });

  it('a state at an unmapped address (a0 = 0x40000; the call changes nothing): no memory token', () => {
    // The VM faults (unmapped). The evil VM's call does nothing; the claimed program loads
    // 0x40000 into a0 (lui); the rounds rows name that word index, and the state's memory
    // chains skip the call.
    const claimedElf = guestElf({ ptr: 0x40000, stores: false });
    const m = evilVm(guestElf({ stores: false }), () => {}, { claimedElf });
    expect(m.claim.publicOutput).toEqual(DATA);
    const lui = rowOf(m, 'lui', { sel: 1, rd: 10, imm2: 2 });
    m.set('lui', 'imm2', lui, 4);
    m.set('lui', 'imm_f', lui, m.get('lui', 'imm_f', lui) * 2);
    const addi = rowOf(m, 'add', { sel: 1, is_addi: 1, rd: 10, rs1: 10, rs1_v2: 2 });
    for (const c of ['rs1_v2', 'rd_prev2', 'r2']) m.set('add', c, addi, 4);
    m.set(CALL, 'a0_v2', 0, 4);
    const ptr = 0x40000 / 4;
    const base = callStarts(m)[0]!;
    for (let j = 0; j < 25; j++) cells(m, 'ptr')[base + j] = ptr;
    reroute(m);
    const d = left(m);
    expect(d).toMatchObject({ constraints: [], unbalanced: ['ram'] });
    // What is left: the rounds' 50 reads and 50 writes of words no memory row maps.
    expect(d.tuples).toHaveLength(100);
    expect(d.tuples.every((t) => Number(t.slice(4).split(',')[0]) >= ptr)).toBe(true);
  });

  it('a call at a pc that holds a nop in the claimed program: the program table', () => {
    const m = maliciousProver(system, ELF, {}, guestElf({ nopCall: true }));
    expect(m.claim.publicOutput).toEqual(HONEST_OUTPUT);
    expect(left(m)).toMatchObject({
      constraints: [],
      unbalanced: ['program'],
      leftover: ['program'],
    });
  });

  it("a7 = 0x1001 (sha256_compress's number) proven as a keccakf call: the register bus", () => {
    const m = maliciousProver(system, ELF, {}, guestElf({ a7: 0x1001 }));
    patchAddi(m, 17, 2, 1);
    expect(left(m)).toMatchObject({ constraints: [], unbalanced: ['reg'] });
  });

  it('a0 not set to 0 by the call (exit(a0) right after it, claimed = the pointer): the register bus', () => {
    const m = maliciousProver(system, guestElf({ stores: false, exitAfterCall: true }));
    expect(m.claim.exitCode).toBe(0);
    const exitRow = rowOf(m, 'ecall', { sel: 1, is_exit: 1 });
    setWord(m, 'ecall', 'a0_v', exitRow, STATE);
    setPrevTs(m, 'ecall', 'a0', exitRow, 4 * m.get('ecall', 'clk', exitRow), 4 * callClk(m));
    m.claim = { ...m.claim, exitCode: STATE };
    expect(left(m)).toMatchObject({ constraints: [], unbalanced: ['reg'] });
  });
});
