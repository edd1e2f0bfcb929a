import {
  addressColumns,
  cols,
  cpuColumns,
  defineLayout,
  readColumns,
  storeRamColumns,
} from '@nexus/air-common';
import { Op } from '@nexus/vm';

/** The layout of a store row (SB, SH, SW). */
export const layout = defineLayout({
  cpu: cpuColumns(
    { is_sb: Op.SB, is_sh: Op.SH, is_sw: Op.SW },
    { rs1: true, rs2: true, imm: true },
  ),
  rs1: readColumns('rs1'),
  rs2: readColumns('rs2'),
  /**
   * The RAM word before the store and the timestamp witnesses of the access. There is no
   * writable column: a store passes the constant 1, so it can only touch writable words.
   */
  mem: storeRamColumns('mem'),
  /** The address rs1 + imm and its word index and offset (see air-common's evalAddress). */
  address: addressColumns(),
  /** The word after the store. */
  next: cols('n', 4),
});
