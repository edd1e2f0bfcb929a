import { addCpuColumns, addReadColumns, ColumnLayout } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a branch row (BEQ, BNE, BLT, BGE, BLTU, BGEU). */
export const layout = new ColumnLayout();
export const cpu = addCpuColumns(
  layout,
  {
    is_beq: Op.BEQ,
    is_bne: Op.BNE,
    is_blt: Op.BLT,
    is_bge: Op.BGE,
    is_bltu: Op.BLTU,
    is_bgeu: Op.BGEU,
  },
  { rs1: true, rs2: true, imm: true },
);
export const rs1 = addReadColumns(layout, 'rs1');
export const rs2 = addReadColumns(layout, 'rs2');
/** rs1 - rs2 (mod 2^32) byte by byte, and the borrow out of each byte (borrow 3: rs1 <u rs2). */
export const diff = layout.addMany('d', 4);
export const borrow = layout.addMany('br', 4);
/** The sign bits of rs1 and rs2. */
export const signA = layout.add('sa');
export const signB = layout.add('sb');
/** rs1 <s rs2. */
export const lessSigned = layout.add('lt');
/** rs1 = rs2, and the inverse of the difference's byte sum when they differ (0 otherwise). */
export const equal = layout.add('eq');
export const inverse = layout.add('inv');
/** The successor pc: pc + 4, or pc + imm when the branch is taken. */
export const nextPc = layout.add('next_pc');
