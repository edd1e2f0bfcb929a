import type { ByteSink } from './bytes.js';
import { VmConfigError } from './errors.js';
import type { Layout } from './layout.js';
import { PAGE_WORDS } from './memory.js';

/** mts value of storage words outside the layout (never accessed, never changed). */
export const NOT_IN_LAYOUT = 0xffffffff;

/** Pass 2's state at a segment's start, minus memory (kept as page versions by the store). */
export interface Pass2State {
  /** Cycles completed; the segment starts at clk + 1. */
  readonly clk: number;
  readonly pc: number;
  readonly halted: boolean;
  readonly exitCode: number;
  /** Register values and the timestamps of their last accesses. */
  readonly xv: Int32Array;
  readonly xts: Uint32Array;
  readonly publicPos: number;
  readonly privatePos: number;
  readonly tapePosition: Uint32Array;
  readonly tapeEnded: Uint8Array;
  readonly tapeLastClk: Uint32Array;
  /** Bytes of the output tape and of the kept debug log written so far; log bytes in all. */
  readonly outputLength: number;
  readonly logKept: number;
  readonly logLength: number;
}

/** The storage pages one checkpoint changed: their words and last-access timestamps then. */
interface PageVersions {
  /** Checkpoint indices, ascending. */
  readonly at: number[];
  readonly words: Int32Array[];
  readonly mts: Uint32Array[];
}

/**
 * Checkpoints of pass 2 (`recordSegments`) at segment starts, so that the records of a segment
 * deep in a run are regenerated from the nearest checkpoint instead of from cycle 0. Pass 2's
 * state is more than the machine's: every memory word's and register's last-access timestamp
 * (what each access's `prevTs` column holds) and the tapes' positions. A checkpoint copies only
 * the 4 KiB storage pages accessed since the previous one (a word was accessed after cycle C
 * exactly when its timestamp exceeds 4·C + 3: timestamps only grow), so memory grows with what
 * the guest touches, not with the run's length. The output tape and the log are append-only: one
 * copy of the longest prefix seen serves every checkpoint.
 *
 * One store serves one run: the same program, inputs, options, layout and segment size (the
 * layout and the size are checked; a store used with another run would resume from its states).
 *
 * @example
 * const checkpoints = new Pass2Checkpoints();
 * const options = { ...inputs, segmentCycles: 2 ** 15, checkpoints };
 * for (const r of recordSegments(program, layout, options)) {}  // takes a checkpoint per segment
 * const deep = recordSegments(program, layout, { ...options, fromSegment: 400 }).next().value;
 */
export class Pass2Checkpoints {
  /** states[k]: the state at the start of segment k · every. */
  private readonly states: Pass2State[] = [];
  private readonly pages = new Map<number, PageVersions>();
  private output: Uint8Array = new Uint8Array(0);
  private log: Uint8Array = new Uint8Array(0);
  private layout: Layout | undefined;
  private segmentCycles: number | undefined;

  /** `every`: segments between two checkpoints (1: one at every segment start). */
  constructor(readonly every = 1) {
    if (!Number.isInteger(every) || every < 1)
      throw new VmConfigError(`checkpoints are taken every N >= 1 segments (got ${every})`);
  }

  /** Checkpoints held. */
  get count(): number {
    return this.states.length;
  }

  /** Binds the store to a run's layout and segment size; another one is a VmConfigError. */
  bind(layout: Layout, segmentCycles: number): void {
    if (this.layout === undefined) {
      this.layout = layout;
      this.segmentCycles = segmentCycles;
    } else if (this.layout !== layout || this.segmentCycles !== segmentCycles)
      throw new VmConfigError(
        'these pass-2 checkpoints belong to another run (another layout or segment size)',
      );
  }

  /** The last checkpoint at or before segment `segment`: its index and its segment. */
  nearest(segment: number): { readonly index: number; readonly segment: number } | undefined {
    if (this.states.length === 0) return undefined;
    const index = Math.min(Math.floor(Math.max(segment, 0) / this.every), this.states.length - 1);
    return { index, segment: index * this.every };
  }

  /** Whether the start of `segment` is the next checkpoint to take. */
  wants(segment: number): boolean {
    return segment % this.every === 0 && segment / this.every === this.states.length;
  }

  /**
   * Takes the next checkpoint from pass 2's state and storage: the pages whose timestamps moved
   * since the previous checkpoint (the caller has run through it), and the tapes' bytes.
   * @internal (recordSegments calls it)
   */
  add(
    state: Pass2State,
    words: Int32Array,
    mts: Uint32Array,
    output: ByteSink,
    log: ByteSink,
  ): void {
    const index = this.states.length;
    const previous = this.states[index - 1];
    const since = previous === undefined ? 3 : 4 * previous.clk + 3;
    for (let i = 0; i < mts.length; i++) {
      const v = mts[i]!;
      if (v <= since || v === NOT_IN_LAYOUT) continue;
      // Copy the page and jump to the next one.
      const page = Math.floor(i / PAGE_WORDS);
      const start = page * PAGE_WORDS;
      let versions = this.pages.get(page);
      if (versions === undefined) {
        versions = { at: [], words: [], mts: [] };
        this.pages.set(page, versions);
      }
      versions.at.push(index);
      versions.words.push(words.slice(start, start + PAGE_WORDS));
      versions.mts.push(mts.slice(start, start + PAGE_WORDS));
      i = start + PAGE_WORDS - 1;
    }
    // Copied only when they grew: one copy of the longest prefix serves every checkpoint.
    if (output.length > this.output.length) this.output = output.bytes();
    if (log.length > this.log.length) this.log = log.bytes();
    this.states.push(state);
  }

  /**
   * Checkpoint `index`: its state, and its storage written over `words` and `mts` (which must
   * be a fresh pass 2's: the ELF's image, timestamps 0 in the layout). Returns the state and the
   * tapes' bytes up to it.
   */
  restore(
    index: number,
    words: Int32Array,
    mts: Uint32Array,
  ): { state: Pass2State; output: Uint8Array; log: Uint8Array } {
    const state = this.states[index];
    if (state === undefined) throw new RangeError(`no pass-2 checkpoint ${index}`);
    for (const [page, v] of this.pages) {
      const k = latestAtOrBefore(v.at, index);
      if (k < 0) continue;
      words.set(v.words[k]!, page * PAGE_WORDS);
      mts.set(v.mts[k]!, page * PAGE_WORDS);
    }
    return {
      state,
      output: this.output.subarray(0, state.outputLength),
      log: this.log.subarray(0, state.logKept),
    };
  }

  /** Bytes the checkpoints hold (pages, registers, tapes). */
  storedBytes(): number {
    let n = this.output.length + this.log.length + this.states.length * 64 * 4;
    for (const v of this.pages.values()) n += v.at.length * PAGE_WORDS * 8;
    return n;
  }
}

/**
 * The position of the last entry <= index in the ascending list `at` (-1: none): the version
 * of a page in force at a cycle. Binary search.
 */
export function latestAtOrBefore(at: readonly number[], index: number): number {
  let lo = 0;
  let hi = at.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (at[mid]! <= index) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
