/**
 * The adversarial suite, tables and sums: what a malicious prover can choose besides cells (a
 * table's size, a claimed LogUp sum, a table's count column, the proof's configuration) and
 * the forgery of issue 10 rebuilt with the project's own trace generation. Every proof here is
 * made by the real prover at the standard config with its own checks off, and judged by the
 * real verifier, which must name the check that rejects it.
 */
import { RANGE16, zkvmPlugin } from '@nexus/air-common';
import { type MaliciousProver, maliciousProver } from '@nexus/air-testing';
import { P, type QM31, qm31Add, qm31Neg } from '@nexus/field';
import {
  checkComponentSizes,
  decodeProof,
  encodeProof,
  freeSize,
  type Plugin,
  type StarkProof,
} from '@nexus/kernel';
import { range11Component } from '@nexus/range-check';
import { rv32im } from '@nexus/rv32im';
import { createZkvm, singleProof } from '@nexus/sdk';
import { verify } from '@nexus/verifier';
import { describe, expect, it, vi } from 'vitest';
import { guest, u32 } from '../../src/guests.js';
import { rejection } from '../../src/rejection.js';

const zkvm = createZkvm();
const fib = guest('fib');
const input = u32(30);

/**
 * Issue 10's forgery: fib on n = 30 "outputs" PWNED!!!. The io rows that write the output
 * become accesses whose previous timestamp is their own (prevTs = ts): each then takes back the
 * very token it puts on the RAM bus, so its bytes are free. The gap ts - prevTs - 1 = -1 is
 * 65534 + 2^16·32767 mod p, which the timestamp check accepted when 32767 was in the range-11
 * table (the high limb was looked up there until F7's fix; now 8·hi is looked up in range16,
 * SOUNDNESS.md 4.3). The two stores that later took the io rows' tokens are repointed to the tokens the
 * io rows no longer take.
 */
function forgeOutput(m: MaliciousProver): void {
  const forged = new TextEncoder().encode('PWNED!!!');
  const io = 'io';
  const rows: number[] = [];
  for (let r = 0; r < 2 ** m.trace(io).logSize; r++) {
    if (m.get(io, 'sel', r) === 1 && m.get(io, 'is_output', r) === 1) rows.push(r);
  }
  expect(rows).toHaveLength(8);
  // Per word: the token before its first output row (ts) and after its last one.
  const before = new Map<number, number>();
  const after = new Map<number, number>();
  for (const r of rows) {
    const widx = m.get(io, 'widx', r);
    const offset = [0, 1, 2, 3].find((k) => m.get(io, `f${k}`, r) === 1)!;
    const ts = 4 * m.get(io, 'clk', r) + offset;
    if (!before.has(widx)) before.set(widx, m.get(io, 'prev_ts', r));
    after.set(widx, ts);
    const byte = forged[m.get(io, 'pos', r)]!;
    m.set(io, 'byte', r, byte);
    m.set(io, `prev${offset}`, r, byte);
    m.set(io, `new${offset}`, r, byte);
    m.set(io, 'prev_ts', r, ts);
    m.set(io, 'lo', r, 65534);
    m.set(io, 'hi', r, 32767);
  }
  // The later accesses of those words take the tokens from before the io rows instead.
  for (const [widx, last] of after) {
    const row = m.findRow(
      'store',
      (c) => c('sel') === 1 && c('mem_prev_ts') === last && storeWord(c) === widx,
    );
    const ts = 4 * m.get('store', 'clk', row) + 3;
    const gap = ts - before.get(widx)! - 1;
    m.set('store', 'mem_prev_ts', row, before.get(widx)!);
    m.set('store', 'mem_lo', row, gap & 0xffff);
    m.set('store', 'mem_hi', row, gap >>> 16);
  }
  m.claim = { ...m.claim, publicOutput: forged };
}

/** The word index of a store row (address bytes: a_q + 2^6·a_s1 + 2^14·a_s2 + 2^22·a_s3). */
function storeWord(c: (name: string) => number): number {
  return c('a_q') + 64 * c('a_s1') + 16384 * c('a_s2') + 4194304 * c('a_s3');
}

/** The range-check plugin as it was at 8de15f2: the same counter table, its size left free. */
function freeSizedRangeCheck(): Plugin {
  return zkvmPlugin('@nexus/range-check', '0.1.0', {
    components: [{ ...range11Component, size: freeSize() }],
  });
}

