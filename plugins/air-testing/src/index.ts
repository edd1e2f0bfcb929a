/**
 * @nexus/air-testing: test support for zkVM AIR plugins (not published). An RV32IM assembler
 * and ELF writer for small test programs, trace contexts from real VM runs, and the local
 * mutation checker every component's tests use.
 */
export { asm, exit, li, read, write } from './asm.js';
export { buildElf, type ElfSpec } from './elf.js';
export { checkMutations, type Mutation, type MutationReport, type Outcome } from './mutation.js';
export { IO_PRIVATE_INPUT, IO_PUBLIC_INPUT, ioProgram } from './programs.js';
export { type RunInputs, type TracedRun, traceRun } from './run.js';
