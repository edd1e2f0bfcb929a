import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  asm,
  buildElf,
  checkMutations,
  exit,
  li,
  type MaliciousProver,
  maliciousProver,
  traceRun,
  write,
} from '@nexus/air-testing';
import { analyzeComponent, assembleSystem, encodeProof } from '@nexus/kernel';
import { prove } from '@nexus/prover';
import { rv32im } from '@nexus/rv32im';
import { verify } from '@nexus/verifier';
import {
  CodeWriteError,
  deriveLayout,
  execute,
  generateRecords,
  MisalignedAccessError,
  UnknownSyscallError,
} from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import {
  KECCAKF,
  keccak,
  keccak256,
  keccakCallComponent,
  keccakf,
  keccakfStates,
  keccakRound,
  keccakRoundConstantsComponent,
  keccakRoundsComponent,
  keccakSyscall,
  PI_TARGET,
  RC,
  RC_BIT_POSITIONS,
  ROTATION,
  ROWS_PER_CALL,
  stateCells,
} from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);
const u64 = (s: Uint32Array, lane: number) =>
  (
    s[2 * lane + 1]!.toString(16).padStart(8, '0') + s[2 * lane]!.toString(16).padStart(8, '0')
  ).toUpperCase();

describe('the reference Keccak-f[1600]', () => {
  it('permutes the zero state as the Keccak reference does', () => {
    const s = new Uint32Array(50);
    keccakf(s);
    expect(u64(s, 0)).toBe('F1258F7940E1DDE7');
    expect(u64(s, 1)).toBe('84D5CCF933C0478A');
    // And once more (the reference's second permutation of the zero state starts so).
    keccakf(s);
    expect(u64(s, 0)).toBe('2D5C954DF96ECB3C');
  });

  it('hashes the Keccak-256 vectors', () => {
    expect(hex(keccak256(new Uint8Array(0)))).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    expect(hex(keccak256(utf8('abc')))).toBe(
      '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
  });

  it('is the permutation under node:crypto SHA3-256 (same sponge, padding 0x06)', () => {
    // An independent check of the permutation across block boundaries: SHA3-256 is Keccak
    // with rate 136 and the domain padding 0x06 instead of Keccak-256's 0x01.
    const sha3 = (msg: Uint8Array) => {
      const state = new Uint32Array(50);
      const bytes = new Uint8Array(state.buffer);
      const padded = new Uint8Array(Math.floor(msg.length / 136 + 1) * 136);
      padded.set(msg);
      padded[msg.length] = padded[msg.length]! ^ 0x06;
      padded[padded.length - 1] = padded[padded.length - 1]! ^ 0x80;
      for (let off = 0; off < padded.length; off += 136) {
        for (let i = 0; i < 136; i++) bytes[i] = bytes[i]! ^ padded[off + i]!;
        keccakf(state);
      }
      return hex(bytes.slice(0, 32));
    };
    for (const n of [0, 1, 135, 136, 137, 271, 272, 1000]) {
      const msg = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);
      expect(sha3(msg)).toBe(createHash('sha3-256').update(msg).digest('hex'));
    }
  });

  it('has the round constants of the LFSR and the offsets of the ρ walk (FIPS 202)', () => {
    // rc(t): the LFSR x^8 + x^6 + x^5 + x^4 + 1; RC[i] bit 2^j - 1 = rc(j + 7i).
    const rc = (t: number) => {
      if (t % 255 === 0) return 1;
      let r = 1;
      for (let k = 1; k <= t % 255; k++) {
        r <<= 1;
        if (r & 0x100) r ^= 0x171;
      }
      return r & 1;
    };
    for (let i = 0; i < 24; i++) {
      const want = [0, 0];
      for (let j = 0; j < 7; j++) {
        const z = 2 ** j - 1;
        if (rc(j + 7 * i)) want[z >> 5]! |= 1 << (z & 31);
      }
      expect([RC[i]![0] >>> 0, RC[i]![1] >>> 0]).toEqual(want.map((v) => v >>> 0));
    }
    // ρ: (x, y) walks from (1, 0) by (y, 2x + 3y), offset (t + 1)(t + 2)/2 mod 64.
    const rot = new Array<number>(25).fill(0);
    let [x, y] = [1, 0];
    for (let t = 0; t < 24; t++) {
      rot[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
      [x, y] = [y, (2 * x + 3 * y) % 5];
    }
    expect(ROTATION).toEqual(rot);
    expect(RC_BIT_POSITIONS).toEqual([0, 1, 3, 7, 15, 31, 63]);
    expect(new Set(PI_TARGET).size).toBe(25);
  });

  it('keeps every state of a permutation', () => {
    const input = Uint32Array.from({ length: 50 }, (_, i) => (i * 0x9e3779b9) >>> 0);
    const states = keccakfStates(input);
    expect(states).toHaveLength(25);
    const s = input.slice();
    keccakf(s);
    expect(states[24]).toEqual(s);
    const one = input.slice();
    keccakRound(one, 0);
    expect(states[1]).toEqual(one);
  });
});

// A guest that permutes the 200-byte state at STATE `calls` times (a0 = STATE, or `ptr`),
// then writes the state to the public output and exits 0.
const STATE = 0x20000;
const data = Uint8Array.from({ length: 200 }, (_, i) => (i * 37 + 1) & 0xff);
function guest(opts: { calls?: number; ptr?: number; a7?: number } = {}): Uint8Array {
  const call = [...li(10, opts.ptr ?? STATE), ...li(17, opts.a7 ?? KECCAKF), asm.ecall()];
  const calls = Array.from({ length: opts.calls ?? 1 }, () => call).flat();
  return buildElf({
    code: [...calls, ...li(11, STATE), ...li(12, 200), ...write(1), ...exit(0)],
    data,
    dataBase: STATE,
    bss: 0x100,
  });
}
const permuted = (times: number) => {
  const s = new Uint32Array(data.slice().buffer);
  for (let i = 0; i < times; i++) keccakf(s);
  return new Uint8Array(s.buffer);
};
const syscalls = [keccakSyscall];

describe('the VM side of keccakf', () => {
  it('permutes in both passes, with one record row per call', () => {
    const run = execute(guest({ calls: 2 }), { syscalls });
    expect(hex(run.output)).toBe(hex(permuted(2)));
    expect(run.stats.precompileRows).toEqual({ keccak: 2 });
    const rec = generateRecords(guest({ calls: 2 }), deriveLayout(run.stats), { syscalls });
    const t = rec.precompiles.keccak!;
    expect(t.length).toBe(2);
    const once = new Uint32Array(permuted(1).buffer);
    const init = new Uint32Array(data.slice().buffer);
    for (let k = 0; k < 50; k++) {
      expect(t.columns[`m${k}Addr`]![0]).toBe(STATE + 4 * k);
      expect(t.columns[`m${k}Prev`]![0]).toBe(init[k]);
      expect(t.columns[`m${k}Val`]![0]).toBe(once[k]);
      expect(t.columns[`m${k}Prev`]![1]).toBe(once[k]);
      // The second call reads what the first wrote, at 4·clk + 3.
      expect(t.columns[`m${k}PrevTs`]![1]).toBe(4 * t.columns.clk![0]! + 3);
    }
    expect(t.columns.a0![0]).toBe(STATE);
  });

  it('faults without the plugin, naming it', () => {
    expect(() => execute(guest())).toThrow(UnknownSyscallError);
    expect(() => execute(guest())).toThrow(/@nexus\/precompile-keccak/);
  });

  it('faults on a misaligned, read-only or unmapped state', () => {
    expect(() => execute(guest({ ptr: STATE + 2 }), { syscalls })).toThrow(MisalignedAccessError);
    expect(() => execute(guest({ ptr: 0x10000 }), { syscalls })).toThrow(CodeWriteError);
    expect(() => execute(guest({ ptr: 0x40000 }), { syscalls })).toThrow(/unmapped/i);
  });

  it('the C guests hash like the reference, the precompile one in far fewer cycles', () => {
    const plain = readFileSync(new URL('../../../guests/bin/keccak256.elf', import.meta.url));
    const pre = readFileSync(
      new URL('../../../guests/bin/keccak256-precompile.elf', import.meta.url),
    );
    for (const n of [0, 3, 135, 136, 137, 300]) {
      const input = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);
      const want = hex(keccak256(input));
      const a = execute(plain, { publicInput: input });
      const b = execute(pre, { publicInput: input, syscalls });
      expect(hex(a.output)).toBe(want);
      expect(hex(b.output)).toBe(want);
      expect(b.stats.precompileRows.keccak).toBe(Math.floor(n / 136) + 1);
      if (n === 300) expect(b.cycles * 2).toBeLessThan(a.cycles);
    }
  });
});

