/**
 * @nexus/air-common: what the RV32IM AIR plugins share. The buses (relations), the zkVM
 * statement and program description, the trace context with its lookup counters, the column
 * layout helpers and the gadgets every instruction row is made of (instruction row, register
 * and RAM accesses, byte checks) or that several families share (byte-wise sums and
 * differences, the 8-byte product, top bits, zero flags, load/store addresses, jump links).
 */
export * from './build.js';
export * from './context.js';
export * from './count.js';
export * from './family.js';
export * from './gadgets/address.js';
export * from './gadgets/arith.js';
export * from './gadgets/bytes.js';
export * from './gadgets/cpu.js';
export * from './gadgets/custom.js';
export * from './gadgets/flags.js';
export * from './gadgets/link.js';
export * from './gadgets/precompile-call.js';
export * from './gadgets/ram.js';
export * from './gadgets/registers.js';
export * from './layout.js';
export * from './ops.js';
export * from './program.js';
export * from './relations.js';
export * from './statement.js';
export * from './tapes.js';
