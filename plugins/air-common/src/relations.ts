import { defineRelation } from '@nexus/kernel';

/**
 * The buses of the RV32IM AIR (riscv.md section 4). Every value that stands for a 32-bit word
 * travels as four bytes; addresses of RAM words travel as word indices (address / 4), which
 * stay far below p because the zkVM maps no memory above 2^31.
 */

/**
 * Most instruction rows one proof may hold: 2^28 (see EXEC).
 */
export const MAX_EXECUTED_ROWS = 2 ** 28;

/**
 * (pc, clk): each instruction row uses its state and yields the next one; the statement yields
 * (entry, 1) and the exit row yields no successor.
 *
 * Bound: at most MAX_EXECUTED_ROWS = 2^28 uses. Following each row's use back to the yield it
 * matches gives a walk through distinct rows (a cycle would need p steps, clk + k = clk mod p)
 * that ends at (entry, 1), so every clk is an integer in [1, 2^28]. Every timestamp
 * 4·clk + slot is then below 2^30 + 4, below p - 2^29 - 2^16, which the timestamp-gap check
 * (evalTimestampIncrease: gaps in [0, 2^29 + 2^16)) needs so that no gap can wrap around p.
 */
export const EXEC = defineRelation('exec', 2, { maxUses: MAX_EXECUTED_ROWS });

/**
 * (pc, op, rd, rs1, rs2, imm0, imm1, imm2, imm3, immField, rdNonZero): the decoded instruction
 * at pc, yielded by the preprocessed program table. `op` is the VM's global op id; imm bytes
 * are the 32-bit (sign-extended) immediate; immField is that immediate as a signed field
 * element (imm mod p); rdNonZero is 0 for rd = x0, whose writes are dropped.
 */
export const PROGRAM = defineRelation('program', 11);

/** (register, b0, b1, b2, b3, ts): offline memory checking of the register file. */
export const REG = defineRelation('reg', 6);

/** (word index, b0, b1, b2, b3, ts, writable): offline memory checking of RAM. */
export const RAM = defineRelation('ram', 7);

/**
 * (v) with 0 <= v < 2^16: a lookup into the byte-pair table (`bitwise`), whose row (a, b)
 * yields a + 256·b from the bits of two bytes: below 2^16 whatever the prover puts in a row,
 * at any table size.
 */
export const RANGE16 = defineRelation('range16', 1);

/** (v) with 0 <= v < 2^11: a lookup into range-check-11, fixed at exactly 2^11 rows. */
export const RANGE11 = defineRelation('range11', 1);

/**
 * (op, a, b, c) over bytes a, b: op 0 is a range check of the pair (c = 0), op 1 AND, op 2 OR,
 * op 3 XOR (c = a op b).
 */
export const BITWISE = defineRelation('bitwise', 4);
export const BITWISE_PAIR = 0;
export const BITWISE_AND = 1;
export const BITWISE_OR = 2;
export const BITWISE_XOR = 3;

/** (word index, b0, b1, b2, b3, writable): the initial content of file-backed memory. */
export const IMAGE = defineRelation('image', 6);

/** (page, writable): pages that start zero-filled (bss, heap, stacks). */
export const ZERO_PAGE = defineRelation('zero_page', 2);

/** (b0, b1, b2, b3): the exit code, yielded by the one exit ecall, used by the statement. */
export const EXIT = defineRelation('exit', 4);

/** (offset, byte): the public output tape, yielded by io rows, used by the statement. */
export const OUTPUT = defineRelation('output', 2);

/** (offset, byte): the public input tape, yielded by its preprocessed table. */
export const PUBLIC_INPUT = defineRelation('public_input', 2);

/**
 * (clk, fd, address, tape offset, bytes left): the cursor of one read/write syscall. The ecall
 * row yields the first cursor and uses the last; each io row moves one byte and advances it.
 */
export const IO_CURSOR = defineRelation('io_cursor', 5);

/**
 * Pseudo-registers of the register file holding tape positions, so every transfer continues
 * where the previous one stopped (they are ordinary registers of the memory argument).
 */
export const TAPE_REGISTER = {
  privateInput: 32,
  publicInput: 33,
  publicOutput: 34,
  debugLog: 35,
} as const;

/** Registers 0..31 plus the tape positions. */
export const REGISTER_COUNT = 36;

/** Register timestamps within cycle clk: ts = 4·clk + slot. */
export const TS_RS1 = 0;
export const TS_RS2 = 1;
export const TS_RD = 2;
export const TS_RAM = 3;
