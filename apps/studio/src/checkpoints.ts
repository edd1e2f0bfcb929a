import { type ElfProgram, latestAtOrBefore, Machine, PAGE_WORDS, type RunOptions } from '@nexus/vm';

/** The machine state at a cycle, minus memory (kept as page versions by the store). */
export interface Checkpoint {
  /** Instructions completed. */
  readonly cycle: number;
  readonly pc: number;
  readonly x: Int32Array;
  readonly halted: boolean;
  readonly exitCode: number;
  readonly publicInputPos: number;
  readonly privateInputPos: number;
  readonly ioBytes: number;
  /** Bytes of the output tape and of the debug log written before this cycle. */
  readonly outputLength: number;
  readonly logLength: number;
}

/** The storage pages one checkpoint changed, with their contents at that checkpoint. */
interface PageVersions {
  /** Checkpoint indices, ascending. */
  readonly at: number[];
  readonly data: Int32Array[];
}

/**
 * Machine snapshots every `interval` cycles. Memory is the big part of a machine (the stack alone
 * is 1 MiB), so a checkpoint copies only the 4 KiB pages the guest accessed since the previous
 * one (the machine's `touched` flags, cleared at each checkpoint); restoring takes each page's
 * latest version at or before the checkpoint, and pages never accessed are as the ELF loads them.
 * A run of millions of cycles thus costs a few pages per checkpoint, not a memory image.
 */
export class CheckpointStore {
  readonly checkpoints: Checkpoint[] = [];
  private readonly pages = new Map<number, PageVersions>();

  constructor(
    readonly program: ElfProgram,
    readonly options: RunOptions,
  ) {}

  /**
   * Records the state of `m` (which must be the machine that has run from cycle 0 through every
   * earlier checkpoint). Clears `m.touched`: that flag array only feeds pass 2's memory layout,
   * which a debugging machine never builds, so it is free to mean "accessed since the last
   * checkpoint" here.
   */
  take(m: Machine, outputLength: number, logLength: number): Checkpoint {
    const index = this.checkpoints.length;
    const touched = m.touched;
    // Jump from one accessed word to the next page that has one: a scan, not a loop per page.
    for (let i = touched.indexOf(1); i !== -1; ) {
      const page = Math.floor(i / PAGE_WORDS);
      const start = page * PAGE_WORDS;
      let v = this.pages.get(page);
      if (v === undefined) {
        v = { at: [], data: [] };
        this.pages.set(page, v);
      }
      v.at.push(index);
      v.data.push(m.words.slice(start, start + PAGE_WORDS));
      i = touched.indexOf(1, start + PAGE_WORDS);
    }
    touched.fill(0);
    const cp: Checkpoint = {
      cycle: m.cycles,
      pc: m.pc,
      x: m.x.slice(),
      halted: m.halted,
      exitCode: m.exitCode,
      publicInputPos: m.publicInputPos,
      privateInputPos: m.privateInputPos,
      ioBytes: m.ioBytes,
      outputLength,
      logLength,
    };
    this.checkpoints.push(cp);
    return cp;
  }

  /** Index of the last checkpoint at or before `cycle` (checkpoint 0 is cycle 0). */
  indexAtOrBefore(cycle: number): number {
    const cps = this.checkpoints;
    let lo = 0;
    let hi = cps.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (cps[mid]!.cycle <= cycle) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /**
   * A fresh machine in the state of checkpoint `index`. Its output tape and log start empty:
   * the checkpoint's `outputLength` and `logLength` say how much came before.
   */
  restore(index: number, onLog?: (bytes: Uint8Array) => void): Machine {
    const cp = this.checkpoints[index];
    if (cp === undefined) throw new RangeError(`no checkpoint ${index}`);
    const m = new Machine(this.program, { ...this.options, ...(onLog ? { onLog } : {}) });
    m.x.set(cp.x);
    for (const [page, v] of this.pages) {
      const k = latestAtOrBefore(v.at, index);
      if (k >= 0) m.words.set(v.data[k]!, page * PAGE_WORDS);
    }
    m.pc = cp.pc;
    m.cycles = cp.cycle;
    m.halted = cp.halted;
    m.exitCode = cp.exitCode;
    m.publicInputPos = cp.publicInputPos;
    m.privateInputPos = cp.privateInputPos;
    m.ioBytes = cp.ioBytes;
    return m;
  }

  /** Bytes of memory the page versions hold (for the status line). */
  storedBytes(): number {
    let n = 0;
    for (const v of this.pages.values()) n += v.data.length * PAGE_WORDS * 4;
    return n + this.checkpoints.length * 32 * 4;
  }
}
