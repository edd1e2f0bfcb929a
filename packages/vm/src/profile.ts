import type { CodeRom } from './code.js';
import type { ElfProgram } from './elf.js';
import { CycleLimitError } from './errors.js';
import { asProgram, checkMaxCycles, type ExecuteOptions } from './execute.js';
import { OP_COUNT, Op } from './isa.js';
import { type BlockObserver, Machine } from './machine.js';

/**
 * What each execution costs to prove, for a profile by proving cost rather than cycles (the SDK
 * derives it from the assembled system: the trace cells of the rows each instruction adds).
 */
export interface ProfileWeights {
  /** Cost of one execution of each op id (index = `Op`); ecall and custom ones go below. */
  readonly op: Float64Array;
  /** Cost of one exit/read/write ecall (its ecall row). */
  readonly syscall: number;
  /** Cost of one byte a read or write moves (its io row). */
  readonly ioByte: number;
  /** Cost of one call of a precompile or custom instruction, by its records table. */
  readonly tables: Readonly<Record<string, number>>;
}

export interface ProfileOptions extends ExecuteOptions {
  /** Cost weights; without them the profile counts cycles only (cost 0). */
  readonly weights?: ProfileWeights;
}

/** A function of the guest (from the ELF's function symbols); id 0 is code outside any. */
export interface ProfileFunction {
  readonly name: string;
  readonly address: number;
}

/** A node of the call tree: one call path, with what was spent in it (self) and its callees. */
export interface ProfileNode {
  /** Index into `functions`; -1 for the root. */
  readonly fn: number;
  /** Cycles executed in this function on this path, callees excluded. */
  cycles: number;
  /** Proving cost of those cycles (0 without weights). */
  cost: number;
  /** Times this path was entered (calls, tail calls). */
  calls: number;
  readonly children: ProfileNode[];
}

/** A region the guest marked with cycle-tracker lines in its debug log. */
export interface ProfileRegion {
  readonly name: string;
  /** Times it was entered. */
  count: number;
  /** Cycles and cost between each start and its end, summed. */
  cycles: number;
  cost: number;
}

export interface GuestProfile {
  readonly functions: readonly ProfileFunction[];
  readonly root: ProfileNode;
  /** Every instruction executed (equals `execute`'s cycles). */
  readonly cycles: number;
  readonly cost: number;
  readonly regions: readonly ProfileRegion[];
  /** Markers that did not pair up (an end without a start, a start never ended). */
  readonly regionErrors: readonly string[];
  readonly exitCode: number;
  readonly output: Uint8Array;
  readonly log: Uint8Array;
}

/** The debug-log lines that open and close a region (the guest runtime's helpers write them). */
export const CYCLE_TRACKER_START = 'cycle-tracker-start: ';
export const CYCLE_TRACKER_END = 'cycle-tracker-end: ';

/** The longest marker line recognised (prefix and region name). */
const MAX_MARKER_LINE = 1024;

/** ra (x1) and t0 (x5): the link registers of the RISC-V calling convention's hints. */
const isLink = (r: number) => r === 1 || r === 5;

/**
 * Runs a guest once, at pass-1 speed, and attributes every cycle (and its proving cost) to a call
 * stack. The machine reports each basic block it executes; a block ending in `jal`/`jalr` that
 * writes a link register is a call (the callee is where it lands), a `jalr` through a link
 * register that writes none is a return, and a block in another function than the current frame
 * without either (a tail call `j f`, code falling into the next function, a return through
 * another register) replaces the frame, or returns to the nearest caller frame in that function.
 * Every cycle is counted exactly, so no sampling is needed: blocks average several instructions
 * and the bookkeeping per block is a few array reads.
 *
 * @example
 * const p = profile(readFileSync('guests/bin/fib.elf'), { publicInput });
 * p.root.children[0]; // _start's node, with everything below it
 */
export function profile(
  program: ElfProgram | Uint8Array,
  options: ProfileOptions = {},
): GuestProfile {
  const prog = asProgram(program);
  const limit = checkMaxCycles(options.maxCycles);
  const logChunks: Uint8Array[] = [];
  let recorder: ProfileRecorder | undefined;
  const m = new Machine(prog, {
    ...options,
    onLog: (bytes) => {
      recorder?.log(bytes);
      if (options.onLog) options.onLog(bytes);
      else logChunks.push(bytes.slice());
    },
  });
  recorder = new ProfileRecorder(m, options.weights);
  m.run(limit, recorder);
  if (!m.halted) throw Object.assign(new CycleLimitError(m.pc, limit), { clk: m.cycles + 1 });
  const log = new Uint8Array(logChunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of logChunks) {
    log.set(c, at);
    at += c.length;
  }
  return recorder.finish(log);
}

/** A call-tree node while recording: children by function id. */
interface Frame {
  readonly fn: number;
  readonly parent: Frame | null;
  cycles: number;
  cost: number;
  calls: number;
  readonly children: Map<number, Frame>;
}

const frame = (fn: number, parent: Frame | null): Frame => ({
  fn,
  parent,
  cycles: 0,
  cost: 0,
  calls: 0,
  children: new Map(),
});

