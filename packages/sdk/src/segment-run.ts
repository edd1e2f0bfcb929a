import {
  buildTraces,
  decodeProgram,
  encodeProgram,
  Lookups,
  type ZkvmProgram,
  zkvmStatement,
} from '@nexus/air-common';
import type { ComponentTrace, SegmentCommitment, StarkProof, Statement } from '@nexus/kernel';
import { commitSegment, type ProveOptions, proveSegment } from '@nexus/prover';
import {
  deriveLayout,
  type ElfProgram,
  type ExecutionResult,
  execute,
  type Layout,
  type Records,
  recordSegments,
} from '@nexus/vm';
import { ZkvmError } from './errors.js';
import type { GuestInputs, Zkvm } from './zkvm.js';

const EMPTY = new Uint8Array(0);

/**
 * One execution cut into segments, ready to commit or prove any segment: pass 1 runs once
 * (statement, layout, segment count), pass 2 runs as a cursor over the segments. Asking for
 * the segments in order costs one pass 2 over the run; asking for an earlier segment than the
 * last restarts pass 2 from the first cycle (its records are regenerated up to the segment,
 * without building traces for the ones skipped). One segment's records and traces are alive
 * at a time, so a worker holds one segment.
 */
export class SegmentedRun {
  readonly statement: Statement;
  readonly run: ExecutionResult;
  readonly count: number;
  /** The canonical program (what the statement holds). */
  readonly encoded: Uint8Array;
  readonly publicInput: Uint8Array;
  /** Largest log size per component over the segments traced so far. */
  readonly components: Record<string, number> = {};
  private readonly program: ZkvmProgram;
  private readonly layout: Layout;
  private cursor: Generator<Records> | null = null;
  private next = 0;

  constructor(
    private readonly zkvm: Zkvm,
    private readonly loaded: ElfProgram,
    private readonly inputs: GuestInputs,
    readonly segmentCycles: number,
    run?: ExecutionResult,
  ) {
    this.run = run ?? execute(loaded, zkvm.runOptions(inputs));
    zkvm.checkCoverage(this.run.stats);
    this.publicInput = inputs.publicInput ?? EMPTY;
    this.encoded = encodeProgram(loaded, zkvm.options.memory ?? {});
    this.program = decodeProgram(this.encoded);
    // Pass 1's outputs are pass 2's (the same machine, tested): the statement is known first.
    this.statement = zkvmStatement({
      program: this.encoded,
      publicInput: this.publicInput,
      publicOutput: this.run.output,
      exitCode: this.run.exitCode,
    });
    this.layout = deriveLayout(this.run.stats);
    this.count = Math.ceil(this.run.cycles / segmentCycles);
  }

  /** Segment `k`'s main traces (valid until the next call). */
  traces(k: number): Map<string, ComponentTrace> {
    if (!Number.isInteger(k) || k < 0 || k >= this.count)
      throw new ZkvmError(`no segment ${k}: the run has ${this.count}`, { reason: 'segment' });
    if (this.cursor === null || k < this.next) {
      this.cursor = recordSegments(this.loaded, this.layout, {
        ...this.zkvm.runOptions(this.inputs),
        segmentCycles: this.segmentCycles,
        reuseBuffers: true,
      });
      this.next = 0;
    }
    let records: Records | undefined;
    while (this.next <= k) {
      const step = this.cursor.next();
      if (step.done) throw new ZkvmError(`pass 2 ended before segment ${k}`, { reason: 'segment' });
      records = step.value;
      this.next++;
    }
    const publicInput = this.publicInput;
    const traces = buildTraces(this.zkvm.system, {
      program: this.program,
      records: records!,
      publicInput,
      lookups: new Lookups(this.program, publicInput.length),
    });
    for (const [name, t] of traces)
      this.components[name] = Math.max(this.components[name] ?? 0, t.logSize);
    return traces;
  }

  /** Phase 1 of segment `k`: its sizes and roots. */
  commit(k: number, options: ProveOptions): SegmentCommitment {
    return commitSegment(
      this.zkvm.system,
      { statement: this.statement, traces: this.traces(k) },
      options,
    );
  }

  /** Phase 2 of segment `k` under every segment's commitment. */
  prove(k: number, commitments: readonly SegmentCommitment[], options: ProveOptions): StarkProof {
    return proveSegment(
      this.zkvm.system,
      { statement: this.statement, traces: this.traces(k) },
      commitments,
      k,
      options,
    );
  }
}
