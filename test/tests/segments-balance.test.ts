/**
 * The AIR side of segmented proving: each segment's traces are built from its own records
 * (recordSegments), and the buses balance across all segments together with the statement's
 * boundary terms, tuple for tuple (the exec chain runs on from segment to segment, register
 * and memory values and timestamps carry over, the tape registers start where the previous
 * segment left them, the boundary rows sit in the last segment). Dropping or duplicating a
 * segment leaves tuples unbalanced. (The prover and verifier of segmented proofs come next:
 * issue 13.)
 */
import {
  buildTraces,
  decodeProgram,
  encodeProgram,
  Lookups,
  zkvmStatement,
} from '@nexus/air-common';
import {
  type BusInput,
  findUnbalancedTuples,
  isFirstColumn,
  type Statement,
  type System,
} from '@nexus/kernel';
import { createZkvm } from '@nexus/sdk';
import { deriveLayout, execute, loadElf, type Records, recordSegments } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { guest, u32 } from '../src/guests.js';

const zkvm = createZkvm({ security: 'test' });

function busInputs(
  system: System,
  records: Records,
  statement: Statement,
  publicInput: Uint8Array,
  program: ReturnType<typeof decodeProgram>,
): BusInput[] {
  const traces = buildTraces(system, {
    program,
    records,
    publicInput,
    lookups: new Lookups(program, publicInput.length),
  });
  return system.components.flatMap((air) => {
    const trace = traces.get(air.name);
    if (trace === undefined) return [];
    const preprocessed = (id: string) =>
      id === 'is_first'
        ? isFirstColumn(trace.logSize)
        : system.preprocessed.get(id)!.generate(statement, trace.logSize);
    return [{ air, trace, preprocessed }];
  });
}

describe('segments balance across their bus entries', () => {
  it.each([
    ['fib', u32(25), 500],
    ['io', new TextEncoder().encode('public input bytes'), 300],
    ['sort', Uint8Array.from([...u32(200), ...u32(3)]), 4096],
    ['sha256-precompile', new TextEncoder().encode('z'.repeat(200)), 700],
  ] as const)(
    '%s',
    (name, publicInput, size) => {
      const elf = loadElf(guest(name));
      const options = { publicInput, syscalls: zkvm.syscalls, families: zkvm.families };
      const run = execute(elf, options);
      const encoded = encodeProgram(elf);
      const program = decodeProgram(encoded);
      const segments = [
        ...recordSegments(elf, deriveLayout(run.stats), { ...options, segmentCycles: size }),
      ];
      expect(segments.length).toBeGreaterThanOrEqual(3);
      const last = segments.at(-1)!;
      const statement = zkvmStatement({
        program: encoded,
        publicInput,
        publicOutput: last.publicOutput,
        exitCode: last.exitCode,
      });
      const perSegment = segments.map((s) =>
        busInputs(zkvm.system, s, statement, publicInput, program),
      );
      const boundary = zkvm.system.boundary(statement);
      expect(findUnbalancedTuples(perSegment.flat(), boundary)).toEqual([]);
      // A segment left out, or one counted twice, breaks the balance.
      const dropped = perSegment.filter((_, k) => k !== 1).flat();
      expect(findUnbalancedTuples(dropped, boundary).length).toBeGreaterThan(0);
      const doubled = [...perSegment.flat(), ...perSegment[1]!];
      expect(findUnbalancedTuples(doubled, boundary).length).toBeGreaterThan(0);
    },
    120_000,
  );
});
