import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  customKey,
  decode,
  disassemble,
  FAMILIES,
  FAMILY_OF,
  LOCAL_OP_OF,
  LOCAL_OPS,
  MNEMONICS,
  OP_COUNT,
  Op,
} from '../src/index.js';
import { encB, encI, encJ, encR, encS, encU } from './support/asm.js';
import { hasObjdump, warnMissing } from './support/qemu.js';

describe('decode', () => {
  it('extracts every field and sign-extends every immediate format', () => {
    fc.assert(
      fc.property(
        fc.nat(31),
        fc.nat(31),
        fc.nat(31),
        fc.integer({ min: -2048, max: 2047 }),
        (rd, rs1, rs2, imm) => {
          expect(decode(encI(imm, rs1, 0, rd, 0x13))).toMatchObject({
            op: Op.ADDI,
            rd,
            rs1,
            rs2: 0,
            imm,
          });
          expect(decode(encI(imm, rs1, 2, rd, 0x03))).toMatchObject({ op: Op.LW, rd, rs1, imm });
          expect(decode(encI(imm, rs1, 0, rd, 0x67))).toMatchObject({ op: Op.JALR, rd, rs1, imm });
          expect(decode(encS(imm, rs2, rs1, 1, 0x23))).toMatchObject({
            op: Op.SH,
            rd: 0,
            rs1,
            rs2,
            imm,
          });
          expect(decode(encB(imm * 2, rs2, rs1, 7))).toMatchObject({
            op: Op.BGEU,
            rs1,
            rs2,
            imm: imm * 2,
          });
          expect(decode(encJ(imm * 512, rd))).toMatchObject({ op: Op.JAL, rd, imm: imm * 512 });
          expect(decode(encU((imm * 256) & 0xfffff, rd, 0x37))).toMatchObject({
            op: Op.LUI,
            rd,
            imm: ((imm * 256) & 0xfffff) << 12,
          });
          expect(decode(encR(1, rs2, rs1, 3, rd, 0x33))).toMatchObject({
            op: Op.MULHU,
            rd,
            rs1,
            rs2,
            imm: 0,
          });
          expect(decode(encR(0x20, rs2, rs1, 5, rd, 0x13))).toMatchObject({
            op: Op.SRAI,
            rd,
            rs1,
            imm: rs2,
          });
        },
      ),
    );
  });
  it('extreme immediates: B and J offsets at both ends of their range', () => {
    expect(decode(encB(-4096, 1, 2, 0)).imm).toBe(-4096);
    expect(decode(encB(4094, 1, 2, 0)).imm).toBe(4094);
    expect(decode(encJ(-(1 << 20), 0)).imm).toBe(-(1 << 20));
    expect(decode(encJ((1 << 20) - 2, 0)).imm).toBe((1 << 20) - 2);
    expect(decode(encU(0xfffff, 5, 0x17))).toMatchObject({ op: Op.AUIPC, imm: 0xfffff000 | 0 });
  });
  it('decodes every op and nothing else (random words are legal or ILLEGAL, never a throw)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (w) => {
        const d = decode(w);
        expect(d.word).toBe(w >>> 0);
        expect(d.op).toBeGreaterThanOrEqual(0);
        expect(d.op).toBeLessThanOrEqual(Op.ILLEGAL);
        if (d.op === Op.ILLEGAL) expect(d.reason).toBeTruthy();
        expect(typeof disassemble(w, 0x1000)).toBe('string');
      }),
      { numRuns: 20000 },
    );
  });
  it('every op belongs to exactly one family with a local op id', () => {
    for (let op = 0; op < OP_COUNT; op++) {
      // A custom instruction is a plugin's: no built-in family.
      if (op === Op.CUSTOM) {
        expect(FAMILY_OF[op]).toBe(-1);
        continue;
      }
      const f = FAMILIES[FAMILY_OF[op]!]!;
      expect(f, MNEMONICS[op]).toBeDefined();
      if (op !== Op.ECALL) expect(LOCAL_OPS[f][LOCAL_OP_OF[op]!]).toBe(MNEMONICS[op]);
    }
  });
});

