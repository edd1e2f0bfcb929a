import {
  type ElfProgram,
  type InstructionExtension,
  Machine,
  type StepEffects,
  type SyscallExtension,
  stepWithEffects,
  VmFault,
} from '@nexus/vm';
import { CheckpointStore } from './checkpoints.js';
import { type WriteTarget, writesTarget } from './writes.js';

/** Inputs of the guest and the debugger's bounds. */
export interface SessionOptions {
  readonly publicInput?: Uint8Array;
  readonly privateInput?: Uint8Array;
  /** The precompiles and custom instructions the machine runs (the build's VM extensions). */
  readonly syscalls?: readonly SyscallExtension[];
  readonly instructions?: readonly InstructionExtension[];
  /** Cycles between checkpoints (default 100,000): stepping back re-executes at most this many. */
  readonly interval?: number;
  /** Recording stops here and the run counts as cut off (default 100 million). */
  readonly maxCycles?: number;
}

/** How the recorded run ended. */
export type RunEnd =
  | { readonly kind: 'exit'; readonly exitCode: number }
  | { readonly kind: 'fault'; readonly error: VmFault }
  | { readonly kind: 'limit'; readonly maxCycles: number };

/** A window of memory: `words[i]` is the word at `address + 4 i`, undefined where unmapped. */
export interface MemoryWindow {
  readonly address: number;
  readonly words: readonly (number | undefined)[];
}

/** Everything the debugger shows for one cycle: the state after instruction `cycle` ran. */
export interface CycleState {
  /** Instructions completed (0: the initial state, before the entry point runs). */
  readonly cycle: number;
  /** Instruction `cycle` and its effects, as `nexus trace` prints line `cycle` (none at 0). */
  readonly executed: StepEffects | undefined;
  /** The pc of the next instruction. */
  readonly nextPc: number;
  readonly halted: boolean;
  readonly registers: Int32Array;
  /** Registers instruction `cycle` wrote. */
  readonly changed: ReadonlySet<number>;
  readonly memory: MemoryWindow;
  readonly publicInput: { readonly position: number; readonly length: number };
  readonly privateInput: { readonly position: number; readonly length: number };
  /** The output tape and the debug log as written up to this cycle. */
  readonly output: Uint8Array;
  readonly log: Uint8Array;
}

/** A machine positioned somewhere in the recorded run, with what it wrote since its checkpoint. */
interface Cursor {
  readonly machine: Machine;
  readonly outputBase: number;
  readonly logBase: number;
  logWritten: number;
}

const DEFAULT_INTERVAL = 100_000;
const DEFAULT_MAX_CYCLES = 100_000_000;

/**
 * A guest's run, recorded once for random access by cycle. Recording executes the guest at full
 * speed and keeps a checkpoint every `interval` cycles; the state at any cycle is the nearest
 * earlier checkpoint re-executed forward, so stepping back costs at most `interval` cycles of
 * re-execution, and memory use grows with the pages the guest touches, not with its length.
 *
 * @example
 * const s = new DebugSession(loadElf(bytes), { publicInput });
 * s.recordAll();
 * const st = s.stateAt(1200); // st.executed.pc, st.registers[10], ...
 */
export class DebugSession {
  readonly program: ElfProgram;
  readonly interval: number;
  readonly maxCycles: number;
  readonly publicInput: Uint8Array;
  readonly privateInput: Uint8Array;
  private readonly store: CheckpointStore;
  private readonly recorder: Machine;
  private readonly logChunks: Uint8Array[] = [];
  private logLength = 0;
  private cursor: Cursor | undefined;
  private endState: RunEnd | undefined;
  private fullOutput: Uint8Array = new Uint8Array(0);
  private fullLog: Uint8Array = new Uint8Array(0);

  constructor(program: ElfProgram, options: SessionOptions = {}) {
    this.program = program;
    this.interval = options.interval ?? DEFAULT_INTERVAL;
    this.maxCycles = options.maxCycles ?? DEFAULT_MAX_CYCLES;
    if (!Number.isInteger(this.interval) || this.interval < 1)
      throw new RangeError(`interval must be a positive integer (got ${this.interval})`);
    this.publicInput = options.publicInput ?? new Uint8Array(0);
    this.privateInput = options.privateInput ?? new Uint8Array(0);
    const runOptions = {
      publicInput: this.publicInput,
      privateInput: this.privateInput,
      syscalls: options.syscalls ?? [],
      instructions: options.instructions ?? [],
    };
    this.store = new CheckpointStore(program, runOptions);
    this.recorder = new Machine(program, {
      ...runOptions,
      onLog: (b) => {
        this.logChunks.push(b.slice());
        this.logLength += b.length;
      },
    });
    this.store.take(this.recorder, 0, 0);
  }

  /** How the run ended; undefined while recording. */
  get end(): RunEnd | undefined {
    return this.endState;
  }

  /** Cycles recorded so far (once recorded: the last cycle there is a state for). */
  get lastCycle(): number {
    return this.recorder.cycles;
  }

  get checkpointCount(): number {
    return this.store.checkpoints.length;
  }

  /** Bytes the checkpoints hold. */
  get checkpointBytes(): number {
    return this.store.storedBytes();
  }

  /**
   * Records up to `budget` more cycles (so a page can record in slices between frames) and
   * returns true once the run has ended: the guest exited, faulted or hit `maxCycles`.
   */
  record(budget: number): boolean {
    if (this.endState !== undefined) return true;
    const m = this.recorder;
    const target = Math.min(m.cycles + budget, this.maxCycles);
    try {
      while (!m.halted && m.cycles < target) {
        const boundary = (Math.floor(m.cycles / this.interval) + 1) * this.interval;
        m.run(Math.min(boundary, target));
        if (!m.halted && m.cycles === boundary) this.store.take(m, m.output.length, this.logLength);
      }
    } catch (e) {
      if (!(e instanceof VmFault)) throw e;
      this.finish({ kind: 'fault', error: e });
      return true;
    }
    if (m.halted) this.finish({ kind: 'exit', exitCode: m.exitCode });
    else if (m.cycles >= this.maxCycles) this.finish({ kind: 'limit', maxCycles: this.maxCycles });
    return this.endState !== undefined;
  }

