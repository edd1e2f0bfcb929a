import { Op } from './isa.js';

/**
 * One decoded instruction. `imm` is the sign-extended immediate as a signed 32-bit number (for
 * LUI/AUIPC the full `imm << 12` value; for shifts by an immediate, the shift amount). Fields an
 * encoding does not have are 0 (e.g. rs2 of an I-type instruction).
 */
export interface Instruction {
  /** Global op id (see `Op`); `Op.ILLEGAL` when the word is not RV32IM. */
  readonly op: number;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  readonly imm: number;
  /** The 32-bit instruction word, unsigned. */
  readonly word: number;
  /** Why the word is illegal (only when op is ILLEGAL). */
  readonly reason?: string;
}

const iImm = (w: number) => w >> 20;
const sImm = (w: number) => ((w >> 25) << 5) | ((w >>> 7) & 0x1f);
const bImm = (w: number) =>
  ((w >> 31) << 12) |
  (((w >>> 7) & 1) << 11) |
  (((w >>> 25) & 0x3f) << 5) |
  (((w >>> 8) & 0xf) << 1);
const uImm = (w: number) => w & 0xfffff000;
const jImm = (w: number) =>
  ((w >> 31) << 20) |
  (((w >>> 12) & 0xff) << 12) |
  (((w >>> 20) & 1) << 11) |
  (((w >>> 21) & 0x3ff) << 1);

function illegal(word: number, reason: string): Instruction {
  return { op: Op.ILLEGAL, rd: 0, rs1: 0, rs2: 0, imm: 0, word: word >>> 0, reason };
}

const BRANCH_OPS = [Op.BEQ, Op.BNE, -1, -1, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU];
const LOAD_OPS = [Op.LB, Op.LH, Op.LW, -1, Op.LBU, Op.LHU, -1, -1];
const STORE_OPS = [Op.SB, Op.SH, Op.SW, -1, -1, -1, -1, -1];
const OPIMM_OPS = [Op.ADDI, Op.SLLI, Op.SLTI, Op.SLTIU, Op.XORI, Op.SRLI, Op.ORI, Op.ANDI];
const OP_BASE = [Op.ADD, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.OR, Op.AND];
const OP_MULDIV = [Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU];

/**
 * Decodes one 32-bit word as RV32IM. Never throws: an invalid word decodes to `Op.ILLEGAL` with a
 * reason, and the VM raises IllegalInstructionError only if the guest actually executes it
 * (code segments legitimately contain data such as jump tables and literal pools).
 *
 * @example
 * decode(0x00a00513) // { op: Op.ADDI, rd: 10, rs1: 0, rs2: 0, imm: 10, word: 0x00a00513 }
 */
