import { type ElfProgram, loadElf, symbolValue } from './elf.js';
import { CycleLimitError, VmConfigError } from './errors.js';
import { unclaimedOps } from './families.js';
import { MNEMONICS, OP_COUNT, Op } from './isa.js';
import type { LayoutSource } from './layout.js';
import { Machine, type MachineOptions, type RunOptions } from './machine.js';

/**
 * Longest execution one proof can cover: timestamps 4·clk + 3 must stay below the M31 modulus
 * p = 2^31 - 1, so clk <= 2^29 - 2. Also the default cycle limit of both passes.
 */
export const MAX_TRACE_CYCLES = 2 ** 29 - 2;

export interface ExecuteOptions extends RunOptions, Pick<MachineOptions, 'jit'> {
  /**
   * Stop with CycleLimitError if the guest has not exited after this many instructions.
   * Default MAX_TRACE_CYCLES (the most one proof can cover).
   */
  readonly maxCycles?: number;
}

/** Statistics of a pass-1 run (riscv.md section 3); also a LayoutSource. */
export interface ExecutionStats extends LayoutSource {
  readonly cycles: number;
  /** Executions per global op id (index = `Op` value). */
  readonly opCounts: Float64Array;
  /** The instruction mix by mnemonic (only instructions that ran). */
  readonly mix: Readonly<Record<string, number>>;
  /** Rows each family's table needs (instructions of that family executed), by family name. */
  readonly familyRows: Readonly<Record<string, number>>;
  /**
   * Executions of instructions no family of the machine records, by mnemonic (empty for a build
   * that can prove the run; a missing family plugin shows here).
   */
  readonly unclaimed: Readonly<Record<string, number>>;
  /** Bytes moved by read/write syscalls (= io table rows). */
  readonly ioBytes: number;
  /** Sorted word addresses the guest touched (loads, stores, syscall transfers). */
  readonly touched: Uint32Array;
  /** Lowest touched address in the stack region (null: stack untouched or unknown). */
  readonly stackLowWater: number | null;
  /** One past the highest touched byte in the heap region (null: heap untouched or unknown). */
  readonly heapHighWater: number | null;
  readonly stackRegion: readonly [number, number] | null;
  readonly heapRegion: readonly [number, number] | null;
  readonly syscalls: { readonly exit: number; readonly read: number; readonly write: number };
  /** Executions per precompile or custom-instruction records table (extensions.ts): its rows. */
  readonly precompileRows: Readonly<Record<string, number>>;
}

/** What a pass-1 run returns. */
export interface ExecutionResult {
  /** a0 of the exit syscall, as a signed 32-bit value (a process sees `exitCode & 0xff`). */
  readonly exitCode: number;
  /** Instructions executed, the exit ecall included. */
  readonly cycles: number;
  /** pc + 4 of the exit ecall. */
  readonly finalPc: number;
  /** The public output tape (fd 1). */
  readonly output: Uint8Array;
  /** The debug log (fd 2), unless an onLog callback took it. */
  readonly log: Uint8Array;
  readonly stats: ExecutionStats;
}

/** Accepts an ElfProgram or raw ELF bytes (API boundary). */
export function asProgram(program: ElfProgram | Uint8Array): ElfProgram {
  return program instanceof Uint8Array ? loadElf(program) : program;
}

/** Validates a cycle limit argument. */
export function checkMaxCycles(
  maxCycles: number | undefined,
  cap = Number.MAX_SAFE_INTEGER,
): number {
  const limit = maxCycles ?? MAX_TRACE_CYCLES;
  if (!Number.isInteger(limit) || limit < 1 || limit > cap) {
    throw new VmConfigError(`maxCycles must be an integer in [1, ${cap}] (got ${maxCycles})`, {
      maxCycles,
    });
  }
  return limit;
}

/**
 * Pass 1: runs the guest to completion as fast as possible and returns its outputs and the
 * statistics the layout is derived from. Faults throw a VmFault subclass naming pc and cause.
 *
 * @example
 * const { exitCode, output, cycles } = execute(readFileSync('guests/bin/fib.elf'), {
 *   publicInput: Uint8Array.of(30, 0, 0, 0),
 * });
 */
export function execute(
  program: ElfProgram | Uint8Array,
  options: ExecuteOptions = {},
): ExecutionResult {
  const prog = asProgram(program);
  const limit = checkMaxCycles(options.maxCycles);
  const m = new Machine(prog, options);
  m.run(limit);
  if (!m.halted) throw Object.assign(new CycleLimitError(m.pc, limit), { clk: m.cycles + 1 });
  return {
    exitCode: m.exitCode,
    cycles: m.cycles,
    finalPc: m.pc,
    output: m.output.bytes(),
    log: m.log.bytes(),
    stats: machineStats(m),
  };
}

/** Statistics of a (halted) machine. */
export function machineStats(m: Machine): ExecutionStats {
  const opCounts = m.opCounts();
  const mix: Record<string, number> = {};
  const { families, familyOf } = m.partition;
  const familyRows: Record<string, number> = {};
  for (const f of families) familyRows[f.name] = 0;
  // exit, read and write are rows of the ecall table; a precompile call is a row of its own
  // table instead.
  const counts = Float64Array.from(opCounts);
  counts[Op.ECALL] = m.syscalls[0]! + m.syscalls[1]! + m.syscalls[2]!;
  for (let op = 0; op < OP_COUNT; op++) {
    if (opCounts[op]! > 0) mix[MNEMONICS[op]!] = opCounts[op]!;
    // Custom instructions belong to no family (their rows: precompileRows).
    if (familyOf[op]! >= 0) familyRows[families[familyOf[op]!]!.name]! += counts[op]!;
  }
  const precompileRows: Record<string, number> = {};
  for (const ext of m.precompiles.values()) precompileRows[ext.table] = 0;
  for (const ext of m.customs.values()) precompileRows[ext.table] = 0;
  for (const [table, n] of m.precompileCalls) precompileRows[table] = n;
  const touched = m.touchedAddresses();
  const prog = m.program;
  const stackTop = symbolValue(prog, '__stack_top');
  const stackBottom = symbolValue(prog, '__stack_bottom');
  let stackRegion: [number, number] | null = null;
  if (stackTop !== undefined && stackBottom !== undefined) stackRegion = [stackBottom, stackTop];
  else if (m.map.stackRegion !== undefined)
    stackRegion = [m.map.stackRegion.start, m.map.stackRegion.end];
  const heapStart = symbolValue(prog, '__heap_start');
  const heapEnd = symbolValue(prog, '__heap_end');
  const heapRegion: [number, number] | null =
    heapStart !== undefined && heapEnd !== undefined ? [heapStart, heapEnd] : null;
  let stackLowWater: number | null = null;
  let heapHighWater: number | null = null;
  for (let i = 0; i < touched.length; i++) {
    const a = touched[i]!;
    if (stackRegion !== null && a >= stackRegion[0] && a < stackRegion[1] && stackLowWater === null)
      stackLowWater = a;
    if (heapRegion !== null && a >= heapRegion[0] && a < heapRegion[1]) heapHighWater = a + 4;
  }
  return {
    cycles: m.cycles,
    opCounts,
    mix,
    familyRows,
    unclaimed: unclaimedOps(m.partition, counts),
    ioBytes: m.ioBytes,
    touched,
    stackLowWater,
    heapHighWater,
    stackRegion,
    heapRegion,
    syscalls: { exit: m.syscalls[0]!, read: m.syscalls[1]!, write: m.syscalls[2]! },
    precompileRows,
  };
}
