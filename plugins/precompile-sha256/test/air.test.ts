import { readFileSync } from 'node:fs';
import { maliciousProver } from '@nexus/air-testing';
import { assembleSystem } from '@nexus/kernel';
import { rv32im } from '@nexus/rv32im';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/index.js';

/**
 * The precompile's components under attack: every forgery is proven with the real prover at the
 * standard config and must be rejected by the real verifier; the local diagnosis first shows
 * the forgery breaks exactly what it targets.
 */
const system = assembleSystem([...rv32im(), sha256()]);
const elf = readFileSync(new URL('../../../guests/bin/sha256-precompile.elf', import.meta.url));
const publicInput = new TextEncoder().encode('abc');
const fresh = () => maliciousProver(system, elf, { publicInput });
const ROUNDS = 'sha256-rounds';

describe('sha256 precompile AIR', () => {
  it('an honest run balances, proves and verifies (digest of "abc")', () => {
    const m = fresh();
    expect(Buffer.from(m.claim.publicOutput).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(m.diagnose()).toEqual({ constraints: [], tuples: [] });
    expect(m.trace(ROUNDS).logSize).toBe(7); // 68 rows for the one call
    expect(m.verdict()).toBeNull();
  });

  it('rejects a wrong new state word', () => {
    const m = fresh();
    // Init row 3 writes H0: make its low byte one more (a byte still, so only the sum breaks).
    const v = m.get(ROUNDS, 'm1_next0', 3);
    m.set(ROUNDS, 'm1_next0', 3, v ^ 1);
    m.rebalance();
    expect(m.diagnose().constraints).toContain(
      'sha256-rounds: init: new state word = a + a 64 rows on, half 0',
    );
    expect(m.verdict()).not.toBeNull();
  });

  it('rejects a skipped round (round 26 leaves a and e as they were)', () => {
    const m = fresh();
    const row = 4 + 26;
    for (let i = 0; i < 32; i++) {
      m.set(ROUNDS, `a${i}`, row, m.get(ROUNDS, `a${i}`, row - 1));
      m.set(ROUNDS, `e${i}`, row, m.get(ROUNDS, `e${i}`, row - 1));
    }
    const { constraints } = m.diagnose();
    expect(constraints).toContain('sha256-rounds: round: e = d + T1, half 0');
    expect(m.verdict()).not.toBeNull();
  });

  it('rejects a message word read with a stale timestamp', () => {
    const m = fresh();
    // Message row 4 (W_0) was written by the guest's memcpy: claim an earlier write instead,
    // with gap limbs consistent with the forged timestamp (so only the memory bus can object).
    const row = 4;
    const honest = m.get(ROUNDS, 'm1_prev_ts', row);
    expect(honest).toBeGreaterThan(4);
    const stale = honest - 4;
    const ts = 4 * m.get(ROUNDS, 'clk', row) + 1;
    const gap = ts - stale - 1;
    m.set(ROUNDS, 'm1_prev_ts', row, stale)
      .set(ROUNDS, 'm1_lo', row, gap & 0xffff)
      .set(ROUNDS, 'm1_hi', row, gap >>> 16);
    m.rebalance();
    const d = m.diagnose();
    expect(d.constraints).toEqual([]);
    expect([...new Set(d.tuples.map((t) => t.relation))]).toEqual(['ram']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('rejects rounds rows that no call asked for (the call link)', () => {
    const m = fresh();
    // Move the call's rows to another cycle: the rounds no longer match the ecall row.
    const clk = m.column(ROUNDS, 'clk');
    for (let r = 0; r < 68; r++) clk[r] = clk[r]! + 1;
    m.rebalance();
    const relations = new Set(m.diagnose().tuples.map((t) => t.relation));
    expect(relations.has('sha256_call')).toBe(true);
    expect(m.verdict()).not.toBeNull();
  });
});
