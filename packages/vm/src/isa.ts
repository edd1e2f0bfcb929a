/**
 * The RV32IM instruction set as the VM sees it: one global opcode id per instruction, its
 * mnemonic, the instruction family (one AIR component each) and the family-local op id that
 * the family's records carry.
 */

/** Global instruction ids (dense, small: they index typed arrays and `switch` jump tables). */
export const Op = {
  LUI: 0,
  AUIPC: 1,
  JAL: 2,
  JALR: 3,
  BEQ: 4,
  BNE: 5,
  BLT: 6,
  BGE: 7,
  BLTU: 8,
  BGEU: 9,
  LB: 10,
  LH: 11,
  LW: 12,
  LBU: 13,
  LHU: 14,
  SB: 15,
  SH: 16,
  SW: 17,
  ADDI: 18,
  SLTI: 19,
  SLTIU: 20,
  XORI: 21,
  ORI: 22,
  ANDI: 23,
  SLLI: 24,
  SRLI: 25,
  SRAI: 26,
  ADD: 27,
  SUB: 28,
  SLL: 29,
  SLT: 30,
  SLTU: 31,
  XOR: 32,
  SRL: 33,
  SRA: 34,
  OR: 35,
  AND: 36,
  FENCE: 37,
  ECALL: 38,
  MUL: 39,
  MULH: 40,
  MULHSU: 41,
  MULHU: 42,
  DIV: 43,
  DIVU: 44,
  REM: 45,
  REMU: 46,
  /**
   * A custom R-type instruction (custom-0 / custom-1 major opcode): a plugin's instruction,
   * told apart by its key (customKey; the decoder puts it in `imm`). Executing one no plugin
   * of the build provides is an IllegalInstructionError naming it.
   */
  CUSTOM: 47,
  /** Not an RV32IM instruction; executing it is an IllegalInstructionError. */
  ILLEGAL: 48,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

/** Number of real instruction ids (ILLEGAL excluded; CUSTOM, the plugins' instructions, included). */
export const OP_COUNT = 48;

/** Lower-case mnemonic of every op id (index = op id). */
export const MNEMONICS: readonly string[] = [
  'lui',
  'auipc',
  'jal',
  'jalr',
  'beq',
  'bne',
  'blt',
  'bge',
  'bltu',
  'bgeu',
  'lb',
  'lh',
  'lw',
  'lbu',
  'lhu',
  'sb',
  'sh',
  'sw',
  'addi',
  'slti',
  'sltiu',
  'xori',
  'ori',
  'andi',
  'slli',
  'srli',
  'srai',
  'add',
  'sub',
  'sll',
  'slt',
  'sltu',
  'xor',
  'srl',
  'sra',
  'or',
  'and',
  'fence',
  'ecall',
  'mul',
  'mulh',
  'mulhsu',
  'mulhu',
  'div',
  'divu',
  'rem',
  'remu',
  'custom',
  'illegal',
];

/**
 * Instruction families: one records table and one AIR component each. `fence` (a no-op that still
 * takes a cycle, so the execution chain needs a row for it) is the one family riscv.md does not
 * list; guests built by gcc rarely contain it.
 */
export const FAMILIES = [
  'add',
  'sub',
  'slt',
  'logic',
  'shift',
  'lui',
  'auipc',
  'jal',
  'jalr',
  'branch',
  'load',
  'store',
  'mul',
  'div',
  'ecall',
  'fence',
] as const;
export type Family = (typeof FAMILIES)[number];

/** Family-local op ids: the `op` column of each family's records. */
export const LOCAL_OPS: { readonly [F in Family]: readonly string[] } = {
  add: ['add', 'addi'],
  sub: ['sub'],
  slt: ['slt', 'sltu', 'slti', 'sltiu'],
  logic: ['xor', 'or', 'and', 'xori', 'ori', 'andi'],
  shift: ['sll', 'srl', 'sra', 'slli', 'srli', 'srai'],
  lui: ['lui'],
  auipc: ['auipc'],
  jal: ['jal'],
  jalr: ['jalr'],
  branch: ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'],
  load: ['lb', 'lh', 'lw', 'lbu', 'lhu'],
  store: ['sb', 'sh', 'sw'],
  mul: ['mul', 'mulh', 'mulhsu', 'mulhu'],
  div: ['div', 'divu', 'rem', 'remu'],
  // The ecall family's op is the syscall, chosen by a7 at run time (not by the encoding).
  ecall: ['exit', 'read', 'write'],
  fence: ['fence'],
};

/** Family id (index into FAMILIES) of each global op id; -1 for ILLEGAL. */
export const FAMILY_OF: Int8Array = new Int8Array(OP_COUNT + 1).fill(-1);
/** Family-local op id of each global op id (ecall: 0; the syscall decides at run time). */
export const LOCAL_OP_OF: Int8Array = new Int8Array(OP_COUNT + 1).fill(-1);

for (let f = 0; f < FAMILIES.length; f++) {
  const family = FAMILIES[f]!;
  if (family === 'ecall') continue;
  LOCAL_OPS[family].forEach((mn, local) => {
    const op = MNEMONICS.indexOf(mn);
    FAMILY_OF[op] = f;
    LOCAL_OP_OF[op] = local;
  });
}
FAMILY_OF[Op.ECALL] = FAMILIES.indexOf('ecall');
LOCAL_OP_OF[Op.ECALL] = 0;

/** Family ids as constants for hot code (indices into FAMILIES). */
export const F = {
  add: 0,
  sub: 1,
  slt: 2,
  logic: 3,
  shift: 4,
  lui: 5,
  auipc: 6,
  jal: 7,
  jalr: 8,
  branch: 9,
  load: 10,
  store: 11,
  mul: 12,
  div: 13,
  ecall: 14,
  fence: 15,
} as const satisfies { [K in Family]: number };

/** Syscall numbers of the guest ABI (riscv.md section 2; the Linux numbers on purpose). */
export const SYS_EXIT = 93;
export const SYS_READ = 63;
export const SYS_WRITE = 64;
/** File descriptors of the guest ABI. */
export const FD_PRIVATE_INPUT = 0;
export const FD_PUBLIC_OUTPUT = 1;
export const FD_DEBUG_LOG = 2;
export const FD_PUBLIC_INPUT = 3;

/** ABI names of x0..x31. */
export const REGISTER_NAMES: readonly string[] = [
  'zero',
  'ra',
  'sp',
  'gp',
  'tp',
  't0',
  't1',
  't2',
  's0',
  's1',
  'a0',
  'a1',
  'a2',
  'a3',
  'a4',
  'a5',
  'a6',
  'a7',
  's2',
  's3',
  's4',
  's5',
  's6',
  's7',
  's8',
  's9',
  's10',
  's11',
  't3',
  't4',
  't5',
  't6',
];

/** True for ops whose last effect is a control transfer (they end a basic block). */
export function endsBlock(op: number): boolean {
  return (
    op === Op.JAL ||
    op === Op.JALR ||
    (op >= Op.BEQ && op <= Op.BGEU) ||
    op === Op.ECALL ||
    op === Op.CUSTOM ||
    op === Op.ILLEGAL
  );
}

/** Does the instruction read rs1 / rs2, write rd? (The register-file accesses of its row.) */
export function readsRs1(op: number): boolean {
  return !(
    op === Op.LUI ||
    op === Op.AUIPC ||
    op === Op.JAL ||
    op === Op.FENCE ||
    op === Op.ECALL ||
    op === Op.ILLEGAL
  );
}
export function readsRs2(op: number): boolean {
  return (
    (op >= Op.BEQ && op <= Op.BGEU) ||
    (op >= Op.SB && op <= Op.SW) ||
    (op >= Op.ADD && op <= Op.AND) ||
    (op >= Op.MUL && op <= Op.REMU) ||
    op === Op.CUSTOM
  );
}
export function writesRd(op: number): boolean {
  return !(
    (op >= Op.BEQ && op <= Op.BGEU) ||
    (op >= Op.SB && op <= Op.SW) ||
    op === Op.FENCE ||
    op === Op.ECALL ||
    op === Op.ILLEGAL
  );
}