describe('the range-check forgery of issue 10, rebuilt', () => {
  it('a lax range-check-11 (2^15 rows, the rule before issue 10) no longer helps: the high limb is checked in range16', () => {
    const lax = createZkvm({
      plugins: rv32im().map((p) => (p.name === '@nexus/range-check' ? freeSizedRangeCheck() : p)),
    });
    const m = maliciousProver(lax.system, fib, { publicInput: input });
    forgeOutput(m);
    m.resize('range-check-11', 15, (column, row) => (column === 'value' ? row : 0));
    // Every count is recounted: only the eight gaps' high limbs, 8·32767, stay outside.
    const left = m.rebalance();
    expect(left.map((t) => [t.relation, t.values, t.net])).toEqual([['range16', [262136], 8]]);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('is rejected: range-check-11 has exactly 2^11 rows (the rule still guards carries and offsets)', () => {
    const m = maliciousProver(zkvm.system, fib, { publicInput: input });
    forgeOutput(m);
    m.resize('range-check-11', 15, (column, row) => (column === 'value' ? row : 0));
    m.rebalance();
    const v = m.verdict();
    expect(v?.check).toBe('shape');
    expect(v?.message).toMatch(
      /range-check-11 is claimed 2\^15 rows; its fixed size rule requires 2\^11/,
    );
  });

  it('no high limb makes a wrapped gap: 2^16·hi is 2^13·(8·hi) mod p, so the sum stays below 2^29 + 2^16', () => {
    // The attack needs lo + 2^16·hi = p - k (a gap of -k, prevTs = ts + k - 1) with lo and 8·hi
    // in range16. For every lo and every k up to 2^12 the hi it forces has 8·hi >= 2^16; the
    // argument (SOUNDNESS.md 4.3) covers every k up to p - 2^29 - 2^16, the timestamps' range.
    const inv2to16 = 2 ** 15; // 2^16 · 2^15 = 2^31 = 1 mod p
    for (let k = 1; k <= 1 << 12; k++) {
      for (let lo = 0; lo < 1 << 16; lo += k === 1 ? 1 : 61) {
        // Exact in doubles: (p - k - lo) · 2^15 < 2^46.
        const hi = ((P - k - lo) * inv2to16) % P;
        const v = (8 * hi) % P;
        if (v < 1 << 16) throw new Error(`gap -${k} passes with lo ${lo}, hi ${hi}`);
      }
    }
    // And the honest side: the largest gap the trace generation writes, 2^29 - 1, fits.
    expect(((2 ** 29 - 1) >>> 16) * 8).toBeLessThan(1 << 16);
  });

  it('is rejected at the table sizes the system fixes', () => {
    const m = maliciousProver(zkvm.system, fib, { publicInput: input });
    forgeOutput(m);
    const left = m.rebalance();
    expect(left.map((t) => [t.relation, t.values, t.net])).toEqual([['range16', [262136], 8]]);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('every table has the size its rule gives, whatever the proof claims', () => {
  const honest = singleProof(zkvm.prove(fib, { publicInput: input }));
  const names = zkvm.system.components.map((c) => c.name);
  const withSizes = (patch: (sizes: (number | null)[]) => void): StarkProof => {
    const p = decodeProof(encodeProof(honest.proof));
    const sizes = [...p.componentSizes];
    patch(sizes);
    return { ...p, componentSizes: sizes };
  };
  const claimed = {
    elf: fib,
    publicInput: input,
    publicOutput: honest.claim.publicOutput,
    exitCode: honest.claim.exitCode,
  };

  it('the honest proof verifies', () => {
    zkvm.verify(honest.proof, claimed);
  });

  const tables = zkvm.system.components.filter((c) => c.size.kind !== 'free');
  it.each(tables.map((c) => c.name))('%s claimed one size larger or smaller, or absent', (name) => {
    const i = names.indexOf(name);
    const size = honest.proof.componentSizes[i]!;
    expect(size).not.toBeNull();
    // One size off: the proof's bytes still decode (every count is prefixed), and the
    // verifier's first look at the sizes rejects them.
    for (const claimedSize of [size + 1, size - 1]) {
      const bytes = encodeProof(withSizes((s) => (s[i] = claimedSize)));
      const e = rejection(() => verify(zkvm.system, bytes, honest.statement));
      expect(e.check).toBe('shape');
      expect(e.message).toContain(`component ${name} is claimed 2^${claimedSize} rows`);
    }
    // Absent: a proof without the table has another layout (one claimed sum fewer, other
    // trees), which these bytes cannot stand for; the rule itself refuses it.
    const absent = [...honest.proof.componentSizes];
    absent[i] = null;
    expect(() => checkComponentSizes(zkvm.system.components, absent, honest.statement)).toThrow(
      new RegExp(`component ${name} is claimed absent; its (fixed|statement) size rule requires`),
    );
  });

  it('a free component above its bound is rejected', () => {
    const i = names.indexOf('add');
    const bytes = encodeProof(withSizes((s) => (s[i] = 25)));
    const e = rejection(() => verify(zkvm.system, bytes, honest.statement));
    expect(e.check).toBe('shape');
  });

  it('the byte-pair table claimed above 2^16 rows (one per pair) is rejected by its size rule', () => {
    const i = names.indexOf('bitwise');
    const bytes = encodeProof(withSizes((s) => (s[i] = 17)));
    const e = rejection(() => verify(zkvm.system, bytes, honest.statement));
    expect(e.check).toBe('shape');
    expect(e.message).toMatch(/component bitwise is claimed 2\^17 rows/);
  });

  it('a byte-pair row whose bits spell 2^16 or more (a wider "16-bit" range) breaks its constraints', () => {
    // The range16 value is a + 256·b from boolean bits: to yield 65536 a row needs a bit of 2.
    const m = maliciousProver(zkvm.system, fib, { publicInput: input });
    // A padding row (no counts), so the bus is untouched and only the constraint objects.
    const counts = ['pair', 'and', 'or', 'xor', 'range16'].map((op) => `multiplicity_${op}`);
    const row = m.findRow('bitwise', (c) => counts.every((name) => c(name) === 0));
    m.set('bitwise', 'b_bit7', row, 2);
    expect(m.diagnose().constraints).toContain('bitwise: b bit 7 is boolean');
    expect(m.verdict()?.check).toBe('oods');
  });

  it('a consistent proof with a larger statement-implied table (only padding rows more) is rejected', () => {
    const m = maliciousProver(zkvm.system, fib, { publicInput: input });
    const size = m.trace('public-input').logSize;
    m.resize('public-input', size + 1);
    expect(m.unbalanced()).toEqual([]);
    const v = m.verdict();
    expect(v?.check).toBe('shape');
    expect(v?.message).toMatch(/public-input is claimed/);
  });

  it('a hostile proof claiming 2^24-row preprocessed tables costs the verifier no table work', () => {
    // The proof chooses sizes and a blowup: before, the verifier built and committed the
    // preprocessed columns at those sizes first (2 min 41 s, 5.6 GB for 2^24 rows). Now the
    // claim is rejected by its sizes and configuration alone: no column is ever generated.
    const spies = [...zkvm.system.preprocessed.values()].map((col) => vi.spyOn(col, 'generate'));
    try {
      const huge = withSizes((s) => {
        for (const name of ['program', 'memory-image', 'memory-zero-pages', 'public-input']) {
          s[names.indexOf(name)] = 24;
        }
      });
      expect(rejection(() => verify(zkvm.system, encodeProof(huge), honest.statement)).check).toBe(
        'shape',
      );
      const blown = { ...huge, config: { ...huge.config, name: 'custom', logBlowup: 8 } };
      expect(rejection(() => verify(zkvm.system, encodeProof(blown), honest.statement)).check).toBe(
        'config',
      );
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('LogUp sums and table counts a prover chooses', () => {
  it('a component without bus entries cannot claim a sum that covers a false output', async () => {
    // The documented custom build adds square-table: constraints, no bus entries. Before the
    // fix its claimed sum entered the balance untied to any trace, so a prover could set it,
    // after the challenges, to cancel the imbalance of a false public output.
    const url = new URL('../../../examples/custom-plugin/square-table.mjs', import.meta.url).href;
    const { squareTable } = (await import(url)) as { squareTable: () => Plugin };
    const custom = createZkvm({ plugins: [...rv32im(), squareTable()] });
    const m = maliciousProver(custom.system, fib, { publicInput: input });
    const out = m.claim.publicOutput.slice();
    out[0]! ^= 1;
    m.claim = { ...m.claim, publicOutput: out };
    m.claimedSums = (honest, boundary) => {
      let others: QM31 = boundary;
      for (const [name, s] of honest) if (name !== 'square-table') others = qm31Add(others, s);
      return new Map(
        [...honest].map(([name, s]) => [name, name === 'square-table' ? qm31Neg(others) : s]),
      );
    };
    const v = m.verdict();
    expect(v?.check).toBe('logup-sum');
    expect(v?.message).toMatch(/square-table has no bus entries/);
  });

  it('a table count of p - 1 (acting as -1) has nothing to absorb', () => {
    const m = maliciousProver(zkvm.system, fib, { publicInput: input });
    // A byte pair no instruction looked up: count it -1, as if a row put it on the bus.
    const row = m.findRow('bitwise', (c) => c('multiplicity_xor') === 0);
    m.set('bitwise', 'multiplicity_xor', row, -1);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('a plugin that yields on a lookup relation is refused when the zkVM is assembled', () => {
    // A second, bounded yielder of range16 tuples: a count of p - 1 in the range table could
    // then absorb one of its tuples, so "in range" would mean "in range or yielded by it".
    const rogue = zkvmPlugin('@acme/rogue', '1.0.0', {
      components: [
        {
          name: 'rogue',
          version: '1.0.0',
          columns: ['v', 'sel'],
          size: freeSize(),
          tracePhase: 'rows',
          evaluate(e) {
            const sel = e.col('sel');
            e.constraint(sel.mul(sel.sub(1)), 'sel is boolean');
            e.yield(RANGE16, [e.col('v')], sel);
          },
          traceFor: () => null,
        },
      ],
    });
    expect(() => createZkvm({ plugins: [...rv32im(), rogue] })).toThrow(
      /component rogue: yield range16 #0 yields on range16, a lookup relation/,
    );
  });
});
