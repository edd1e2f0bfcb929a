import { asm, buildElf, exit, li, write } from '@nexus/air-testing';
import { describe, expect, it } from 'vitest';
import {
  attack,
  finish,
  getWord,
  setPrevTs,
  setRegisterFinal,
  setWord,
  siblingAttack,
} from '../../src/adversarial.js';

// Memory against a malicious prover: loads, stores, the memory table and the io rows. As in
// families-alu.test.ts, each forgery re-solves what it can, re-counts the tables, shows
// locally the one mechanism left to catch it (finish = rebalance + diagnose), and asserts the
// real verifier's check at the standard config: 'logup-sum' for a bus that does not balance,
// 'oods' for a constraint that fails on some row.
//
// The programs keep one data word at BUF (a bss page) and load into x7, which nothing reads
// afterwards: a forged load result goes to the register file's final row.

const BUF = 0x20000;
const WIDX = BUF / 4;
/** RAM accesses happen at 4·clk + 3. */
const ramTs = (clk: number) => 4 * clk + 3;

const program = (body: number[]) =>
  buildElf({ code: [...li(6, BUF), ...body, ...exit(0)], bss: 64 });

/** The memory table's row of the data word. */
const memoryRow = (m: ReturnType<typeof attack>) =>
  m.findRow('memory', (c) => c('sel') === 1 && c('widx') === WIDX);

/** A RAM token of the data word as the diagnosis prints it: (widx, bytes, ts, writable). */
const ramToken = (word: number, ts: number, net: string) =>
  `ram(${WIDX},${[0, 1, 2, 3].map((k) => (word >>> (8 * k)) & 0xff).join(',')},${ts},1) ${net}`;

