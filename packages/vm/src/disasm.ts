import { decode, type Instruction } from './decode.js';
import { MNEMONICS, Op, REGISTER_NAMES } from './isa.js';

const reg = (r: number) => REGISTER_NAMES[r]!;
const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

function fenceSet(bits: number): string {
  let s = '';
  if (bits & 8) s += 'i';
  if (bits & 4) s += 'o';
  if (bits & 2) s += 'r';
  if (bits & 1) s += 'w';
  return s === '' ? '0' : s;
}

/**
 * Disassembles one instruction with the standard (non-alias) mnemonic and ABI register names,
 * the way `objdump -M no-aliases` prints it: `addi a0, zero, 10`, `lw a1, 8(sp)`, branch and
 * jump targets as absolute addresses (computed from `pc`). Illegal words print as `.word 0x...`;
 * custom instructions by the name `customs` gives their key, else as `.insn r ...`.
 *
 * @example
 * disassemble(0x00a00513) // 'addi a0, zero, 10'
 * disassemble(0xfe0718e3, 0x10080) // 'bne a4, zero, 0x10070'
 */
export function disassemble(
  instruction: number | Instruction,
  pc = 0,
  customs?: ReadonlyMap<number, { readonly name: string }>,
): string {
  const d = typeof instruction === 'number' ? decode(instruction) : instruction;
  const mn = MNEMONICS[d.op]!;
  const op = d.op;
  if (op === Op.ILLEGAL) return `.word 0x${d.word.toString(16).padStart(8, '0')}`;
  if (op === Op.CUSTOM) {
    // A plugin's instruction: its name when the build has it, else as GNU as writes it.
    const name = customs?.get(d.imm)?.name;
    const regs = `${reg(d.rd)}, ${reg(d.rs1)}, ${reg(d.rs2)}`;
    if (name !== undefined) return `${name} ${regs}`;
    return `.insn r 0x${d.imm >>> 10 ? '2b' : '0b'}, ${d.imm & 7}, 0x${((d.imm >>> 3) & 0x7f).toString(16)}, ${regs}`;
  }
  if (op === Op.LUI || op === Op.AUIPC) return `${mn} ${reg(d.rd)}, ${hex(d.imm >>> 12)}`;
  if (op === Op.JAL) return `${mn} ${reg(d.rd)}, ${hex(pc + d.imm)}`;
  if (op === Op.JALR) return `${mn} ${reg(d.rd)}, ${d.imm}(${reg(d.rs1)})`;
  if (op >= Op.BEQ && op <= Op.BGEU)
    return `${mn} ${reg(d.rs1)}, ${reg(d.rs2)}, ${hex(pc + d.imm)}`;
  if (op >= Op.LB && op <= Op.LHU) return `${mn} ${reg(d.rd)}, ${d.imm}(${reg(d.rs1)})`;
  if (op >= Op.SB && op <= Op.SW) return `${mn} ${reg(d.rs2)}, ${d.imm}(${reg(d.rs1)})`;
  // Shift amounts in hex, other immediates in decimal (as GNU objdump prints them).
  if (op >= Op.SLLI && op <= Op.SRAI) return `${mn} ${reg(d.rd)}, ${reg(d.rs1)}, ${hex(d.imm)}`;
  if (op >= Op.ADDI && op <= Op.ANDI) return `${mn} ${reg(d.rd)}, ${reg(d.rs1)}, ${d.imm}`;
  if (op === Op.FENCE) {
    const w = d.word;
    if (w >>> 28 === 8 && ((w >>> 20) & 0xff) === 0x33) return 'fence.tso';
    return `${mn} ${fenceSet((w >>> 24) & 0xf)}, ${fenceSet((w >>> 20) & 0xf)}`;
  }
  if (op === Op.ECALL) return mn;
  return `${mn} ${reg(d.rd)}, ${reg(d.rs1)}, ${reg(d.rs2)}`;
}
