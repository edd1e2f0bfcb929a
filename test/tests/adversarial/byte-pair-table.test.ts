/**
 * The adversarial suite, the byte-pair table (`bitwise`): since 68f9c71 it is a free-size
 * table (at most 2^16 rows) holding only the pairs a run looks up, and it also serves range16
 * (a + 256·b from the row's bits) in place of the former fixed 2^16-row counter. Every
 * argument that needs a range16 value below 2^16 (the timestamp gap check of SOUNDNESS.md 4.3
 * and 4.4, the memory table's address chain) now rests on the bits of that table's rows, not
 * on a size. Each forgery here is made by the real prover at the standard config with its
 * own checks off, judged by the real verifier, which must name the check that rejects it.
 */
import { BITWISE, RANGE16, type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { asm, buildElf, exit, li, type MaliciousProver, maliciousProver } from '@nexus/air-testing';
import {
  assembleSystem,
  decodeProof,
  defineRelation,
  type EvalContext,
  encodeProof,
  freeSize,
  type Plugin,
  ProofFormatError,
} from '@nexus/kernel';
import { rv32im } from '@nexus/rv32im';
import { createZkvm, singleProof } from '@nexus/sdk';
import { verify } from '@nexus/verifier';
import { describe, expect, it } from 'vitest';
import {
  attack,
  diagnose,
  finish,
  getWord,
  setPrevTs,
  setRegisterFinal,
  setWord,
  system,
} from '../../src/adversarial.js';

const P = 0x7fffffff;
const BUF = 0x20000;
const WIDX = BUF / 4;
/** RAM accesses happen at 4·clk + 3. */
const ramTs = (clk: number) => 4 * clk + 3;

const program = (body: number[]) =>
  buildElf({ code: [...li(6, BUF), ...body, ...exit(0)], bss: 64 });

/** sw 111; sw 222; lw x7 (the load must return 222). */
const twoStores = () =>
  program([
    asm.addi(5, 0, 111),
    asm.sw(5, 6, 0),
    asm.addi(5, 0, 222),
    asm.sw(5, 6, 0),
    asm.lw(7, 6, 0),
  ]);

/** The memory table's row of the data word. */
const memoryRow = (m: MaliciousProver) =>
  m.findRow('memory', (c) => c('sel') === 1 && c('widx') === WIDX);

const COUNTS = ['pair', 'and', 'or', 'xor', 'range16'].map((op) => `multiplicity_${op}`);
const BIT_COLUMNS = [
  ...Array.from({ length: 8 }, (_, i) => `a_bit${i}`),
  ...Array.from({ length: 8 }, (_, i) => `b_bit${i}`),
];

/** A byte-pair row with no counts and all-zero bits (padding), made if the table has none. */
function freeRow(m: MaliciousProver): number {
  const isPadding = (c: (name: string) => number) =>
    [...COUNTS, ...BIT_COLUMNS, 'and'].every((name) => c(name) === 0);
  try {
    return m.findRow('bitwise', isPadding);
  } catch {
    m.resize('bitwise', m.trace('bitwise').logSize + 1);
    return m.findRow('bitwise', isPadding);
  }
}

/**
 * Writes a byte-pair row from bit values that need not be boolean (field elements, so -1 is
 * p - 1), with `and` re-solved so that only the boolean constraints can object, and gives it
 * a range16 count of one: the row then yields range16(A + 256·B) for A = Σ 2^i·a_i,
 * B = Σ 2^i·b_i, computed in the field.
 */
function forgeRange16Row(m: MaliciousProver, aBits: number[], bBits: number[]): number {
  const row = freeRow(m);
  let and = 0n;
  const p = BigInt(P);
  for (let i = 0; i < 8; i++) {
    m.set('bitwise', `a_bit${i}`, row, aBits[i]!);
    m.set('bitwise', `b_bit${i}`, row, bBits[i]!);
    const a = BigInt(((aBits[i]! % P) + P) % P);
    const b = BigInt(((bBits[i]! % P) + P) % P);
    and = (and + ((a * b) % p) * (1n << BigInt(i))) % p;
  }
  m.set('bitwise', 'and', row, Number(and));
  m.set('bitwise', 'multiplicity_range16', row, 1);
  return row;
}

/** The value a byte-pair row yields on range16, computed in the field. */
function range16Of(m: MaliciousProver, row: number): number {
  let v = 0n;
  for (let i = 0; i < 8; i++) {
    v += BigInt(m.get('bitwise', `a_bit${i}`, row)) * (1n << BigInt(i));
    v += BigInt(m.get('bitwise', `b_bit${i}`, row)) * (1n << BigInt(i + 8));
  }
  return Number(v % BigInt(P));
}

/**
 * "LW at its own timestamp" (families-memory.test.ts) with the limbs chosen the other way:
 * prev_ts = ts, the load returns 333, and the gap -1 = p - 1 goes entirely into the low limb
 * (hi = 0, in range11). The second store's token goes to the memory table's final row. After
 * the recount, only range16(p - 1) is left: what the byte-pair table must refuse to hold.
 */
function ownTimestampLoad(m: MaliciousProver): void {
  const load = m.findRow('load', (c) => c('is_lw') === 1);
  const ts = ramTs(m.get('load', 'clk', load));
  const honestPrev = m.get('load', 'mem_prev_ts', load);
  setWord(m, 'load', 'mem_prev', load, 333);
  m.set('load', 'mem_prev_ts', load, ts);
  m.set('load', 'mem_lo', load, P - 1).set('load', 'mem_hi', load, 0);
  setWord(m, 'load', 'r', load, 333);
  setRegisterFinal(m, 7, 333);
  m.set('memory', 'final_ts', memoryRow(m), honestPrev);
  const d = finish(m);
  expect(d.constraints).toEqual([]);
  expect(d.tuples).toEqual([`range16(${P - 1}) +1`]);
}

/**
 * The byte-pair plugin with its sixteen "bit is boolean" constraints dropped (everything else,
 * names and layout included, as built): the control that shows the bits are what stand
 * between the forgeries here and acceptance.
 */
function bitwiseWithoutBooleanBits(): Plugin {
  const air = system.components.find((c) => c.name === 'bitwise')!;
  const original = air.component as ZkvmComponent;
  const evaluate = (e: EvalContext) =>
    original.evaluate(
      new Proxy(e, {
        get(target, key) {
          if (key === 'constraint') {
            return (expr: unknown, label: string) => {
              if (!/is boolean$/.test(label))
                (target.constraint as (...a: unknown[]) => void)(expr, label);
            };
          }
          const v = Reflect.get(target, key, target);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }),
    );
  return zkvmPlugin('@nexus/bitwise', original.version, {
    components: [{ ...original, evaluate }],
  });
}

describe('range16 values of 2^16 or more need a byte-pair row whose bits are not bits', () => {
  it('LW at its own timestamp with the gap -1 put in the low limb (lo = p - 1, hi = 0) is caught by the bit constraint', () => {
    // Under the former counter its size stopped this; now a row must spell p - 1 from its
    // bits: a_0 = -1 (and = 0 since b = 0) does, and every bus then balances.
    const m = attack(twoStores());
    ownTimestampLoad(m);
    // The table is the prover's: a row that yields p - 1 on range16.
    const row = forgeRange16Row(m, [-1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]);
    expect(range16Of(m, row)).toBe(P - 1);
    const forged = diagnose(m);
    expect(forged.tuples).toEqual([]);
    expect(forged.constraints).toEqual(['bitwise: a bit 0 is boolean']);
    expect(m.verdict()?.check).toBe('oods');
  });

  it('control: the same forgery is accepted by a zkVM whose byte-pair bits are not constrained boolean (the test can fail)', () => {
    const lax = assembleSystem(
      rv32im().map((p) => (p.name === '@nexus/bitwise' ? bitwiseWithoutBooleanBits() : p)),
    );
    const m = maliciousProver(lax, twoStores());
    ownTimestampLoad(m);
    forgeRange16Row(m, [-1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]);
    expect(diagnose(m)).toMatchObject({ constraints: [], tuples: [] });
    expect(getWord(m, 'register-file', 'final', 7)).toBe(333);
    expect(m.verdict()).toBeNull();
  });

  it('the same forgery with the gap split as lo = 65534 + 2^16·k (k in range11 terms moved to lo) is caught likewise', () => {
    // lo = p - 1 - 2^16·2047 with hi = 2047: the smallest low limb that makes -1 with a high
    // limb in range11; still far above 2^16 (about 2^31 - 2^27), so no boolean row spells it.
    const m = attack(twoStores());
    const load = m.findRow('load', (c) => c('is_lw') === 1);
    const ts = ramTs(m.get('load', 'clk', load));
    const honestPrev = m.get('load', 'mem_prev_ts', load);
    const lo = P - 1 - 65536 * 2047;
    m.set('load', 'mem_prev_ts', load, ts);
    m.set('load', 'mem_lo', load, lo).set('load', 'mem_hi', load, 2047);
    setWord(m, 'load', 'mem_prev', load, 333);
    setWord(m, 'load', 'r', load, 333);
    setRegisterFinal(m, 7, 333);
    m.set('memory', 'final_ts', memoryRow(m), honestPrev);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual([`range16(${lo}) +1`]);
    // lo = 2^31 - 2 - 2^27 + 2^16 = A + 256·B with A = 254 and B = (lo - 254) / 256, spelled
    // with b_7 absorbing the excess of B over 127.
    const B = (lo - 254) / 256;
    expect(Number.isInteger(B)).toBe(true);
    const row = forgeRange16Row(
      m,
      [0, 1, 1, 1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1, 1, 1, (B - 127) / 128],
    );
    expect(range16Of(m, row)).toBe(lo);
    const forged = diagnose(m);
    expect(forged.tuples).toEqual([]);
    expect(forged.constraints).toEqual(['bitwise: b bit 7 is boolean']);
    expect(m.verdict()?.check).toBe('oods');
  });

  it('a word initialised twice (decreasing address chain, 8·gap_hi = 262136) with a row spelling 262136 is caught by the bit constraint', () => {
    // families-memory.test.ts's attack, carried one step further: the prover also adds the
    // byte-pair row the chain needs. 262136 = 248 + 256·1023, and 1023 = 127 + 128·7: a row
    // with b_7 = 7 yields it, `and` re-solved (1016). All buses balance; only b_7·(b_7 - 1)
    // = 42 ≠ 0 objects.
    const m = attack(program([asm.addi(5, 0, 111), asm.sw(5, 6, 0), asm.lw(7, 6, 0)]));
    const load = m.findRow('load', (c) => c('is_lw') === 1);
    const store = m.findRow('store', (c) => c('is_sw') === 1);
    const first = memoryRow(m);
    const mem = m.trace('memory');
    if (m.get('memory', 'sel', 2 ** mem.logSize - 1) === 1) m.resize('memory', mem.logSize + 1);
    const cols = m.trace('memory').columns;
    for (const col of cols) col.copyWithin(first + 1, first, col.length - 1);
    const second = first + 1;
    setWord(m, 'memory', 'final', first, 111);
    m.set('memory', 'final_ts', first, ramTs(m.get('store', 'clk', store)));
    setWord(m, 'memory', 'final', second, 0);
    m.set('memory', 'final_ts', second, ramTs(m.get('load', 'clk', load)));
    m.set('memory', 'chain', first, 1);
    m.set('memory', 'gap_lo', first, 65534).set('memory', 'gap_hi', first, 32767);
    setWord(m, 'load', 'mem_prev', load, 0);
    setPrevTs(m, 'load', 'mem', load, ramTs(m.get('load', 'clk', load)), 0);
    setWord(m, 'load', 'r', load, 0);
    setRegisterFinal(m, 7, 0);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual([`range16(${8 * 32767}) +1`]);
    const row = forgeRange16Row(m, [0, 0, 0, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 7]);
    expect(range16Of(m, row)).toBe(262136);
    expect(m.get('bitwise', 'and', row)).toBe(1016);
    const forged = diagnose(m);
    expect(forged.tuples).toEqual([]);
    expect(forged.constraints).toEqual(['bitwise: b bit 7 is boolean']);
    expect(m.verdict()?.check).toBe('oods');
  });

  it('without a forged row, no table count can absorb an out-of-range value (range16(p - 1) left, one count lowered by one)', () => {
    // The table's counts are free field elements, but each only weighs its own row's tuple:
    // lowering another value's count by one (p - 1 added) leaves both tuples unbalanced.
    const m = attack(twoStores());
    ownTimestampLoad(m);
    const row = m.findRow('bitwise', (c) => c('multiplicity_range16') !== 0);
    const value = range16Of(m, row);
    m.set(
      'bitwise',
      'multiplicity_range16',
      row,
      m.get('bitwise', 'multiplicity_range16', row) - 1,
    );
    const d = diagnose(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual([`range16(${P - 1}) +1`, `range16(${value}) +1`].sort());
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('the byte-pair table is the prover’s: only its bits matter', () => {
  it('a pair repeated on two rows with its count split is harmless (a true statement, still accepted)', () => {
    // Not an attack: the same tuples on the bus, another witness. Documents that the table's
    // rows need not be distinct for soundness (the size bound only limits the verifier's work).
    const m = attack(twoStores());
    const row = m.findRow('bitwise', (c) => c('multiplicity_pair') >= 2);
    const copy = freeRow(m);
    for (const name of [...BIT_COLUMNS, 'and'])
      m.set('bitwise', name, copy, m.get('bitwise', name, row));
    const total = m.get('bitwise', 'multiplicity_pair', row);
    m.set('bitwise', 'multiplicity_pair', row, 1);
    m.set('bitwise', 'multiplicity_pair', copy, total - 1);
    expect(diagnose(m)).toMatchObject({ constraints: [], tuples: [] });
    expect(m.verdict()).toBeNull();
  });

  it('the table removed (claimed absent) leaves every range16 and bitwise use unbalanced', () => {
    const m = attack(twoStores());
    m.replace('bitwise', null);
    const d = diagnose(m);
    expect(d.constraints).toEqual([]);
    expect(d.unbalanced).toEqual(['bitwise', 'range16']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('the table claimed at 2^0 rows is no size at all: the byte 0 means absent, and the bytes then misparse', () => {
    // A free size rule admits 1..16 (checkComponentSizes refuses only above the bound, and
    // proofShape refuses below 1); a size byte of 0 is read as "absent", so the proof's layout
    // shifts (one claimed sum fewer) and the decoder refuses it before any check. A consistent
    // proof without the table is the test above.
    const zkvm = createZkvm({ plugins: rv32im() });
    const honest = singleProof(zkvm.prove(twoStores()));
    verify(zkvm.system, encodeProof(honest.proof), honest.statement);
    const i = zkvm.system.components.findIndex((c) => c.name === 'bitwise');
    const p = decodeProof(encodeProof(honest.proof));
    const sizes = [...p.componentSizes];
    sizes[i] = 0;
    expect(() =>
      verify(zkvm.system, encodeProof({ ...p, componentSizes: sizes }), honest.statement),
    ).toThrow(ProofFormatError);
  });
});

describe('range16 has one table, the byte-pair table: other yielders are refused at assembly', () => {
  /** A plugin with one free component whose evaluate is given. */
  const plugin = (name: string, columns: string[], evaluate: (e: EvalContext) => void): Plugin =>
    zkvmPlugin(`@acme/${name}`, '1.0.0', {
      components: [
        {
          name,
          version: '1.0.0',
          columns,
          size: freeSize(),
          tracePhase: 'tables',
          evaluate,
          traceFor: () => null,
        },
      ],
    });

  it('a second table on range16 from another plugin (a wider "16-bit" table) is refused', () => {
    const wide = plugin('wide-range16', ['v', 'count'], (e) => {
      e.yield(RANGE16, [e.col('v')], e.col('count'), { table: true });
    });
    expect(() => assembleSystem([...rv32im(), wide])).toThrow(
      /lookup relation range16 has tables from plugins @nexus\/bitwise and @acme\/wide-range16/,
    );
  });

  it('a second table on bitwise from another plugin is refused', () => {
    const wide = plugin('wide-bitwise', ['v', 'count'], (e) => {
      const v = e.col('v');
      e.yield(BITWISE, [v, v, v, v], e.col('count'), { table: true });
    });
    expect(() => assembleSystem([...rv32im(), wide])).toThrow(
      /lookup relation bitwise has tables from plugins @nexus\/bitwise and @acme\/wide-bitwise/,
    );
  });

  it('a bounded yield on range16 from another plugin is refused', () => {
    const rogue = plugin('rogue-range16', ['v', 'sel'], (e) => {
      const sel = e.col('sel');
      e.constraint(sel.mul(sel.sub(1)), 'sel is boolean');
      e.yield(RANGE16, [e.col('v')], sel);
    });
    expect(() => assembleSystem([...rv32im(), rogue])).toThrow(
      /yields on range16, a lookup relation/,
    );
  });

  it('a relation named range16 of another arity is refused', () => {
    const other = defineRelation('range16', 2);
    const rogue = plugin('range16-pairs', ['v', 'sel', 'count'], (e) => {
      e.yield(other, [e.col('v'), e.col('sel')], e.col('count'), { table: true });
    });
    expect(() => assembleSystem([...rv32im(), rogue])).toThrow(/range16/);
  });
});

describe('column-by-column LogUp composition (prover only)', () => {
  it('gives the reference path’s proof byte for byte at a non-preset config (blowup 2, last layer 2)', () => {
    // The standard preset has blowup 1; the column-wise path reads every interaction column
    // through the same extended-domain accessor, so a larger blowup must change nothing.
    const zkvm = createZkvm({ plugins: rv32im() });
    const security = {
      name: 'review',
      logBlowup: 2,
      nQueries: 4,
      powBits: 1,
      logLastLayerDegreeBound: 2,
      friFoldStep: 2,
    };
    const elf = twoStores();
    const fast = singleProof(zkvm.prove(elf, {}, { security }));
    const reference = singleProof(zkvm.prove(elf, {}, { security, reference: true }));
    expect(Buffer.from(encodeProof(fast.proof)).equals(encodeProof(reference.proof))).toBe(true);
  });
});
