import {
  buildTraces,
  decodeProgram,
  encodeProgram,
  Lookups,
  type ZkvmProgram,
  zkvmStatement,
} from '@nexus/air-common';
import {
  type ComponentTrace,
  IS_FIRST,
  isFirstColumn,
  type Statement,
  type System,
} from '@nexus/kernel';
import type { Zkvm } from '@nexus/sdk';
import {
  deriveLayout,
  type ElfProgram,
  execute,
  generateRecords,
  type Layout,
  Pass2Checkpoints,
  type RecordOptions,
  type Records,
  recordSegments,
} from '@nexus/vm';

/**
 * Cycles whose traces are built at once. A run this long or shorter is built whole, so its buses
 * are checked too; a longer one is built one window (a segment of the run, as the segmented
 * prover cuts it) at a time, on demand. 2^15 cycles build in a fraction of a second.
 */
export const WINDOW_CYCLES = 2 ** 15;

/** Windows between two checkpoints of pass 2 (see TraceBuilder). */
export const PASS2_CHECKPOINT_WINDOWS = 4;

/** How many windows a run of `cycles` cycles is built in. */
export function windowCount(cycles: number): number {
  return Math.max(1, Math.ceil(cycles / WINDOW_CYCLES));
}

/** The window holding `cycle` (cycle 0, before the first instruction, is in window 0). */
export function windowIndexOf(cycles: number, cycle: number): number {
  if (cycles <= WINDOW_CYCLES) return 0;
  return Math.min(Math.floor(Math.max(cycle - 1, 0) / WINDOW_CYCLES), windowCount(cycles) - 1);
}

/** The first and last cycle (1-based, inclusive) of a window. */
export function windowCycles(cycles: number, index: number): [number, number] {
  return [index * WINDOW_CYCLES + 1, Math.min(cycles, (index + 1) * WINDOW_CYCLES)];
}

/** The traces of some cycles of a run: what the constraint view checks and shows. */
export interface TraceWindow {
  readonly system: System;
  readonly statement: Statement;
  /** The cycles whose rows these traces hold (1-based, inclusive). */
  readonly firstCycle: number;
  readonly lastCycle: number;
  /**
   * True when the traces are those of the whole run, as the prover proves them: the buses must
   * then balance. A window of a longer run is one segment: tuples crossing its borders balance
   * only with the other segments, so its bus balance is not a check.
   */
  readonly whole: boolean;
  /** Component traces by name (components without rows here are absent). */
  readonly traces: ReadonlyMap<string, ComponentTrace>;
  /** A preprocessed column as a component of this log size reads it. */
  preprocessed(id: string, logSize: number): Uint32Array;
}

/**
 * Builds component traces for windows of one guest's run with the zkVM's own machinery (pass 1,
 * the layout, pass 2 and every plugin's trace generation), unchanged: the rows are those the
 * prover would prove.
 *
 * @example
 * const builder = new TraceBuilder(createZkvm(), loadElf(elf), { publicInput });
 * const w = builder.windowFor(1200); // w.traces.get('add'), ...
 */
export class TraceBuilder {
  readonly cycles: number;
  private readonly layout: Layout;
  private readonly statement: Statement;
  private readonly program: ZkvmProgram;
  private readonly options: RecordOptions;
  private readonly preprocessedCache = new Map<string, Uint32Array>();
  /**
   * Pass 2's state every 4 windows (2^17 cycles) the builder has passed: a window is built from
   * the nearest one, so a jump re-runs pass 2 from at most 3 windows before it once the builder
   * has been that far (the first jump past the furthest point runs on from there). Every 4:
   * long.elf's first 10^7 cycles keep 15 MiB of pages (40 MiB with one per window), and a jump
   * costs hundredths of a second either way (README, "Windows").
   */
  private readonly checkpoints = new Pass2Checkpoints(PASS2_CHECKPOINT_WINDOWS);
  /** The pass over the windows in order (nextInOrder), started on first use. */
  private sweep: Generator<Records> | undefined;

  /** Runs pass 1 once (fast) for the layout and the statement. Throws the VM's fault, if any. */
  constructor(
    private readonly zkvm: Zkvm,
    private readonly elf: ElfProgram,
    inputs: { readonly publicInput: Uint8Array; readonly privateInput: Uint8Array },
  ) {
    // The build's VM options: its extensions, families and memory map, as its prover runs them.
    this.options = zkvm.runOptions(inputs);
    const run = execute(elf, this.options);
    this.cycles = run.cycles;
    this.layout = deriveLayout(run.stats);
    const encoded = encodeProgram(elf);
    this.program = decodeProgram(encoded);
    this.statement = zkvmStatement({
      program: encoded,
      publicInput: inputs.publicInput,
      publicOutput: run.output,
      exitCode: run.exitCode,
    });
  }

