import { asm, buildElf, exit } from '@nexus/air-testing';
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

// Control flow and the exit against a malicious prover: branch, jal, jalr, fence, ecall.
// As in families-alu.test.ts, each forgery re-solves what it can, re-counts the tables, shows
// locally the one mechanism left to catch it (finish = rebalance + diagnose), and asserts the
// real verifier's check at the standard config: 'logup-sum' for a bus that does not balance,
// 'oods' for a constraint that fails on some row.
//
// Where the honest VM cannot produce the forged execution at all (a branch going the other
// way, a misaligned jump), the attacker runs a sibling program that differs in that one
// instruction and claims the original program (siblingAttack): every other row is then
// consistent, and the patched row is the only place a check can bite.

const TEXT = 0x10000;
const pcOf = (k: number) => TEXT + 4 * k;

describe('branch', () => {
  it('BEQ taken although rs1 != rs2 (eq forced to 1) is caught by the zero-flag constraint', () => {
    // The program exits 1 when `beq x5, x6` falls through (1 != 2) and 0 when it jumps over
    // the `li a0, 1`. The attacker runs the sibling with BNE (taken), so every row after the
    // branch follows the taken path, and claims exit code 0 for the BEQ program. On the
    // branch row it sets the BEQ flag (so the program lookup matches), eq = 1 (so the
    // next-pc constraint takes the jump) and inv = 0 (so dsum·inv = sel - eq holds): the
    // only equation left false is eq·dsum = 0, dsum being 1 + 254 + ... > 0 for 1 - 2.
    const program = (taken: boolean) =>
      buildElf({
        code: [
          asm.addi(10, 0, 0),
          asm.addi(5, 0, 1),
          asm.addi(6, 0, 2),
          taken ? asm.bne(5, 6, 8) : asm.beq(5, 6, 8),
          asm.addi(10, 0, 1),
          ...exit(),
        ],
      });
    const m = siblingAttack(program(false), program(true));
    expect(m.claim.exitCode).toBe(0);
    const row = m.findRow('branch', (c) => c('pc') === pcOf(3));
    expect(m.get('branch', 'next_pc', row)).toBe(pcOf(5));
    m.set('branch', 'is_bne', row, 0).set('branch', 'is_beq', row, 1);
    m.set('branch', 'eq', row, 1).set('branch', 'inv', row, 0);
    const d = finish(m);
    expect(d.constraints).toEqual(['branch: eq·dsum = 0']);
    expect(d.unbalanced).toEqual([]);
    expect(m.verdict()?.check).toBe('oods');
  });
});

