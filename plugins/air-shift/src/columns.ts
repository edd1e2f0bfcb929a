import { col, cols, cpuColumns, defineLayout, readColumns, writeColumns } from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a shift row (SLL, SRL, SRA, SLLI, SRLI, SRAI). */
export const layout = defineLayout({
  /**
   * The instruction row. The immediate of a shift is its shift amount (0..31, the decoder rejects
   * larger ones), so only its low byte needs a column: the program tuple's other immediate bytes
   * are 0 and its field value equals that byte (see air.ts).
   */
  cpu: cpuColumns(
    {
      is_sll: Op.SLL,
      is_srl: Op.SRL,
      is_sra: Op.SRA,
      is_slli: Op.SLLI,
      is_srli: Op.SRLI,
      is_srai: Op.SRAI,
    },
    { rd: true, rs1: true, rs2: true },
  ),
  imm0: col('imm0'),
  rs1: readColumns('rs1'),
  rs2: readColumns('rs2'),
  rd: writeColumns('rd'),
  /** The shift amount s = m + 8·q: the bits of m (0..7) and a one-hot q (0..3). */
  bits: cols('m', 3),
  byteShift: cols('g', 4),
  /** Bits 5..7 of the shift byte, which the instruction ignores. */
  ignored: col('t'),
  /** 2^m (left shifts multiply by it) and 2^(8-m) (right shifts multiply by it). */
  powLeft: col('pow_l'),
  powRight: col('pow_r'),
  /** a_k times the multiplier, split as lo_k + 256·hi_k. */
  lo: cols('lo', 4),
  hi: cols('hi', 4),
  /** rs1's top bit, the other 7 bits of its top byte, and the fill bit of SRA/SRAI. */
  msb: col('msb'),
  low7: col('low7'),
  sign: col('sgn'),
  /** The result bytes (written to rd). */
  result: cols('r', 4),
});