const system = assembleSystem([...rv32im(), keccak()]);
const ROUNDS_C = 'keccak-rounds';

describe('keccak precompile AIR', () => {
  it('has the documented shape: 15 + 2,710 + 1 columns, degree <= 3, 25 rows per call', () => {
    const call = analyzeComponent(keccakCallComponent);
    const rounds = analyzeComponent(keccakRoundsComponent);
    const table = analyzeComponent(keccakRoundConstantsComponent);
    expect(call.component.columns).toHaveLength(15);
    expect(rounds.component.columns).toHaveLength(2710);
    expect(table.component.columns).toHaveLength(1);
    for (const a of [call, rounds, table]) expect(a.maxDegree).toBeLessThanOrEqual(3);
    expect(ROWS_PER_CALL).toBe(25);
  });

  it('pins every cell of a real row (single-cell mutations)', () => {
    const run = traceRun(guest(), { syscalls });
    // A sample of every kind of column, on the first, second, a middle and the last round, the
    // output row, and a padding row.
    const sample = (c: string, i: number) =>
      i < 13 ||
      /^(ap(0_0|7_32|24_63)|c0_63|cp4_1|s(0_0|24_7)|chi(0_0|13_3)|iota[06]|m(0_prev_ts|49_hi))$/.test(
        c,
      );
    const columns = keccakRoundsComponent.columns.filter(sample);
    const rows = [0, 1, 12, 23, 24, 30];
    const rep = checkMutations(keccakRoundsComponent, run.context(), { rows, columns });
    // Only the memory-access cells of rows that make no access are free (they enter nothing).
    const free = rep.unobservable.map((r) => `${r.column}@${r.row}`);
    expect(free.every((f) => /^m\d+_(prev_ts|lo|hi)@(1|12|23|24)$/.test(f))).toBe(true);
    // Every cell of the state, θ and χ is pinned by a constraint alone.
    const state = /^(ap|c|cp|s|chi|iota)\d/;
    const loose = rep.results.filter(
      (r) => state.test(r.column) && r.row < 25 && r.outcome !== 'constraint',
    );
    expect(loose).toEqual([]);
    const call = checkMutations(keccakCallComponent, run.context(), { rows: [0, 1, 2] });
    expect(call.unobservable).toEqual([]);
  });

  it('the C guest balances (one call for "abc", three for 300 bytes)', () => {
    const elf = readFileSync(
      new URL('../../../guests/bin/keccak256-precompile.elf', import.meta.url),
    );
    for (const input of [utf8('abc'), Uint8Array.from({ length: 300 }, (_, i) => i & 0xff)]) {
      const m = maliciousProver(system, elf, { publicInput: input });
      expect(hex(m.claim.publicOutput)).toBe(hex(keccak256(input)));
      expect(m.diagnose()).toEqual({ constraints: [], tuples: [] });
    }
  });

  it('an honest run proves (prover checks on) and verifies', () => {
    const m = maliciousProver(system, guest({ calls: 2 }));
    expect(hex(m.claim.publicOutput)).toBe(hex(permuted(2)));
    expect(m.trace(ROUNDS_C).logSize).toBe(6); // 50 rows for the two calls
    // The forgeries below write rows with stateCells: it gives exactly the honest cells.
    const st = keccakfStates(new Uint32Array(data.slice().buffer));
    for (const r of [0, 13, 24]) {
      for (const [name, v] of stateCells(st[r]!)) expect(m.get(ROUNDS_C, name, r)).toBe(v);
    }
    const proof = prove(system, { statement: m.statement, traces: m.traces });
    expect(() => verify(system, encodeProof(proof), m.statement)).not.toThrow();
  });

  /** The honest states of the first call (rows 0..24). */
  const states = () => keccakfStates(new Uint32Array(data.slice().buffer));
  const setRow = (m: MaliciousProver, row: number, a: Uint32Array) => {
    for (const [name, v] of stateCells(a)) m.set(ROUNDS_C, name, row, v);
  };

  it('rejects a wrong output lane word', () => {
    const m = maliciousProver(system, guest({ calls: 2 }));
    // The output row of the first call holds another state (word 3, lane 1's high half, one
    // bit off), consistent in itself: θ, χ and its bytes all agree with it.
    const forged = states()[24]!.slice();
    forged[3] = forged[3]! ^ 1;
    setRow(m, 24, forged);
    m.rebalance();
    expect(m.diagnose().constraints).toEqual([
      'keccak-rounds: round: limb 2 of lane 1 of the next state is iota(chi)',
    ]);
    expect(m.verdict()).not.toBeNull();
  });

  it('rejects a skipped round (round 10 leaves the state as it was)', () => {
    const m = maliciousProver(system, guest({ calls: 2 }));
    // Rows 11..24 recomputed from the state before round 10: only round 10's step is wrong.
    const s = states()[10]!.slice();
    for (let r = 11; r <= 24; r++) {
      setRow(m, r, s);
      if (r < 24) keccakRound(s, r);
    }
    m.rebalance();
    const { constraints } = m.diagnose();
    expect(constraints.length).toBeGreaterThan(0);
    expect(constraints.every((c) => c.startsWith('keccak-rounds: round: limb'))).toBe(true);
    expect(m.verdict()).not.toBeNull();
  });

  it('rejects a state word read with a stale timestamp', () => {
    const m = maliciousProver(system, guest({ calls: 2 }));
    // The second call (row 25) reads word 0 as the first call wrote it, at 4·clk1 + 3: claim
    // an earlier timestamp instead, with gap limbs that fit it (so only the memory bus objects).
    const row = ROWS_PER_CALL;
    const honest = m.get(ROUNDS_C, 'm0_prev_ts', row);
    expect(honest).toBe(4 * m.get(ROUNDS_C, 'clk', 0) + 3);
    const stale = honest - 4;
    const gap = 4 * m.get(ROUNDS_C, 'clk', row) + 3 - stale - 1;
    m.set(ROUNDS_C, 'm0_prev_ts', row, stale)
      .set(ROUNDS_C, 'm0_lo', row, gap & 0xffff)
      .set(ROUNDS_C, 'm0_hi', row, gap >>> 16);
    m.rebalance();
    const d = m.diagnose();
    expect(d.constraints).toEqual([]);
    expect([...new Set(d.tuples.map((t) => t.relation))]).toEqual(['ram']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('rejects rounds rows that no call asked for (the call link)', () => {
    const m = maliciousProver(system, guest({ calls: 2 }));
    // Move the first call's rows to another cycle: they no longer match its ecall row.
    const clk = m.column(ROUNDS_C, 'clk');
    for (let r = 0; r < ROWS_PER_CALL; r++) clk[r] = clk[r]! + 1;
    m.rebalance();
    const relations = new Set(m.diagnose().tuples.map((t) => t.relation));
    expect(relations.has('keccak_call')).toBe(true);
    expect(m.verdict()).not.toBeNull();
  });
});