export function decode(word: number): Instruction {
  const w = word | 0;
  const u = w >>> 0;
  if ((w & 3) !== 3)
    return illegal(
      u,
      'compressed (16-bit) instructions are not supported: build with -march=rv32im',
    );
  const opcode = w & 0x7f;
  const rd = (w >>> 7) & 0x1f;
  const funct3 = (w >>> 12) & 7;
  const rs1 = (w >>> 15) & 0x1f;
  const rs2 = (w >>> 20) & 0x1f;
  const funct7 = w >>> 25;
  switch (opcode) {
    case 0x37:
      return { op: Op.LUI, rd, rs1: 0, rs2: 0, imm: uImm(w), word: u };
    case 0x17:
      return { op: Op.AUIPC, rd, rs1: 0, rs2: 0, imm: uImm(w), word: u };
    case 0x6f:
      return { op: Op.JAL, rd, rs1: 0, rs2: 0, imm: jImm(w), word: u };
    case 0x67:
      if (funct3 !== 0) return illegal(u, `JALR with funct3=${funct3}`);
      return { op: Op.JALR, rd, rs1, rs2: 0, imm: iImm(w), word: u };
    case 0x63: {
      const op = BRANCH_OPS[funct3]!;
      if (op < 0) return illegal(u, `branch with funct3=${funct3}`);
      return { op, rd: 0, rs1, rs2, imm: bImm(w), word: u };
    }
    case 0x03: {
      const op = LOAD_OPS[funct3]!;
      if (op < 0) return illegal(u, `load with funct3=${funct3} (LD/LWU are RV64)`);
      return { op, rd, rs1, rs2: 0, imm: iImm(w), word: u };
    }
    case 0x23: {
      const op = STORE_OPS[funct3]!;
      if (op < 0) return illegal(u, `store with funct3=${funct3} (SD is RV64)`);
      return { op, rd: 0, rs1, rs2, imm: sImm(w), word: u };
    }
    case 0x13: {
      const op = OPIMM_OPS[funct3]!;
      if (funct3 === 1) {
        if (funct7 !== 0) return illegal(u, 'SLLI with a shift amount >= 32 or bad funct7 (RV32)');
        return { op, rd, rs1, rs2: 0, imm: rs2, word: u };
      }
      if (funct3 === 5) {
        if (funct7 === 0) return { op: Op.SRLI, rd, rs1, rs2: 0, imm: rs2, word: u };
        if (funct7 === 0x20) return { op: Op.SRAI, rd, rs1, rs2: 0, imm: rs2, word: u };
        return illegal(u, 'SRLI/SRAI with a shift amount >= 32 or bad funct7 (RV32)');
      }
      return { op, rd, rs1, rs2: 0, imm: iImm(w), word: u };
    }
    case 0x33: {
      if (funct7 === 0) return { op: OP_BASE[funct3]!, rd, rs1, rs2, imm: 0, word: u };
      if (funct7 === 1) return { op: OP_MULDIV[funct3]!, rd, rs1, rs2, imm: 0, word: u };
      if (funct7 === 0x20) {
        if (funct3 === 0) return { op: Op.SUB, rd, rs1, rs2, imm: 0, word: u };
        if (funct3 === 5) return { op: Op.SRA, rd, rs1, rs2, imm: 0, word: u };
      }
      return illegal(u, `OP with funct7=${hex7(funct7)} funct3=${funct3}`);
    }
    case 0x0f:
      // FENCE (and its FENCE.TSO / PAUSE hints) orders memory for other harts: a no-op here.
      // The spec asks implementations to ignore the reserved rd/rs1/fm fields.
      if (funct3 === 0) return { op: Op.FENCE, rd: 0, rs1: 0, rs2: 0, imm: iImm(w), word: u };
      if (funct3 === 1)
        return illegal(u, 'FENCE.I (Zifencei) is not supported: code is not writable');
      return illegal(u, `MISC-MEM with funct3=${funct3}`);
    case 0x73:
      if (u === 0x00000073) return { op: Op.ECALL, rd: 0, rs1: 0, rs2: 0, imm: 0, word: u };
      if (u === 0x00100073)
        return illegal(u, 'EBREAK is not supported (no debugger trap in the zkVM)');
      if (funct3 !== 0) return illegal(u, 'CSR instructions (Zicsr) are not supported');
      return illegal(u, 'privileged SYSTEM instruction');
    case 0x0b:
    case 0x2b:
      // custom-0 / custom-1, R-type: a plugin's instruction (extensions.ts), keyed by
      // (opcode, funct3, funct7); whether this build has it is known only at run time.
      return {
        op: Op.CUSTOM,
        rd,
        rs1,
        rs2,
        imm: customKey(opcode, funct3, funct7),
        word: u,
      };
    case 0x2f:
      return illegal(
        u,
        'atomic (A extension) instructions are not supported: build with -march=rv32im',
      );
    case 0x07:
    case 0x27:
    case 0x43:
    case 0x47:
    case 0x4b:
    case 0x4f:
    case 0x53:
      return illegal(
        u,
        'floating-point instructions are not supported: build with -march=rv32im -mabi=ilp32',
      );
    default:
      return illegal(u, `unknown opcode ${hex7(opcode)}`);
  }
}

/**
 * The key of a custom instruction: 1 bit major opcode (0 custom-0, 1 custom-1), funct7, funct3,
 * as `custom1 << 10 | funct7 << 3 | funct3` (below 2^11). It is the instruction's immediate in
 * the program table, so a component proves exactly the instructions with its key.
 */
export function customKey(opcode: number, funct3: number, funct7: number): number {
  return ((opcode === 0x2b ? 1 : 0) << 10) | (funct7 << 3) | funct3;
}

function hex7(v: number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}
