import { MNEMONICS, Op } from '@nexus/vm';
import { asm, exit, li, read, write } from './asm.js';
import { buildElf } from './elf.js';

/**
 * A guest exercising every syscall: reads 3 public and 4 private input bytes (asking for more
 * than the tapes hold, so both reads come up short and a further read returns 0), stores a
 * word, writes the buffers to the output and the log, and exits with code 7.
 */
export function ioProgram(): Uint8Array {
  const buf = 0x20000;
  return buildElf({
    code: [
      ...li(11, buf),
      ...li(12, 16),
      ...read(3), // public input: short
      ...li(11, buf + 5),
      ...li(12, 16),
      ...read(0), // private input: short
      ...li(11, buf + 5),
      ...li(12, 16),
      ...read(0), // private tape ended: 0 bytes
      ...li(5, 0x41424344),
      ...li(6, buf + 12),
      asm.sw(5, 6, 0),
      ...li(11, buf),
      ...li(12, 16),
      ...write(1), // output: 16 bytes
      ...li(11, buf + 1),
      ...li(12, 3),
      ...write(2), // log: 3 bytes
      ...exit(7),
    ],
    data: Uint8Array.of(0xaa, 0xbb),
    dataBase: buf,
    bss: 64,
  });
}

export const IO_PUBLIC_INPUT = Uint8Array.of(1, 2, 3);
export const IO_PRIVATE_INPUT = Uint8Array.of(9, 8, 7, 6);

/** The register-register ALU ops of the assembler (rd, rs1, rs2). */
type RegisterOp =
  | 'add'
  | 'sub'
  | 'sll'
  | 'slt'
  | 'sltu'
  | 'xor'
  | 'srl'
  | 'sra'
  | 'or'
  | 'and'
  | 'mul'
  | 'mulh'
  | 'mulhsu'
  | 'mulhu'
  | 'div'
  | 'divu'
  | 'rem'
  | 'remu';
/** The register-immediate ALU ops of the assembler (rd, rs1, imm). */
type ImmediateOp = 'addi' | 'slti' | 'sltiu' | 'xori' | 'ori' | 'andi' | 'slli' | 'srli' | 'srai';
export type AluOp = RegisterOp | ImmediateOp;

/**
 * Does the ALU op take an immediate (rather than rs2)? The VM numbers the register-immediate
 * ALU ops ADDI..SRAI consecutively.
 */
export const isImmediateOp = (op: AluOp): op is ImmediateOp => {
  const id = MNEMONICS.indexOf(op);
  return id >= Op.ADDI && id <= Op.SRAI;
};

/** One ALU instruction: rd = a op b, b a register value or the immediate. */
export interface AluCase<Op extends AluOp = AluOp> {
  readonly op: Op;
  readonly rd: number;
  readonly a: number;
  /** rs2's value (register ops) or the immediate (immediate ops). */
  readonly b: number;
}

/**
 * One ALU instruction per case, with rs1 = x20 (and rs2 = x21) loaded just before it, so the
 * k-th row of the op's family is case k (but for ADD/ADDI: li is LUI + ADDI); then `tail` and
 * exit(0). Cases should write only the registers caseRegister cycles through.
 */
export function aluProgram(cases: readonly AluCase[], tail: readonly number[] = []): Uint8Array {
  const code: number[] = [];
  for (const { op, rd, a, b } of cases) {
    code.push(...li(20, a));
    if (isImmediateOp(op)) code.push(asm[op](rd, 20, b));
    else code.push(...li(21, b), asm[op](rd, 20, 21));
  }
  code.push(...tail, ...exit(0));
  return buildElf({ code });
}

/** Registers an ALU case may write: x5..x19 but a0 and a7 (exit's) and x20, x21 (operands). */
const CASE_REGISTERS = [5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19];

/** The k-th case's destination, cycling through the registers a case may write. */
export const caseRegister = (k: number): number => CASE_REGISTERS[k % CASE_REGISTERS.length]!;

/** Marsaglia's xorshift32 from a seed: reproducible random words (int32) for test operands. */
export function xorshift32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s | 0;
  };
}