  /** The window holding `cycle`. */
  windowIndex(cycle: number): number {
    return windowIndexOf(this.cycles, cycle);
  }

  get windowCount(): number {
    return windowCount(this.cycles);
  }

  /**
   * Runs pass 2 from the last checkpoint to the next one and takes it: what the check worker
   * (and nexus debug) do while idle, so that a later jump anywhere finds a checkpoint at most 3
   * windows before it. False once there is nothing left to take (a one-window run, the end).
   */
  prepareAhead(): boolean {
    const next = this.checkpoints.count * PASS2_CHECKPOINT_WINDOWS;
    if (this.windowCount === 1 || next >= this.windowCount) return false;
    // The checkpoint of `next` is taken as segment next - 1 ends.
    for (const r of recordSegments(this.elf, this.layout, {
      ...this.options,
      segmentCycles: WINDOW_CYCLES,
      checkpoints: this.checkpoints,
      fromSegment: next,
      reuseBuffers: true,
    }))
      if (r.segment!.index >= next - 1) break;
    return this.checkpoints.count * PASS2_CHECKPOINT_WINDOWS < this.windowCount;
  }

  /** Bytes pass 2's checkpoints hold (for the measurements). */
  checkpointBytes(): number {
    return this.checkpoints.storedBytes();
  }

  /** Builds the traces of the window holding `cycle`. */
  windowFor(cycle: number): TraceWindow {
    const index = this.windowIndex(cycle);
    const whole = this.windowCount === 1;
    let records: Records | undefined;
    if (whole) records = generateRecords(this.elf, this.layout, this.options);
    else {
      // Pass 2 from the nearest checkpoint at or before the window (taking those it passes),
      // keeping only the window's segment: the same records as from cycle 0 (packages/vm tests).
      for (const r of recordSegments(this.elf, this.layout, {
        ...this.options,
        segmentCycles: WINDOW_CYCLES,
        checkpoints: this.checkpoints,
        fromSegment: index,
      })) {
        if (r.segment?.index === index) {
          records = r;
          break;
        }
      }
    }
    if (records === undefined) throw new Error(`the run has no window ${index}`);
    return this.windowOf(records, index, whole);
  }

  /**
   * The run's windows in order, one per call, from a pass 2 of their own that resumes between
   * calls (for the run's bus check, RunBalance); undefined after the last. Each window is valid
   * until the next call.
   */
  nextInOrder(): { readonly index: number; readonly window: TraceWindow } | undefined {
    this.sweep ??= recordSegments(this.elf, this.layout, {
      ...this.options,
      segmentCycles: WINDOW_CYCLES,
      checkpoints: this.checkpoints,
      reuseBuffers: true,
    });
    const step = this.sweep.next();
    if (step.done) return undefined;
    const index = step.value.segment!.index;
    return { index, window: this.windowOf(step.value, index, this.windowCount === 1) };
  }

  private windowOf(records: Records, index: number, whole: boolean): TraceWindow {
    const traces = buildTraces(this.zkvm.system, {
      program: this.program,
      records,
      publicInput: this.options.publicInput!,
      lookups: new Lookups(this.program, this.options.publicInput!.length),
    });
    const [firstCycle, lastCycle] = windowCycles(this.cycles, index);
    return {
      system: this.zkvm.system,
      statement: this.statement,
      firstCycle,
      lastCycle,
      whole,
      traces,
      preprocessed: (id, logSize) => this.preprocessedColumn(id, logSize),
    };
  }

  private preprocessedColumn(id: string, logSize: number): Uint32Array {
    if (id === IS_FIRST) return isFirstColumn(logSize);
    const key = `${id}:${logSize}`;
    let col = this.preprocessedCache.get(key);
    if (col === undefined) {
      const p = this.zkvm.system.preprocessed.get(id);
      if (p === undefined) throw new Error(`no preprocessed column ${id} in this build`);
      col = p.generate(this.statement, logSize) as Uint32Array;
      this.preprocessedCache.set(key, col);
    }
    return col;
  }
}