  /** Records the whole run at once. */
  recordAll(): RunEnd {
    while (!this.record(Number.POSITIVE_INFINITY)) {}
    return this.endState!;
  }

  private finish(end: RunEnd): void {
    this.endState = end;
    this.fullOutput = this.recorder.output.bytes();
    const log = new Uint8Array(this.logLength);
    let at = 0;
    for (const b of this.logChunks) {
      log.set(b, at);
      at += b.length;
    }
    this.fullLog = log;
  }

  private requireRecorded(): void {
    if (this.endState === undefined) throw new Error('the run is still being recorded');
  }

  /** Positions the cursor machine at `cycle` completed instructions (0 <= cycle <= lastCycle). */
  private seek(cycle: number): Cursor {
    let c = this.cursor;
    // Forward within one interval: keep going from where we are; otherwise restart from the
    // nearest checkpoint, so neither direction ever re-executes more than `interval` cycles.
    if (c === undefined || c.machine.cycles > cycle || cycle - c.machine.cycles > this.interval) {
      const index = this.store.indexAtOrBefore(cycle);
      const cp = this.store.checkpoints[index]!;
      const fresh: Cursor = {
        machine: this.store.restore(index, (b) => {
          fresh.logWritten += b.length;
        }),
        outputBase: cp.outputLength,
        logBase: cp.logLength,
        logWritten: 0,
      };
      c = fresh;
      this.cursor = c;
    }
    c.machine.run(cycle);
    return c;
  }

  private checkCycle(cycle: number): void {
    this.requireRecorded();
    if (!Number.isInteger(cycle) || cycle < 0 || cycle > this.lastCycle)
      throw new RangeError(`cycle ${cycle} is outside the run (0..${this.lastCycle})`);
  }

  /**
   * The state after instruction `cycle` ran, with `memoryWords` words of memory from
   * `memoryAddress` (rounded down to a word), or from the address it computes from the
   * registers of that cycle (a view that follows sp).
   */
  stateAt(
    cycle: number,
    memoryAddress: number | ((registers: Int32Array) => number) = 0,
    memoryWords = 0,
  ): CycleState {
    this.checkCycle(cycle);
    const c = this.seek(cycle === 0 ? 0 : cycle - 1);
    const m = c.machine;
    const executed = cycle === 0 ? undefined : stepWithEffects(m);
    const address = typeof memoryAddress === 'number' ? memoryAddress : memoryAddress(m.x);
    const words: (number | undefined)[] = [];
    const start = (address & ~3) >>> 0;
    for (let k = 0; k < memoryWords; k++) {
      const a = start + 4 * k;
      const i = a < 2 ** 32 ? m.map.wordIndex(a) : -1;
      words.push(i < 0 ? undefined : m.words[i]! >>> 0);
    }
    return {
      cycle,
      executed,
      nextPc: m.pc,
      halted: m.halted,
      registers: m.x.slice(),
      changed: new Set(executed?.writes.map((w) => w.reg) ?? []),
      memory: { address: start, words },
      publicInput: { position: m.publicInputPos, length: this.publicInput.length },
      privateInput: { position: m.privateInputPos, length: this.privateInput.length },
      output: this.fullOutput.subarray(0, c.outputBase + m.output.length),
      log: this.fullLog.subarray(0, c.logBase + c.logWritten),
    };
  }

  /**
   * The first cycle after `from` whose instruction is at one of `pcs` (a breakpoint hit: the
   * state shown is after that instruction ran), or undefined when the run ends first.
   */
  nextHit(from: number, pcs: ReadonlySet<number>): number | undefined {
    this.checkCycle(from);
    if (pcs.size === 0) return undefined;
    const m = this.seek(from).machine;
    // One instruction at a time: a breakpoint may sit inside a basic block, which run() would
    // execute whole.
    while (m.cycles < this.lastCycle) {
      if (pcs.has(m.pc)) return m.cycles + 1;
      m.step();
    }
    return undefined;
  }

  /** The first cycle after `from` whose instruction writes `target`, or undefined. */
  nextWrite(from: number, target: WriteTarget): number | undefined {
    this.checkCycle(from);
    const m = this.seek(from).machine;
    while (m.cycles < this.lastCycle) {
      if (writesTarget(m, target)) return m.cycles + 1;
      m.step();
    }
    return undefined;
  }

  /**
   * The last cycle before `from` whose instruction writes `target`, or undefined. Searches one
   * checkpoint interval at a time, backwards, so a write just before `from` is found after
   * re-executing one interval, not the whole run.
   */
  previousWrite(from: number, target: WriteTarget): number | undefined {
    this.checkCycle(from);
    const cps = this.store.checkpoints;
    // Instruction c runs when the machine has completed c - 1: instructions before `from` run
    // while cycles < from - 1.
    let end = from - 1;
    for (let i = this.store.indexAtOrBefore(Math.max(0, end - 1)); i >= 0 && end > 0; i--) {
      const start = cps[i]!.cycle;
      const m = this.seek(start).machine;
      let last: number | undefined;
      while (m.cycles < end) {
        if (writesTarget(m, target)) last = m.cycles + 1;
        m.step();
      }
      if (last !== undefined) return last;
      end = start;
    }
    return undefined;
  }
}
