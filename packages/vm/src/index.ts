/**
 * @nexus/vm: the RV32IM machine whose executions the zkVM proves. ELF loading, decoding and
 * disassembly, pass 1 (a fast interpreter with basic-block translation, collecting statistics),
 * the layout, and pass 2 (re-execution producing per-family records for the AIRs).
 */
export * from './alu.js';
export * from './code.js';
export * from './decode.js';
export * from './disasm.js';
export * from './dwarf-lines.js';
export * from './elf.js';
export * from './errors.js';
export * from './execute.js';
export * from './extensions.js';
export * from './families.js';
export * from './isa.js';
export * from './layout.js';
export * from './machine.js';
export * from './memory.js';
export { latestAtOrBefore, Pass2Checkpoints, type Pass2State } from './pass2-checkpoints.js';
export * from './profile.js';
export * from './records.js';
export * from './step.js';
export * from './trace.js';
