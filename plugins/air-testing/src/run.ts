import {
  decodeProgram,
  encodeProgram,
  Lookups,
  type ZkvmProgram,
  type ZkvmTraceContext,
  zkvmStatement,
} from '@nexus/air-common';
import type { Statement } from '@nexus/kernel';
import {
  deriveLayout,
  execute,
  generateRecords,
  type InstructionExtension,
  loadElf,
  type MemoryOptions,
  type Records,
  type SyscallExtension,
} from '@nexus/vm';

export interface RunInputs {
  readonly publicInput?: Uint8Array;
  readonly privateInput?: Uint8Array;
  readonly memory?: MemoryOptions;
  /** The precompiles the VM has (a system's `vm.syscall` extensions). */
  readonly syscalls?: readonly SyscallExtension[];
  /** The custom instructions the VM has (a system's `vm.instruction` extensions). */
  readonly instructions?: readonly InstructionExtension[];
}

export interface TracedRun {
  readonly program: ZkvmProgram;
  readonly records: Records;
  readonly statement: Statement;
  /** A fresh trace context (new lookup counters) each call. */
  context(): ZkvmTraceContext;
}

/** Runs an ELF through both VM passes and prepares what trace generation needs. */
export function traceRun(elf: Uint8Array, inputs: RunInputs = {}): TracedRun {
  const loaded = loadElf(elf);
  const opts = {
    ...(inputs.memory ?? {}),
    publicInput: inputs.publicInput ?? new Uint8Array(0),
    privateInput: inputs.privateInput ?? new Uint8Array(0),
    syscalls: inputs.syscalls ?? [],
    instructions: inputs.instructions ?? [],
  };
  const run = execute(loaded, opts);
  const records = generateRecords(loaded, deriveLayout(run.stats), opts);
  const encoded = encodeProgram(loaded, inputs.memory ?? {});
  const program = decodeProgram(encoded);
  const statement = zkvmStatement({
    program: encoded,
    publicInput: opts.publicInput,
    publicOutput: records.publicOutput,
    exitCode: records.exitCode,
  });
  return {
    program,
    records,
    statement,
    context: () => ({
      program,
      records,
      publicInput: opts.publicInput,
      lookups: new Lookups(program, opts.publicInput.length),
    }),
  };
}