describe('custom instructions', () => {
  it('decode to CUSTOM with the key of (opcode, funct3, funct7)', () => {
    const d = decode(encR(0x05, 12, 11, 3, 10, 0x2b));
    expect(d.op).toBe(Op.CUSTOM);
    expect([d.rd, d.rs1, d.rs2]).toEqual([10, 11, 12]);
    expect(d.imm).toBe(customKey(0x2b, 3, 0x05));
    expect(d.imm).toBe((1 << 10) | (5 << 3) | 3);
    expect(disassemble(d)).toBe('.insn r 0x2b, 3, 0x5, a0, a1, a2');
    expect(disassemble(d, 0, new Map([[d.imm, { name: 'madd' }]]))).toBe('madd a0, a1, a2');
    expect(decode(encR(0, 0, 0, 0, 0, 0x0b)).imm).toBe(0);
  });
});

describe('disassemble', () => {
  it('prints standard mnemonics with ABI register names', () => {
    expect(disassemble(0x00a00513)).toBe('addi a0, zero, 10');
    expect(disassemble(encR(0x20, 12, 11, 0, 10, 0x33))).toBe('sub a0, a1, a2');
    expect(disassemble(encI(-4, 2, 2, 1, 0x03))).toBe('lw ra, -4(sp)');
    expect(disassemble(encS(8, 31, 8, 0, 0x23))).toBe('sb t6, 8(s0)');
    expect(disassemble(encB(-16, 0, 14, 1), 0x10080)).toBe('bne a4, zero, 0x10070');
    expect(disassemble(encJ(8, 1), 0x10000)).toBe('jal ra, 0x10008');
    expect(disassemble(encI(0, 1, 0, 0, 0x67))).toBe('jalr zero, 0(ra)');
    expect(disassemble(encU(0x12345, 5, 0x37))).toBe('lui t0, 0x12345');
    expect(disassemble(encR(0x20, 3, 6, 5, 7, 0x13))).toBe('srai t2, t1, 0x3');
    expect(disassemble(0x00000073)).toBe('ecall');
    expect(disassemble(0x0ff0000f)).toBe('fence iorw, iorw');
    expect(disassemble(0x00100073)).toBe('.word 0x00100073');
  });
});

const GUESTS = ['fib', 'sha256', 'sort', 'factorial', 'io', 'mext', 'long'];
if (!hasObjdump) warnMissing('riscv64-unknown-elf-objdump', 'binutils-riscv64-unknown-elf');

describe.skipIf(!hasObjdump)('disassemble agrees with objdump -M no-aliases', () => {
  it('on every instruction of every guest', () => {
    let compared = 0;
    for (const g of GUESTS) {
      const path = fileURLToPath(new URL(`../../../guests/bin/${g}.elf`, import.meta.url));
      const dump = execFileSync('riscv64-unknown-elf-objdump', ['-d', '-M', 'no-aliases', path], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      });
      for (const line of dump.split('\n')) {
        const m = /^\s*([0-9a-f]+):\s+([0-9a-f]{8})\s+(.*)$/.exec(line);
        if (m === null) continue;
        const pc = Number.parseInt(m[1]!, 16);
        const word = Number.parseInt(m[2]!, 16);
        if (decode(word).op === Op.ILLEGAL) continue;
        const norm = (s: string) =>
          s
            .replace(/<[^>]*>/g, '')
            .replace(/#.*/, '')
            .replace(/0x/g, '')
            .replace(/\s+/g, ' ')
            .replace(/, /g, ',')
            .trim();
        expect(norm(disassemble(word, pc)), `${g} ${m[1]}: ${m[3]}`).toBe(norm(m[3]!));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });
});