/**
 * Records a machine's run block by block (`machine.run(limit, recorder)`, with the machine's
 * onLog passing the debug log to `log`): cycles and cost by call path, and the cycle-tracker
 * regions. With `stacks: false` it keeps only the regions and totals (what `nexus run` reports),
 * at a few operations per block.
 */
export class ProfileRecorder implements BlockObserver {
  readonly functions: ProfileFunction[];
  private readonly rom: CodeRom;
  /** Function id of every ROM word. */
  private readonly fnOf: Int32Array;
  /** Cost of the block starting at each ROM word (NaN until first seen). */
  private readonly blockCost: Float64Array;
  private readonly weights: ProfileWeights | undefined;
  private readonly machine: Machine;
  private readonly root = frame(-1, null);
  private current: Frame = this.root;
  private cycles = 0;
  private cost = 0;
  // Extension bookkeeping, read at blocks ending in ecall or a custom instruction.
  private syscalls = 0;
  private ioBytes = 0;
  private extensionCalls = 0;
  private readonly tableCalls = new Map<string, number>();
  // Regions: log text not yet ended by a newline, markers waiting for their block's end.
  private partial = '';
  private readonly pending: [start: boolean, name: string][] = [];
  private readonly regions = new Map<string, ProfileRegion & { open: [number, number][] }>();
  private readonly regionErrors: string[] = [];
  private readonly decoder = new TextDecoder();

  private readonly stacks: boolean;
  /** Without call stacks nothing depends on block order: compiled loops report in bulk. */
  readonly blocks: BlockObserver['blocks'];

  constructor(
    machine: Machine,
    weights: ProfileWeights | undefined,
    options: { readonly stacks?: boolean } = {},
  ) {
    const program = machine.program;
    this.stacks = options.stacks ?? true;
    this.blocks = this.stacks ? undefined : (starts, counts, n) => this.bulk(starts, counts, n);
    this.machine = machine;
    this.rom = machine.rom;
    this.weights = weights;
    const symbols = program.symbols
      .filter((s) => s.type === 2 && s.name !== '')
      .sort((a, b) => a.value - b.value || b.size - a.size);
    this.functions = [
      { name: '(no symbol)', address: 0 },
      ...symbols.map((s) => ({ name: s.name, address: s.value })),
    ];
    this.fnOf = new Int32Array(this.rom.length);
    for (let k = 0; k < symbols.length; k++) {
      const s = symbols[k]!;
      const next = symbols[k + 1]?.value ?? Number.POSITIVE_INFINITY;
      const end = s.size > 0 ? Math.min(s.value + s.size, next) : next;
      const from = Math.max(0, Math.ceil((s.value - this.rom.base) / 4));
      const to = Math.min(this.rom.length, Math.ceil((end - this.rom.base) / 4));
      for (let wi = from; wi < to; wi++) this.fnOf[wi] = k + 1;
    }
    this.blockCost = new Float64Array(this.rom.length).fill(Number.NaN);
  }

  block(wi: number, len: number, nextPc: number): void {
    const fn = this.stacks ? this.fnOf[wi]! : -1;
    if (this.current.fn !== fn) this.moveTo(fn);
    const f = this.current;
    let cost = 0;
    if (this.weights !== undefined) {
      cost = this.blockCost[wi]!;
      if (Number.isNaN(cost)) cost = this.costOfBlock(wi, len);
    }
    const last = wi + len - 1;
    const op = this.rom.op[last]!;
    if (op === Op.ECALL || op === Op.CUSTOM) cost += this.extensionCost();
    f.cycles += len;
    f.cost += cost;
    this.cycles += len;
    this.cost += cost;
    if (this.pending.length > 0) this.markRegions();
    if (this.stacks && (op === Op.JAL || op === Op.JALR)) {
      const rd = this.rom.rd[last]!;
      const rs1 = this.rom.rs1[last]!;
      if (isLink(rd)) {
        // jalr through the other link register: return and call at once (a coroutine swap).
        if (op === Op.JALR && isLink(rs1) && rs1 !== rd) this.pop();
        this.push(this.fnAt(nextPc));
      } else if (op === Op.JALR && isLink(rs1)) this.pop();
    }
  }

  /** Blocks `starts[k]`, `counts[k]` times each (no call stacks): the totals of `block`. */
  private bulk(starts: Int32Array, counts: Float64Array, n: number): void {
    let cycles = 0;
    let cost = 0;
    for (let k = 0; k < n; k++) {
      const wi = starts[k]!;
      const len = this.rom.blockLength(wi);
      cycles += counts[k]! * len;
      if (this.weights !== undefined) {
        let c = this.blockCost[wi]!;
        if (Number.isNaN(c)) c = this.costOfBlock(wi, len);
        cost += counts[k]! * c;
      }
    }
    // Whatever ecalls and custom instructions added since the last time (a region call ends
    // right after an ecall, so a marker it wrote takes effect at the end of its block).
    cost += this.extensionCost();
    if (this.current.fn !== -1) this.moveTo(-1);
    this.current.cycles += cycles;
    this.current.cost += cost;
    this.cycles += cycles;
    this.cost += cost;
    if (this.pending.length > 0) this.markRegions();
  }

