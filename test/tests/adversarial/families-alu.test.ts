import { aluProgram, asm, buildElf, exit, li } from '@nexus/air-testing';
import { inv } from '@nexus/field';
import { describe, expect, it } from 'vitest';
import {
  attack,
  diagnose,
  fe,
  finish,
  getWord,
  setPrevTs,
  setRegisterFinal,
  setWord,
} from '../../src/adversarial.js';

// The arithmetic families against a malicious prover. Every test starts from the honest
// traces of a small program, forges what a dishonest prover controls, re-solves every local
// witness it can (so all the row's constraints still hold) and re-counts the lookup tables;
// it then asserts locally which single mechanism is left to catch the forgery (diagnose), and
// that the real verifier rejects the proof at the standard config, naming that check. A bus
// that does not balance is 'logup-sum'; a constraint that fails on a row is 'oods' (the
// composition polynomial no longer matches the trace at the out-of-domain point).
//
// In aluProgram([case]) the case's destination is written once and never read again, so its
// final value lives in the register file's final row: the forged value goes there too.

/** Little-endian bytes of a u32. */
const bytes = (v: number) => [0, 1, 2, 3].map((k) => (v >>> (8 * k)) & 0xff);

describe('honest control', () => {
  it('the unpatched malicious prover is accepted (the harness itself forges nothing)', () => {
    const m = attack(aluProgram([{ op: 'add', rd: 5, a: 0xff, b: 1 }]));
    expect(diagnose(m)).toMatchObject({ constraints: [], unbalanced: [] });
    expect(m.verdict()).toBeNull();
  });
});

