import {
  buildTraces,
  decodeProgram,
  encodeProgram,
  Lookups,
  zkvmStatement,
} from '@nexus/air-common';
import type { ComponentTrace, Statement } from '@nexus/kernel';
import type { Zkvm } from '@nexus/sdk';
import { deriveLayout, execute, loadElf, type Records, recordSegments } from '@nexus/vm';

/** A run cut into segments: each segment's records and traces, and the run's statement. */
export interface SegmentedRun {
  readonly statement: Statement;
  readonly records: Records[];
  readonly traces: Map<string, ComponentTrace>[];
}

/** Both VM passes of a guest in segments of `segmentCycles`, with every segment's traces. */
export function segmentedRun(
  zkvm: Zkvm,
  elf: Uint8Array,
  publicInput: Uint8Array,
  segmentCycles: number,
  privateInput: Uint8Array = new Uint8Array(0),
): SegmentedRun {
  const program = loadElf(elf);
  const options = {
    publicInput,
    privateInput,
    syscalls: zkvm.syscalls,
    instructions: zkvm.instructions,
    families: zkvm.families,
  };
  const run = execute(program, options);
  const encoded = encodeProgram(program);
  const decoded = decodeProgram(encoded);
  const records = [
    ...recordSegments(program, deriveLayout(run.stats), { ...options, segmentCycles }),
  ];
  const last = records.at(-1)!;
  const statement = zkvmStatement({
    program: encoded,
    publicInput,
    publicOutput: last.publicOutput,
    exitCode: last.exitCode,
  });
  const traces = records.map((r) =>
    buildTraces(zkvm.system, {
      program: decoded,
      records: r,
      publicInput,
      lookups: new Lookups(decoded, publicInput.length),
    }),
  );
  return { statement, records, traces };
}