describe('load: values and timestamps', () => {
  // sw 111; sw 222; lw x7: the load must return 222.
  const twoStores = () =>
    attack(
      program([
        asm.addi(5, 0, 111),
        asm.sw(5, 6, 0),
        asm.addi(5, 0, 222),
        asm.sw(5, 6, 0),
        asm.lw(7, 6, 0),
      ]),
    );

  it('LW returning the older of two stores (prev_ts repointed to it) is caught by the RAM bus', () => {
    // The load takes (word, 111, ts of the first store), a token the second store already
    // took, and leaves the second store's (word, 222) on the bus; the memory table's final
    // row is made to take the load's (word, 111). The timestamp gap is a genuine positive
    // one and every row's constraints hold: only offline memory checking sees the stale read.
    const m = twoStores();
    const load = m.findRow('load', (c) => c('is_lw') === 1);
    // Store rows are in execution order: the first SW row is the store of 111.
    const first = m.findRow('store', (c) => c('is_sw') === 1);
    const ts = ramTs(m.get('load', 'clk', load));
    const tsFirst = ramTs(m.get('store', 'clk', first));
    const honestPrev = m.get('load', 'mem_prev_ts', load);
    expect(getWord(m, 'load', 'mem_prev', load)).toBe(222);
    setWord(m, 'load', 'mem_prev', load, 111);
    setPrevTs(m, 'load', 'mem', load, ts, tsFirst);
    setWord(m, 'load', 'r', load, 111);
    setRegisterFinal(m, 7, 111);
    setWord(m, 'memory', 'final', memoryRow(m), 111);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    // honestPrev is the second store's timestamp: its token is the one left over.
    expect(d.tuples).toEqual([ramToken(111, tsFirst, '+1'), ramToken(222, honestPrev, '-1')]);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('LW at its own timestamp (prev_ts = ts, any value) is caught by range16 on the gap high limb (8·hi)', () => {
    // A load takes (word, v, prev_ts) and puts (word, v, ts) back; with prev_ts = ts the two
    // cancel for any v, so the load may return 333. The second store's token is taken by the
    // memory table's final row instead (its final timestamp repointed). All buses balance;
    // the gap -1 = p - 1 splits only with a high limb of 32767, and 8·32767 is outside range16.
    const m = twoStores();
    const load = m.findRow('load', (c) => c('is_lw') === 1);
    const ts = ramTs(m.get('load', 'clk', load));
    const honestPrev = m.get('load', 'mem_prev_ts', load);
    setWord(m, 'load', 'mem_prev', load, 333);
    setPrevTs(m, 'load', 'mem', load, ts, ts);
    setWord(m, 'load', 'r', load, 333);
    setRegisterFinal(m, 7, 333);
    m.set('memory', 'final_ts', memoryRow(m), honestPrev);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual(['range16(262136) +1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('load: sign extension', () => {
  // sb 0x80; l? x7: a negative byte.
  const negativeByte = (load: number) =>
    attack(program([asm.addi(5, 0, 0x80), asm.sb(5, 6, 0), load]));

  it('LB of 0x80 zero-extended (sign bit claimed 0) is caught by the top-bit range check', () => {
    // r = 0x00000080 satisfies r1 = r2 = r3 = 255·sgn with sgn = 0; what ties sgn to bit 7
    // of the loaded byte is the byte check of 2·(top - 128·sgn), which is 256 here.
    const m = negativeByte(asm.lb(7, 6, 0));
    const row = m.findRow('load', (c) => c('is_lb') === 1);
    expect(getWord(m, 'load', 'r', row)).toBe(0xffffff80);
    m.set('load', 'sgn', row, 0);
    setWord(m, 'load', 'r', row, 0x80);
    setRegisterFinal(m, 7, 0x80);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual(['bitwise(0,0,256,0) +1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('LBU of 0x80 sign-extended is caught by the result-byte constraints', () => {
    // For LBU the upper result bytes are LW·m_k + ... = 0 whatever the sign witness: no
    // witness makes 0xffffff80 satisfy them.
    const m = negativeByte(asm.lbu(7, 6, 0));
    const row = m.findRow('load', (c) => c('is_lbu') === 1);
    expect(getWord(m, 'load', 'r', row)).toBe(0x80);
    setWord(m, 'load', 'r', row, 0xffffff80);
    setRegisterFinal(m, 7, 0xffffff80);
    const d = finish(m);
    expect(d.constraints).toEqual(['load: r1', 'load: r2', 'load: r3']);
    expect(d.unbalanced).toEqual([]);
    expect(m.verdict()?.check).toBe('oods');
  });
});

describe('alignment', () => {
  // sw 0x44332211 at BUF; then the access under test at BUF + 1 (x5 reloaded first, if given).
  const misaligned = (access: number, x5?: number) =>
    program([
      ...li(5, 0x44332211),
      asm.sw(5, 6, 0),
      ...(x5 === undefined ? [] : li(5, x5)),
      access,
    ]);

  it('LW at BUF + 1 (the VM faults) proven as a load is caught by the alignment constraint', () => {
    // The attacker runs the sibling with LBU at BUF + 1 (legal) and claims the LW program:
    // the row's flag becomes LW, its result the bytes the LW formulas give at offset 1
    // (m1, m1, m2, m3). The address split (offset bit o0 = 1) is the true one; the only
    // equation left false is LW·o0 = 0.
    const m = siblingAttack(misaligned(asm.lw(7, 6, 1)), misaligned(asm.lbu(7, 6, 1)));
    const row = m.findRow('load', (c) => c('is_lbu') === 1);
    expect(m.get('load', 'a_o0', row)).toBe(1);
    m.set('load', 'is_lbu', row, 0).set('load', 'is_lw', row, 1);
    setWord(m, 'load', 'r', row, 0x44332222);
    setRegisterFinal(m, 7, 0x44332222);
    const d = finish(m);
    expect(d.constraints).toEqual(['load: LW is word-aligned (bit 0)']);
    expect(d.unbalanced).toEqual([]);
    expect(m.verdict()?.check).toBe('oods');
  });

  it('SW at BUF + 1 (the VM faults) proven as a store of the whole word is caught by the alignment constraint', () => {
    // Sibling SB at BUF + 1 (the word becomes 0x44335511); the row becomes an SW whose new
    // word is all of rs2, 0x88776655 (the word formula for SW), and the memory table's final
    // row takes that word. Only SW·o0 = 0 fails.
    const rs2 = 0x88776655;
    const m = siblingAttack(misaligned(asm.sw(5, 6, 1), rs2), misaligned(asm.sb(5, 6, 1), rs2));
    const row = m.findRow('store', (c) => c('is_sb') === 1);
    expect(m.get('store', 'a_o0', row)).toBe(1);
    expect(getWord(m, 'store', 'n', row)).toBe(0x44335511);
    m.set('store', 'is_sb', row, 0).set('store', 'is_sw', row, 1);
    setWord(m, 'store', 'n', row, rs2);
    setWord(m, 'memory', 'final', memoryRow(m), rs2);
    const d = finish(m);
    expect(d.constraints).toEqual(['store: SW is word-aligned (bit 0)']);
    expect(d.unbalanced).toEqual([]);
    expect(m.verdict()?.check).toBe('oods');
  });
});

describe('memory table', () => {
  it('a word initialised twice (a second history for a stale read) is caught by the address-chain range check', () => {
    // sw 111; lw x7. The attacker inserts a second memory row for the same word right after
    // the first: it puts (word, 0, ts 0) on the bus again, and takes the load's token. The
    // load then reads the initial 0 (prev_ts 0) and the first row's final takes the store's
    // 111. The RAM bus, the zero-page and range tables all balance; the address chain's gap
    // between the two equal addresses is -1, whose limb 2^16·hi needs 8·hi = 262136, outside
    // range16.
    const m = attack(program([asm.addi(5, 0, 111), asm.sw(5, 6, 0), asm.lw(7, 6, 0)]));
    const load = m.findRow('load', (c) => c('is_lw') === 1);
    const store = m.findRow('store', (c) => c('is_sw') === 1);
    const first = memoryRow(m);
    const mem = m.trace('memory');
    const n = 2 ** mem.logSize;
    if (m.get('memory', 'sel', n - 1) === 1) m.resize('memory', mem.logSize + 1);
    const cols = m.trace('memory').columns;
    // Shift the rows below `first` down by one and copy `first` into the gap.
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
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('io: the public output', () => {
  // Stores "abcd" at BUF and writes those 4 bytes to the public output.
  const output = () =>
    attack(
      program([
        ...li(5, 0x64636261),
        asm.sw(5, 6, 0),
        ...li(11, BUF),
        asm.addi(12, 0, 4),
        ...write(1),
      ]),
    );
  const forgedOutput = Uint8Array.from([0x61, 0x62, 0x63, 0x65]); // "abce"

  it('an output byte changed after the trace (claim, io byte and its word) is caught by the RAM bus', () => {
    // The claim says "abce". The io row of byte 3 puts (3, 'e') on the output bus, so that
    // balances; its constraint ties the byte to the word it reads, so the word read becomes
    // "abce" too, and the memory table's final row takes it. What does not balance is the
    // word itself: nobody ever stored "abce".
    const m = output();
    expect(new TextDecoder().decode(m.claim.publicOutput)).toBe('abcd');
    const row = m.findRow('io', (c) => c('is_output') === 1 && c('pos') === 3);
    m.claim = { ...m.claim, publicOutput: forgedOutput };
    m.set('io', 'byte', row, 0x65).set('io', 'prev3', row, 0x65).set('io', 'new3', row, 0x65);
    setWord(m, 'memory', 'final', memoryRow(m), 0x65636261);
    const ts = m.get('io', 'prev_ts', row);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual([ramToken(0x64636261, ts, '-1'), ramToken(0x65636261, ts, '+1')]);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('an output byte read at its own timestamp (the issue 10 exploit, one byte) is caught by range16 (8·hi)', () => {
    // The forgery of issue 10 against fixed-size range tables: the io row of byte 3 reads
    // its word at prev_ts = ts, so it takes back the very token it puts and may hold "abce";
    // the previous io row's token is taken by the memory table's final row instead. RAM and
    // output buses balance; the gap -1 needs a high limb of 32767, whose 8·hi range16 refuses
    // (before F7's fix the high limb went to range11, which refused it once its size was fixed).
    const m = output();
    const row = m.findRow('io', (c) => c('is_output') === 1 && c('pos') === 3);
    const ts = 4 * m.get('io', 'clk', row) + 3;
    const honestPrev = m.get('io', 'prev_ts', row);
    m.claim = { ...m.claim, publicOutput: forgedOutput };
    m.set('io', 'byte', row, 0x65).set('io', 'prev3', row, 0x65).set('io', 'new3', row, 0x65);
    setPrevTs(m, 'io', '', row, ts, ts);
    m.set('memory', 'final_ts', memoryRow(m), honestPrev);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual(['range16(262136) +1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});