describe('add, sub, slt, logic: bytes and carries', () => {
  it('ADD: a result byte of 256 (the carry dropped to match) is caught by the byte range check', () => {
    // 0xff + 1 = 0x100: honest r = (0, 1, 0, 0) with carry c0 = 1. The forgery writes
    // r = (256, 0, 0, 0) with c0 = 0: byte 0 reads 0xff + 1 + 0 = 256 + 256·0 and byte 1
    // 0 + 0 + 0 = 0, so the carry chain holds; only the pair lookup (r0, r1) in the bitwise
    // table, which holds bytes only, can refuse it.
    const m = attack(aluProgram([{ op: 'add', rd: 5, a: 0xff, b: 1 }]));
    const row = m.findRow('add', (c) => c('is_add') === 1);
    expect(getWord(m, 'add', 'r', row)).toBe(0x100);
    m.set('add', 'r0', row, 256).set('add', 'c0', row, 0).set('add', 'r1', row, 0);
    m.set('register-file', 'final0', 5, 256).set('register-file', 'final1', 5, 0);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual(['bitwise(0,256,0,0) +1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('SUB: a borrow out of byte 0 that never happened, the bytes re-solved, is caught by the byte range check', () => {
    // 5 - 3 = 2 has no borrow. With borrows w = (1, 1, 1, 1) every byte equation
    // a_k - b_k - w_(k-1) = d_k - 256·w_k still holds for d = (258, 255, 255, 255): a
    // register reading 0xffffff02 "plus 256". Only the range check of d0 = 258 refuses it.
    const m = attack(aluProgram([{ op: 'sub', rd: 5, a: 5, b: 3 }]));
    const row = m.findRow('sub', (c) => c('is_sub') === 1);
    [258, 255, 255, 255].forEach((v, k) => {
      m.set('sub', `r${k}`, row, v).set('sub', `w${k}`, row, 1);
      m.set('register-file', `final${k}`, 5, v);
    });
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual(['bitwise(0,258,255,0) +1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('SLTU: 5 < 3 claimed true (the final borrow flipped, d3 re-solved) is caught by the byte range check', () => {
    // The result of SLTU is the last borrow w3. Setting w3 = 1 makes byte 3 of the
    // difference 0 - 0 - 0 + 256 = 256, a byte equation that still holds; the pair lookup
    // (d2, d3) is the only thing that refuses d3 = 256.
    const m = attack(aluProgram([{ op: 'sltu', rd: 5, a: 5, b: 3 }]));
    const row = m.findRow('slt', (c) => c('is_sltu') === 1);
    expect(m.get('slt', 'w3', row)).toBe(0);
    m.set('slt', 'w3', row, 1).set('slt', 'd3', row, 256);
    setRegisterFinal(m, 5, 1);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual(['bitwise(0,0,256,0) +1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('XOR: a wrong result byte is caught by the bitwise table lookup', () => {
    // 0x0f ^ 0xf0 = 0xff; the row claims 0x00. The logic family has no constraint on the
    // result at all: each byte is the bitwise table's answer (XOR, a_k, b_k, r_k), and the
    // table holds no row (XOR, 0x0f, 0xf0, 0x00).
    const m = attack(aluProgram([{ op: 'xor', rd: 5, a: 0x0f, b: 0xf0 }]));
    const row = m.findRow('logic', (c) => c('is_xor') === 1);
    expect(m.get('logic', 'r0', row)).toBe(0xff);
    m.set('logic', 'r0', row, 0);
    setRegisterFinal(m, 5, 0);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual(['bitwise(3,15,240,0) +1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('register accesses', () => {
  it('ADD reading the older of two writes to rs1 (prev_ts repointed to it) is caught by the register bus', () => {
    // x5 := 1, x5 := 2, x6 := x5 + x0. The read of x5 claims 1 with the first write's
    // timestamp (a genuine, positive gap), the sum and x6 follow, and the register file's
    // final row takes the forged token. The first write's token is then taken twice (by the
    // second write and by the read) and the second write's never: only the register bus
    // can tell.
    const code = [asm.addi(5, 0, 1), asm.addi(5, 0, 2), asm.add(6, 5, 0), ...exit(0)];
    const m = attack(buildElf({ code }));
    const row = m.findRow('add', (c) => c('is_add') === 1);
    const first = m.findRow('add', (c) => c('is_addi') === 1 && c('rd') === 5);
    const ts = 4 * m.get('add', 'clk', row);
    expect(getWord(m, 'add', 'rs1_v', row)).toBe(2);
    setWord(m, 'add', 'rs1_v', row, 1);
    setPrevTs(m, 'add', 'rs1', row, ts, 4 * m.get('add', 'clk', first) + 2);
    setWord(m, 'add', 'r', row, 1);
    setRegisterFinal(m, 6, 1);
    setRegisterFinal(m, 5, 1);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.unbalanced).toEqual(['reg']);
    expect(d.tuples).toEqual(['reg(5,1,0,0,0,6) +1', 'reg(5,2,0,0,0,10) -1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('ADD reading rs1 at its own timestamp (prev_ts = ts, any value) is caught by range16 on the gap high limb (8·hi)', () => {
    // A read takes (reg, v, prev_ts) off the register bus and puts (reg, v, ts) back. With
    // prev_ts = ts the two cancel whatever v is: the read of x20 returns a forged 40 instead
    // of 2, and the sum becomes 43. The honest token (x20, 2, 6) is left for the register
    // file's final row, repointed to it, so the register bus balances. The gap ts - prev_ts
    // - 1 = -1 is p - 1 in the field: lo = 65534, hi = 32767, and 8·hi = 262136 is out of
    // range16 (no split of p - 1 with 8·hi in range16 exists: SOUNDNESS.md 4.3).
    const m = attack(aluProgram([{ op: 'add', rd: 5, a: 2, b: 3 }]));
    const row = m.findRow('add', (c) => c('is_add') === 1);
    const ts = 4 * m.get('add', 'clk', row);
    const honestPrev = m.get('add', 'rs1_prev_ts', row);
    setWord(m, 'add', 'rs1_v', row, 40);
    setPrevTs(m, 'add', 'rs1', row, ts, ts);
    setWord(m, 'add', 'r', row, 43);
    setRegisterFinal(m, 5, 43);
    setRegisterFinal(m, 20, 2, honestPrev);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual(['range16(262136) +1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('x0', () => {
  it('LUI x0 carrying a value (rd_nz set to 1, x0 final repointed) is caught by the program table', () => {
    // The write to rd happens with multiplicity sel·rd_nz, and rd_nz is a field of the
    // instruction the row takes from the preprocessed program table, which says 0 for x0.
    // The forgery writes x0 := 0x12345000 as a real access (previous value 0 at x0's last
    // read, final row updated), so the register bus balances; the program tuple with
    // rd_nz = 1 is no instruction of the program.
    const code = [...li(10, 0), asm.addi(17, 0, 93), asm.lui(0, 0x12345), asm.ecall()];
    const m = attack(buildElf({ code }));
    const row = m.findRow('lui', (c) => c('is_lui') === 1);
    expect(m.get('lui', 'rd', row)).toBe(0);
    const ts = 4 * m.get('lui', 'clk', row) + 2;
    m.set('lui', 'rd_nz', row, 1);
    setPrevTs(m, 'lui', 'rd', row, ts, m.get('register-file', 'final_ts', 0));
    setRegisterFinal(m, 0, 0x12345000, ts);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.unbalanced).toEqual(['program']);
    expect(d.tuples).toHaveLength(1);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('auipc: pc aliasing', () => {
  it('AUIPC from the bytes of pc + p (the same field element) is caught by the 4·p3 byte check', () => {
    // "pc is its bytes" is an equation mod p: the bytes of pc + p satisfy it too. Summing
    // those with the immediate (carries re-solved) gives rd = pc + p + imm, a different
    // 32-bit value. Only the check that 4·p3 is a byte (p3 < 64, pc < 2^30) refuses p3 = 128.
    const m = attack(buildElf({ code: [asm.auipc(5, 0x12345), ...exit(0)] }));
    const row = m.findRow('auipc', (c) => c('is_auipc') === 1);
    const pc = m.get('auipc', 'pc', row);
    const alias = pc + 0x7fffffff;
    const imm = 0x12345000;
    const p = bytes(alias);
    const i = bytes(imm);
    p.forEach((v, k) => {
      m.set('auipc', `p${k}`, row, v);
    });
    let carry = 0;
    for (let k = 1; k < 4; k++) {
      const s = p[k]! + i[k]! + carry;
      carry = s >>> 8;
      m.set('auipc', `r${k}`, row, s & 0xff).set('auipc', `c${k}`, row, carry);
    }
    const rd = (alias + imm) >>> 0;
    expect(rd).not.toBe((pc + imm) >>> 0);
    setRegisterFinal(m, 5, rd);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual([`bitwise(0,512,${bytes(rd)[1]},0) +1`]);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('shift', () => {
  it('SRL by the whole register (40, not 40 mod 32) is caught by the range check of the ignored bits', () => {
    // A shift by the full value 40 would give 0. The amount m + 8q is at most 31 by
    // construction (bits m, one-hot q), so the forgery shifts by 31 (which also gives 0 for
    // this rs1) and solves the split 40 = 31 + 32·t for t = 9/32 in the field; pow_l, pow_r,
    // the lo/hi products and the result bytes are the honest ones for a shift by 31. Only
    // the byte check of t refuses it.
    const a = 0x12345678;
    const m = attack(aluProgram([{ op: 'srl', rd: 5, a, b: 40 }]));
    const row = m.findRow('shift', (c) => c('is_srl') === 1);
    expect(getWord(m, 'shift', 'r', row)).toBe(a >>> 8);
    m.set('shift', 'm0', row, 1).set('shift', 'm1', row, 1).set('shift', 'm2', row, 1);
    [0, 0, 0, 1].forEach((g, q) => {
      m.set('shift', `g${q}`, row, g);
    });
    const t = Number((9n * BigInt(inv(32))) % 0x7fffffffn);
    m.set('shift', 't', row, t);
    m.set('shift', 'pow_l', row, 128).set('shift', 'pow_r', row, 2);
    bytes(a).forEach((ak, k) => {
      m.set('shift', `lo${k}`, row, (ak * 2) & 0xff).set('shift', `hi${k}`, row, (ak * 2) >>> 8);
    });
    setWord(m, 'shift', 'r', row, a >>> 31);
    setRegisterFinal(m, 5, a >>> 31);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual([`bitwise(0,${t},${2 * ((a >>> 24) & 0x7f)},0) +1`]);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('mul', () => {
  it('MULHU with its top byte + 1, the last carry absorbing it, is caught by range11 on the carry', () => {
    // Column 7 of the schoolbook product reads lhs_7 = p7 + 256·c7. Raising p7 (rd's top
    // byte) by one and lowering c7 by 1/256 keeps it; c7 is the last carry, so nothing else
    // moves. Only the range11 lookup of c7 (now about p/256) refuses it: without it the top
    // byte of MULH* would be free.
    const a = 0x12345678;
    const b = 0x9abcdef0;
    const m = attack(aluProgram([{ op: 'mulhu', rd: 5, a, b }]));
    const row = m.findRow('mul', (c) => c('is_mulhu') === 1);
    const high = Number((BigInt(a) * BigInt(b)) >> 32n);
    expect(getWord(m, 'mul', 'o', row)).toBe(high);
    expect(high >>> 24).toBeLessThan(255); // the forged byte stays a byte
    const c7 = fe(m.get('mul', 'c7', row) - inv(256));
    m.set('mul', 'o3', row, (high >>> 24) + 1).set('mul', 'c7', row, c7);
    setRegisterFinal(m, 5, high + 2 ** 24);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual([`range11(${c7}) +1`]);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('div', () => {
  type DivOp = 'div' | 'divu' | 'rem' | 'remu';
  const TWO32 = 2 ** 32;

  /**
   * The attacker's division witness for a claimed (q, r, sq): every cell the constraints
   * determine is solved from them (signs, zero flag, the carries of b·Q + r = a, the slack
   * |b| - |r| - 1 + 2^32·bz and its chain), with the slack's top byte solved from the last
   * chain equation, so a claim with |r| >= |b| leaves that byte out of range rather than
   * breaking an equation.
   */
  function forgeDivision(
    m: ReturnType<typeof attack>,
    row: number,
    op: DivOp,
    a: number,
    b: number,
    q: number,
    r: number,
    sq: number,
  ): void {
    const signed = op === 'div' || op === 'rem' ? 1 : 0;
    const set = (name: string, v: number) => m.set('div', name, row, v);
    const [sa, sb, sr] = [a, b, r].map((x) => signed * (x >>> 31)) as [number, number, number];
    const ext = (x: number, s: number) => [...bytes(x), ...[0, 0, 0, 0].map(() => 255 * s)];
    const A = ext(a, sa);
    const B = ext(b, sb);
    const Q = ext(q, sq);
    const R = ext(r, sr);
    for (const [x, name] of [
      [a, 'a'],
      [b, 'b'],
      [r, 'r'],
    ] as const) {
      set(`m${name}`, x >>> 31);
      set(`l${name}`, (x >>> 24) & 0x7f);
    }
    set('sa', sa);
    set('sb', sb);
    set('sr', sr);
    set('sq', sq);
    for (let k = 0; k < 4; k++) {
      set(`q${k}`, Q[k]!);
      set(`r${k}`, R[k]!);
      set(`w${k}`, op === 'div' || op === 'divu' ? Q[k]! : R[k]!);
    }
    const bsum = B.slice(0, 4).reduce((s, x) => s + x, 0);
    const bz = bsum === 0 ? 1 : 0;
    set('bz', bz);
    set('binv', bz ? 0 : inv(bsum));
    let c = 0;
    for (let k = 0; k < 8; k++) {
      let s = R[k]! + c;
      for (let i = 0; i <= k; i++) s += B[i]! * Q[k - i]!;
      c = Math.floor((s - A[k]!) / 256);
      set(`c${k}`, fe(c));
    }
    const abs = (x: number, s: number) => (s ? TWO32 - x : x);
    const D = abs(b >>> 0, sb) - abs(r >>> 0, sr) - 1 + TWO32 * bz;
    const Dm = ((D % TWO32) + TWO32) % TWO32;
    let e = 0;
    for (let k = 0; k < 4; k++) {
      const term = (1 - 2 * sb) * B[k]! - (1 - 2 * sr) * R[k]! - (k === 0 ? 1 : 0) + e;
      if (k < 3) {
        const dk = Math.floor(Dm / 256 ** k) % 256;
        set(`d${k}`, dk);
        e = Math.floor((term - dk) / 256);
        set(`e${k}`, fe(e + 3));
      } else {
        set('d3', fe(term - 256 * (sr - sb - bz)));
      }
    }
  }

  it('DIVU by zero claiming quotient 0 (not all ones) is caught by the division-by-zero constraint', () => {
    // With b = 0, bz = 1 is forced (bsum·binv = sel - bz), b·q + r = a gives r = a for any
    // q, and the only thing tying q to the spec's 0xffffffff is bz·(q_k - 255) = 0.
    const m = attack(aluProgram([{ op: 'divu', rd: 5, a: 100, b: 0 }]));
    const row = m.findRow('div', (c) => c('is_divu') === 1);
    expect(getWord(m, 'div', 'q', row)).toBe(0xffffffff);
    forgeDivision(m, row, 'divu', 100, 0, 0, 100, 0);
    setRegisterFinal(m, 5, 0);
    const d = finish(m);
    expect(d.constraints).toEqual([0, 1, 2, 3].map((k) => `div: q byte ${k} is 255 when b = 0`));
    expect(d.unbalanced).toEqual([]);
    expect(m.verdict()?.check).toBe('oods');
  });

  it('DIV INT_MIN / -1 claiming INT_MAX (remainder -1) is caught by the range check of the |r| < |b| slack', () => {
    // (-1)·(2^31 - 1) + (-1) = -2^31: the product equation holds, and r = -1 has a's sign.
    // But |r| = |b| = 1, so the slack |b| - |r| - 1 is -1: its chain can only close with a
    // top byte of -1 (p - 1), which the pair lookup (d2, d3) refuses.
    const INT_MIN = 0x80000000;
    const m = attack(aluProgram([{ op: 'div', rd: 5, a: INT_MIN, b: -1 }]));
    const row = m.findRow('div', (c) => c('is_div') === 1);
    expect(getWord(m, 'div', 'q', row)).toBe(INT_MIN);
    forgeDivision(m, row, 'div', INT_MIN, 0xffffffff, 0x7fffffff, 0xffffffff, 0);
    setRegisterFinal(m, 5, 0x7fffffff);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual([`bitwise(0,255,${fe(-1)},0) +1`]);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('REMU 100 % 7 claiming 9 (quotient 13: |r| >= |b|) is caught by the range check of the slack', () => {
    // 7·13 + 9 = 100 holds; only |r| < |b| pins the division, and 7 - 9 - 1 = -3 has no
    // byte decomposition: the top byte solves to p - 1.
    const m = attack(aluProgram([{ op: 'remu', rd: 5, a: 100, b: 7 }]));
    const row = m.findRow('div', (c) => c('is_remu') === 1);
    expect(getWord(m, 'div', 'r', row)).toBe(2);
    forgeDivision(m, row, 'remu', 100, 7, 13, 9, 0);
    setRegisterFinal(m, 5, 9);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual([`bitwise(0,255,${fe(-1)},0) +1`]);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});
