/**
 * @nexus/air-testing: the test kit for zkVM plugins, published so third-party plugins test the
 * way the bundled ones do. An RV32IM assembler and ELF writer for small test programs, trace
 * contexts from real VM runs, the local mutation checker every component's tests use, forged
 * multi-cell witnesses, the balance of a family's lookups against the real tables, those checks
 * bound to one family, and a malicious prover (honest traces patched at will, proven without
 * the prover's checks) for verifier tests.
 */
export { asm, exit, li, read, write } from './asm.js';
export { buildElf, type ElfSpec } from './elf.js';
export { type FamilyChecks, familyChecks } from './family.js';
export { columnOf, type Edit, type Forgery, forge, onlyIsFirst, plusMinusOne } from './forge.js';
export { MaliciousProver, maliciousProver } from './malicious.js';
export {
  checkMutations,
  type Mutation,
  type MutationOptions,
  type MutationReport,
  type MutationResult,
  type Outcome,
} from './mutation.js';
export {
  type AluCase,
  type AluOp,
  aluProgram,
  caseRegister,
  IO_PRIVATE_INPUT,
  IO_PUBLIC_INPUT,
  ioProgram,
  isImmediateOp,
  xorshift32,
} from './programs.js';
export { type RunInputs, type TracedRun, traceRun } from './run.js';
export { inFixedTable, looksUpOutsideTables, tableImbalance } from './tables.js';
