import { col, defineLayout } from '@nexus/air-common';

/** Preprocessed columns of the program table, one per field of the PROGRAM tuple, plus `valid`. */
export const PROGRAM_FIELDS = [
  'pc',
  'op',
  'rd',
  'rs1',
  'rs2',
  'imm0',
  'imm1',
  'imm2',
  'imm3',
  'imm_f',
  'rd_nz',
] as const;
export const preId = (field: string) => `program.${field}`;
export const VALID = preId('valid');

/** Main columns: how many times each instruction ran. */
export const layout = defineLayout({ multiplicity: col('multiplicity') });