  /** Records the debug log's cycle-tracker lines (they take effect at the end of the block). */
  log(bytes: Uint8Array): void {
    const text = this.partial + this.decoder.decode(bytes);
    const lines = text.split('\n');
    // Only a line's start can make it a marker: keep at most that much of an unfinished line,
    // so a log without newlines costs linear time, not quadratic.
    this.partial = lines.pop()!.slice(0, MAX_MARKER_LINE);
    for (const line of lines) {
      if (line.startsWith(CYCLE_TRACKER_START))
        this.pending.push([true, line.slice(CYCLE_TRACKER_START.length).trim()]);
      else if (line.startsWith(CYCLE_TRACKER_END))
        this.pending.push([false, line.slice(CYCLE_TRACKER_END.length).trim()]);
    }
  }

  /** The profile of the run so far (the machine's state as it stands). */
  finish(log: Uint8Array): GuestProfile {
    const m = this.machine;
    for (const r of this.regions.values()) {
      if (r.open.length > 0)
        this.regionErrors.push(`region ${r.name} was started and never ended (${r.open.length}x)`);
    }
    const toNode = (f: Frame): ProfileNode => ({
      fn: f.fn,
      cycles: f.cycles,
      cost: f.cost,
      calls: f.calls,
      children: [...f.children.values()].map(toNode),
    });
    return {
      functions: this.functions,
      root: toNode(this.root),
      cycles: this.cycles,
      cost: this.cost,
      regions: [...this.regions.values()].map(({ name, count, cycles, cost }) => ({
        name,
        count,
        cycles,
        cost,
      })),
      regionErrors: this.regionErrors,
      exitCode: m.exitCode,
      output: m.output.bytes(),
      log,
    };
  }

  private fnAt(pc: number): number {
    const wi = (pc - this.rom.base) >>> 2;
    return wi < this.rom.length ? this.fnOf[wi]! : 0;
  }

  private push(fn: number): void {
    const parent = this.current;
    let child = parent.children.get(fn);
    if (child === undefined) {
      child = frame(fn, parent);
      parent.children.set(fn, child);
    }
    child.calls++;
    this.current = child;
  }

  private pop(): void {
    if (this.current.parent !== null) this.current = this.current.parent;
  }

  /**
   * Control reached function `fn` without a call or return: back to the nearest caller frame in
   * `fn` if there is one (a return through another register), else a tail call or fall-through
   * that replaces the current frame.
   */
  private moveTo(fn: number): void {
    for (let f = this.current.parent; f !== null; f = f.parent) {
      if (f.fn === fn) {
        this.current = f;
        return;
      }
    }
    if (this.current.parent !== null) this.current = this.current.parent;
    this.push(fn);
  }

  private costOfBlock(wi: number, len: number): number {
    const w = this.weights!.op;
    let c = 0;
    for (let k = wi; k < wi + len; k++) {
      const op = this.rom.op[k]!;
      if (op < OP_COUNT && op !== Op.ECALL && op !== Op.CUSTOM) c += w[op] ?? 0;
    }
    this.blockCost[wi] = c;
    return c;
  }

  /** Cost of what the last ecall or custom instruction added: its rows in whichever table. */
  private extensionCost(): number {
    const m = this.machine;
    const syscalls = m.syscalls[0]! + m.syscalls[1]! + m.syscalls[2]!;
    const w = this.weights;
    let cost = 0;
    if (w !== undefined) {
      cost += (syscalls - this.syscalls) * w.syscall + (m.ioBytes - this.ioBytes) * w.ioByte;
    }
    this.syscalls = syscalls;
    this.ioBytes = m.ioBytes;
    // The tables only change with calls (this runs after every region call: keep it cheap).
    if (m.extensionCalls === this.extensionCalls) return cost;
    this.extensionCalls = m.extensionCalls;
    if (w !== undefined) {
      for (const [table, n] of m.precompileCalls) {
        const before = this.tableCalls.get(table) ?? 0;
        if (n !== before) cost += (n - before) * (w.tables[table] ?? 0);
      }
    }
    for (const [table, n] of m.precompileCalls) this.tableCalls.set(table, n);
    return cost;
  }

  private markRegions(): void {
    for (const [start, name] of this.pending) {
      let r = this.regions.get(name);
      if (r === undefined) {
        r = { name, count: 0, cycles: 0, cost: 0, open: [] };
        this.regions.set(name, r);
      }
      if (start) {
        r.count++;
        r.open.push([this.cycles, this.cost]);
      } else {
        const opened = r.open.pop();
        if (opened === undefined) {
          this.regionErrors.push(`region ${name} ended at cycle ${this.cycles} without a start`);
          continue;
        }
        r.cycles += this.cycles - opened[0];
        r.cost += this.cost - opened[1];
      }
    }
    this.pending.length = 0;
  }
}