describe('execution order (exec bus)', () => {
  // fence; li x5, 1; fence; exit(0): two identical FENCE rows at pcs 0 and 8.
  const fences = () =>
    attack(buildElf({ code: [asm.fence(), asm.addi(5, 0, 1), asm.fence(), ...exit(0)] }));

  it('a row executing the same instruction at another pc (a jump nobody made) is caught by the exec bus', () => {
    // Row 0 claims the FENCE at pc 8 instead of pc 0. Both hold the same decoded tuple, so
    // with the program table re-counted the program bus balances; nothing ties the row to
    // the state (pc 0, clk 1) the statement starts except the exec bus, which no longer
    // balances: (0, 1) is never taken and (8, 1) is taken without being put.
    const m = fences();
    const row = m.findRow('fence', (c) => c('pc') === pcOf(0));
    m.set('fence', 'pc', row, pcOf(2));
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.unbalanced).toEqual(['exec']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('two rows swapping their clk (instructions run out of order) is caught by the exec bus', () => {
    // FENCE touches no register and no memory, so its clk appears only in (pc, clk) ->
    // (pc + 4, clk + 1): swapping the clk of the two FENCE rows changes nothing but the
    // exec tuples, which then chain to nothing.
    const m = fences();
    const first = m.findRow('fence', (c) => c('pc') === pcOf(0));
    const second = m.findRow('fence', (c) => c('pc') === pcOf(2));
    const [c1, c2] = [m.get('fence', 'clk', first), m.get('fence', 'clk', second)];
    m.set('fence', 'clk', first, c2).set('fence', 'clk', second, c1);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.unbalanced).toEqual(['exec']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});

describe('jal, jalr', () => {
  it('JAL linking pc + 4 + p (the same field element, other bytes) is caught by the r3 < 128 check', () => {
    // "rd = pc + 4" is an equation mod p: the bytes of pc + 4 + p satisfy it too, and would
    // put 0x80010003 in ra instead of 0x10004. The link's bytes are range-checked, and 2·r3
    // as well, so that r3 < 128 and the bytes are below p: 2·0x80 = 256 is refused.
    const m = attack(buildElf({ code: [asm.jal(1, 8), asm.addi(5, 0, 1), ...exit(0)] }));
    const row = m.findRow('jal', (c) => c('is_jal') === 1);
    const link = getWord(m, 'jal', 'r', row);
    expect(link).toBe(pcOf(1));
    const alias = link + 0x7fffffff;
    setWord(m, 'jal', 'r', row, alias);
    setRegisterFinal(m, 1, alias);
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual(['bitwise(0,256,0,0) +1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('JALR to a target with bit 1 set, proven as its aligned word (bits 0-1 dropped), is caught by the bit-0 constraint', () => {
    // `jalr x1, 2(x5)` with x5 = a code address has target x5 + 2: the VM faults (the target
    // is not 4-aligned). The attacker runs the sibling with offset 0 and claims the offset-2
    // program, whose jump would then land on x5 "rounded down". Byte 0 of rs1 + imm is
    // 4·t_lo + t_b0 with the target 4·t_lo + ...: keeping the aligned target leaves
    // t_b0 = 2 in the sum, and the only equation that refuses it is t_b0·(t_b0 - 1) = 0.
    const target = pcOf(4);
    const program = (offset: number) =>
      buildElf({
        code: [
          asm.lui(5, target >>> 12),
          asm.addi(5, 5, target & 0xfff),
          asm.jalr(1, 5, offset),
          asm.addi(6, 0, 1),
          ...exit(0),
        ],
      });
    const m = siblingAttack(program(2), program(0));
    const row = m.findRow('jalr', (c) => c('is_jalr') === 1);
    expect(m.get('jalr', 't_b0', row)).toBe(0);
    m.set('jalr', 'imm0', row, 2).set('jalr', 'imm_f', row, 2).set('jalr', 't_b0', row, 2);
    const d = finish(m);
    expect(d.constraints).toEqual(['jalr: bit 0 of the sum is boolean']);
    expect(d.unbalanced).toEqual([]);
    expect(m.verdict()?.check).toBe('oods');
  });
});

describe('ecall: the exit', () => {
  it('a second exit (the exit row repeated one cycle later) is caught by the exec and exit buses', () => {
    // The copy reads a7, a0, a1, a2 again one cycle later (their register accesses chained
    // after the first exit's, the register file's final timestamps moved), and the program
    // table is re-counted: the registers balance. But no row yields the state (pc, clk + 1)
    // the copy takes (the exit yields no successor), and the statement takes one exit code,
    // not two: an execution has exactly one exit.
    const m = attack(buildElf({ code: exit(5) }));
    const row = m.findRow('ecall', (c) => c('is_exit') === 1);
    const copy = m.findRow('ecall', (c) => c('sel') === 0);
    const trace = m.trace('ecall');
    for (const col of trace.columns) col[copy] = col[row]!;
    const clk = m.get('ecall', 'clk', row) + 1;
    m.set('ecall', 'clk', copy, clk);
    for (const [reg, prefix] of [
      [17, 'a7'],
      [10, 'a0'],
      [11, 'a1'],
      [12, 'a2'],
    ] as const) {
      setPrevTs(m, 'ecall', prefix, copy, 4 * clk, 4 * (clk - 1));
      m.set('register-file', 'final_ts', reg, 4 * clk);
    }
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.unbalanced).toEqual(['exec', 'exit']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });

  it('an exit code changed in the claim after the trace is caught by the exit bus', () => {
    // The exit row yields a0's bytes (5) on the exit bus; the statement takes the claimed
    // code (0) off it, computed by the verifier from the claim itself.
    const m = attack(buildElf({ code: exit(5) }));
    expect(m.claim.exitCode).toBe(5);
    m.claim = { ...m.claim, exitCode: 0 };
    const d = finish(m);
    expect(d.constraints).toEqual([]);
    expect(d.tuples).toEqual(['exit(0,0,0,0) +1', 'exit(5,0,0,0) -1']);
    expect(m.verdict()?.check).toBe('logup-sum');
  });
});
