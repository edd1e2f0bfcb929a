import { alu, branchTaken } from './alu.js';
import { asBytes, ByteSink } from './bytes.js';
import { type CodeRom, codeRomFor, NOT_CODE } from './code.js';
import { decode } from './decode.js';
import { familyColumnViews } from './derived-columns.js';
import type { ElfProgram } from './elf.js';
import {
  BadFileDescriptorError,
  CycleLimitError,
  hex32,
  IllegalInstructionError,
  LayoutError,
  MisalignedAccessError,
  UnknownSyscallError,
  UnmappedAddressError,
  VmConfigError,
  VmFault,
} from './errors.js';
import { asProgram, checkMaxCycles, MAX_TRACE_CYCLES } from './execute.js';
import {
  CUSTOM_COLUMNS,
  ExtensionRecords,
  type InstructionTable,
  instructionTable,
  PRECOMPILE_READ_SLOT,
  PRECOMPILE_WRITE_SLOT,
  pointerArgs,
  precompileAddresses,
  type SyscallExtension,
  type SyscallTable,
  syscallColumns,
  syscallTable,
} from './extensions.js';
import { checkFamilyNames, type FamilyPartition, familyPartition } from './families.js';
import {
  FAMILIES,
  FD_DEBUG_LOG,
  FD_PRIVATE_INPUT,
  FD_PUBLIC_INPUT,
  FD_PUBLIC_OUTPUT,
  MNEMONICS,
  Op,
  readsRs1,
  readsRs2,
  SYS_EXIT,
  SYS_READ,
  SYS_WRITE,
} from './isa.js';
import { type Layout, validateLayout } from './layout.js';
import { compileThreshold, missingCustom, type RunOptions, syscallOwner } from './machine.js';
import { type MemoryMap, memoryMapFor } from './memory.js';
// NOT_IN_LAYOUT: mts of storage words outside the layout (any access to them is a LayoutError).
import { NOT_IN_LAYOUT, type Pass2Checkpoints, type Pass2State } from './pass2-checkpoints.js';
import {
  COLUMN_IDS,
  type FamilyRecords,
  IO_COLUMNS,
  newRecordTables,
  type PrecompileRecords,
  type Records,
  RecordTable,
  type SegmentInfo,
} from './records.js';
import {
  compileTraceBlock,
  type TraceBlockFn,
  type TraceRuntime,
  type TraceState,
} from './trace-jit.js';

/** Options of pass 2. */
export interface RecordOptions extends RunOptions {
  /** Cycle limit (at most, and by default, MAX_TRACE_CYCLES). */
  readonly maxCycles?: number;
  /**
   * true (default): compile a block once it has run HOT_INSTRUCTIONS instructions. false:
   * interpret every instruction. 'eager': compile every block at its first run, so that short
   * test programs exercise the compiled code too. All three give the same records (tests
   * compare them).
   */
  readonly jit?: boolean | 'eager';
}

// Global column ids (see COLUMN_IDS), hoisted for the hot loop.
const K_A0 = COLUMN_IDS.a0!;
const K_A0_TS = COLUMN_IDS.a0Ts!;
const K_A1 = COLUMN_IDS.a1!;
const K_A1_TS = COLUMN_IDS.a1Ts!;
const K_A2 = COLUMN_IDS.a2!;
const K_A2_TS = COLUMN_IDS.a2Ts!;
const K_A7 = COLUMN_IDS.a7!;
const K_A7_TS = COLUMN_IDS.a7Ts!;
const K_ADDR = COLUMN_IDS.addr!;
const K_BYTE = COLUMN_IDS.byte!;
const K_CLK = COLUMN_IDS.clk!;
const K_FD = COLUMN_IDS.fd!;
const K_IMM = COLUMN_IDS.imm!;
const K_IO_LEN = COLUMN_IDS.ioLen!;
const K_IO_START = COLUMN_IDS.ioStart!;
const K_MEM_ADDR = COLUMN_IDS.memAddr!;
const K_MEM_PREV = COLUMN_IDS.memPrev!;
const K_MEM_PREV_TS = COLUMN_IDS.memPrevTs!;
const K_MEM_VAL = COLUMN_IDS.memVal!;
const K_NEXT_PC = COLUMN_IDS.nextPc!;
const K_OFFSET = COLUMN_IDS.offset!;
const K_OP = COLUMN_IDS.op!;
const K_PC = COLUMN_IDS.pc!;
const K_RD_PREV = COLUMN_IDS.rdPrev!;
const K_RD_PREV_TS = COLUMN_IDS.rdPrevTs!;
const K_RD = COLUMN_IDS.rd!;
const K_RD_VAL = COLUMN_IDS.rdVal!;
const K_RS1 = COLUMN_IDS.rs1!;
const K_RS1_TS = COLUMN_IDS.rs1Ts!;
const K_RS1_VAL = COLUMN_IDS.rs1Val!;
const K_RS2 = COLUMN_IDS.rs2!;
const K_RS2_TS = COLUMN_IDS.rs2Ts!;
const K_RS2_VAL = COLUMN_IDS.rs2Val!;
const K_TS = COLUMN_IDS.ts!;
const K_WORD = COLUMN_IDS.word!;

/**
 * A block is compiled once it has run this many instructions (interpreted before). Compiling
 * one costs ~0.3 ms in a fresh process, what interpreting ~1-2 thousand instructions costs there,
 * so a short run interprets: compiled after 8 executions, the fib demo's blocks took its pass 2 to
 * 26 ms, against 8 ms interpreting all of its 5.6 k cycles. A long run loses at most this
 * many interpreted instructions per hot block (no change measured on long.elf's 16.5 M cycles).
 */
const HOT_INSTRUCTIONS = 1024;
/**
 * Most cycles one call of a looping compiled block runs (it returns to the dispatcher, which
 * calls it again). Short calls let V8 optimise the block as a whole function, its exit
 * included: a block looping for millions of cycles in one call is optimised on the stack
 * (OSR), and V8 reuses that code on every later call although it deoptimises at the first
 * exit, each time (measured: the sieve's inner loop ran 3x slower than the rest).
 */
const SLICE = 4096;
/** Initial capacity of a table whose exact row count the layout does not give. */
const START_ROWS = 4096;

/**
 * Pass 2 (riscv.md section 3): re-executes the guest with a fixed layout and records, per
 * instruction family, every row its AIR needs, plus the io table, the memory images and the
 * register file. Semantics are those of pass 1 (differential tests hold both to qemu).
 *
 * Timestamps: the accesses of cycle clk (1-based) use ts = 4·clk + 0 (rs1), + 1 (rs2), + 2 (rd),
 * + 3 (the RAM word of a load or store); an ecall reads a7, a0, a1, a2 at 4·clk (four different
 * registers, so one timestamp is enough: the memory argument orders accesses per address) and
 * writes a0 at 4·clk + 2; the io byte at address A of a read/write syscall accesses its RAM word
 * at 4·clk + (A mod 4), increasing within a word because a transfer moves each address once, in
 * increasing order. Every initial value has ts 0. So per address, timestamps strictly increase,
 * and each access's (previous value, previous ts) is exactly what the preceding access (or the
 * init row) produced: the memory argument balances.
 *
 * @example
 * const run = execute(program, inputs);
 * const records = generateRecords(program, deriveLayout(run.stats), inputs);
 * records.families.add.columns.rs1Val; // Uint32Array, one entry per add/addi row
 */
export function generateRecords(
  program: ElfProgram | Uint8Array,
  layout: Layout,
  options: RecordOptions = {},
): Records {
  const prog = asProgram(program);
  validateLayout(layout);
  const limit = checkMaxCycles(options.maxCycles, MAX_TRACE_CYCLES);
  const tracer = new Tracer(prog, layout, options);
  tracer.setJit(options.jit);
  return tracer.run(limit);
}

/**
 * Pass 2 in segments of `segmentCycles` cycles: the same rows as `generateRecords`, cut by clk,
 * each segment's records yielded as soon as it is complete (so one segment's records are alive
 * at a time; see SegmentInfo for what each holds).
 *
 * @example
 * for (const records of recordSegments(program, deriveLayout(run.stats), { ...inputs, segmentCycles: 2 ** 20 })) {
 *   prove(records); // then drop them
 * }
 */
export function* recordSegments(
  program: ElfProgram | Uint8Array,
  layout: Layout,
  options: SegmentOptions,
): Generator<Records> {
  const size = options.segmentCycles;
  if (!Number.isInteger(size) || size < 1)
    throw new VmConfigError(`segmentCycles must be a positive integer (got ${size})`);
  const prog = asProgram(program);
  validateLayout(layout);
  const limit = checkMaxCycles(options.maxCycles, MAX_TRACE_CYCLES);
  const tracer = new Tracer(prog, layout, options);
  tracer.setJit(options.jit);
  let first = 0;
  const store = options.checkpoints;
  if (store !== undefined) {
    store.bind(layout, size);
    const from = options.fromSegment ?? 0;
    if (!Number.isInteger(from) || from < 0)
      throw new VmConfigError(`fromSegment must be a non-negative integer (got ${from})`);
    const near = store.nearest(from);
    if (near !== undefined && near.segment > 0) {
      tracer.resume(store, near.index);
      first = near.segment;
    }
  }
  yield* tracer.segments(limit, size, options.reuseBuffers === true, first, store);
}

export interface SegmentOptions extends RecordOptions {
  /** Cycles per segment (the last one may be shorter). */
  readonly segmentCycles: number;
  /**
   * Reuse one segment's record buffers for the next (faster: no fresh memory per segment):
   * a segment's records are then valid only until the next one is requested. Default false.
   */
  readonly reuseBuffers?: boolean;
  /**
   * Checkpoints of this run's pass 2, kept by the caller across calls: a checkpoint is taken at
   * each segment start the run passes that the store lacks (every `checkpoints.every` segments),
   * and with `fromSegment` the run resumes from the last one at or before that segment, so the
   * first segment yielded is the checkpoint's (its `segment.index` says which), not segment 0.
   * The records are the same as from cycle 0 (tested).
   */
  readonly checkpoints?: Pass2Checkpoints;
  /** With `checkpoints`: the segment wanted (default 0). */
  readonly fromSegment?: number;
}

class Tracer implements TraceRuntime {
  /** false: interpret every instruction (tests compare this against the compiled blocks). */
  private jit = true;
  /** Instructions a block runs before it is compiled. */
  private hotInstructions = HOT_INSTRUCTIONS;
  /**
   * Whether every row writes all its table's stored columns (segments reusing their tables,
   * which are rewound, not zeroed); else rows are fresh zeroed memory.
   */
  private completeRows = false;

  /** RecordOptions.jit. */
  setJit(jit: boolean | 'eager' | undefined): void {
    this.hotInstructions = compileThreshold(jit, HOT_INSTRUCTIONS);
    this.jit = jit !== false;
  }
  private readonly program: ElfProgram;
  private readonly layout: Layout;
  private readonly map: MemoryMap;
  private readonly rom: CodeRom;
  private readonly xv = new Int32Array(32);
  private readonly xts = new Uint32Array(32);
  private readonly words: Int32Array;
  private readonly mts: Uint32Array;
  private readonly initValues: Uint32Array;
  private readonly partition: FamilyPartition;
  private tables: RecordTable[] = [];
  private io: RecordTable = RecordTable.EMPTY;
  /** The next instruction's pc and the cycles completed (runs resume where they stopped). */
  private pc: number;
  private clk = 0;
  /** Instructions run per ROM block start (blocks are compiled once hot). */
  private readonly hits: Uint32Array;
  private readonly publicInput: Uint8Array;
  private readonly privateInput: Uint8Array;
  private publicPos = 0;
  private privatePos = 0;
  /** Per fd 0..3 (the tapes): bytes moved, exhausted (reads), clk of the last read or write. */
  private readonly tapePosition = new Uint32Array(4);
  private readonly tapeEnded = new Uint8Array(4);
  private readonly tapeLastClk = new Uint32Array(4);
  private readonly output = new ByteSink();
  private readonly log = new ByteSink();
  private logLength = 0;
  private readonly onLog: ((bytes: Uint8Array) => void) | undefined;
  private halted = false;
  private exitCode = 0;
  private readonly precompiles: SyscallTable;
  private readonly customs: InstructionTable;
  private readonly precompileTables = new Map<string, ExtensionRecords>();

  constructor(program: ElfProgram, layout: Layout, options: RecordOptions) {
    this.program = program;
    this.layout = layout;
    this.map = memoryMapFor(program, options);
    this.rom = codeRomFor(program);
    this.words = this.map.allocWords();
    this.mts = new Uint32Array(this.words.length).fill(NOT_IN_LAYOUT);
    const addrs = layout.addresses;
    this.initValues = new Uint32Array(addrs.length);
    for (let k = 0; k < addrs.length; k++) {
      const a = addrs[k]!;
      // A word the guest can touch: at least one of its bytes is mapped (a segment may end
      // inside a word; byte accesses to its mapped part are legal).
      let mapped = false;
      for (let b = 0; b < 4; b++) mapped ||= this.map.regionAt(a + b) !== undefined;
      if (!mapped) {
        throw new VmConfigError(`layout address ${hex32(a)} is not a mapped word of this program`, {
          address: a,
        });
      }
      const i = this.map.wordIndex(a);
      this.mts[i] = 0;
      this.initValues[k] = this.words[i]!;
    }
    this.xv[2] = this.map.initialSp | 0;
    this.pc = program.entry;
    this.hits = new Uint32Array(this.rom.length);
    this.publicInput = asBytes(options.publicInput, 'publicInput', VmConfigError);
    this.privateInput = asBytes(options.privateInput, 'privateInput', VmConfigError);
    this.onLog = options.onLog;
    this.partition = familyPartition(options.families);
    this.precompiles = syscallTable(options.syscalls);
    this.customs = instructionTable(options.instructions, this.precompiles);
    checkFamilyNames(this.partition, [...this.precompiles.values(), ...this.customs.values()]);
  }

  /**
   * Empties the tables for the next segment. The family tables are rewound, not zeroed: rows
   * are then written whole (`completeRows`); the io table's few rows are zeroed; extension
   * tables start fresh.
   */
  private reuseTables(): void {
    for (const t of this.tables) t.rewind();
    this.io.clear();
    this.newExtensionTables();
  }

  /**
   * Fresh records tables (a segment hands its tables out and the next one starts empty),
   * allocated for the exact counts when the layout has them, scaled to a segment's share of
   * the run when it covers `segmentCycles` (tables grow by doubling if a segment needs more);
   * the family tables share one buffer (`newRecordTables`).
   */
  private newTables(segmentCycles: number): void {
    const layout = this.layout;
    const used = layout.used;
    let share = 1;
    if (used !== undefined && Number.isFinite(segmentCycles)) {
      let total = 0;
      for (const n of Object.values(used.rows)) total += n;
      share = total > 0 ? Math.min(1, segmentCycles / total) : 1;
    }
    const start = (exact: number | undefined, limit: number) =>
      exact === undefined
        ? Math.min(limit, START_ROWS)
        : Math.min(limit, exact, share === 1 ? exact : segmentCycles);
    this.tables = newRecordTables(
      this.partition.families.map(({ name }, f) => {
        const limit = layout.rows[name] ?? 0;
        const columns = this.partition.stored[f]!;
        return { name, columns, capacity: start(used?.rows[name], limit), limit };
      }),
    );
    this.io = new RecordTable(
      'io',
      IO_COLUMNS,
      start(layout.used?.ioRows, layout.ioRows),
      layout.ioRows,
    );
    this.newExtensionTables();
  }

  /** Fresh records of the precompiles and custom instructions (few rows: grown on demand). */
  private newExtensionTables(): void {
    const layout = this.layout;
    for (const ext of this.customs.values()) {
      const limitRows = layout.precompileRows?.[ext.table] ?? 0;
      this.precompileTables.set(
        ext.table,
        new ExtensionRecords(ext.table, CUSTOM_COLUMNS, limitRows),
      );
    }
    for (const ext of this.precompiles.values()) {
      const limitRows = layout.precompileRows?.[ext.table] ?? 0;
      this.precompileTables.set(
        ext.table,
        new ExtensionRecords(ext.table, syscallColumns(ext), limitRows),
      );
    }
  }

  /** Runs to the guest's exit: the records of the whole run. */
  run(limit: number): Records {
    this.newTables(Number.POSITIVE_INFINITY);
    this.advance(limit, Number.POSITIVE_INFINITY);
    return this.finish(this.clk, this.pc);
  }

  /**
   * Runs segment after segment of `size` cycles (the last one shorter), yielding each one's
   * records as soon as it is complete; its tables are then the caller's and the next segment
   * starts with fresh ones, so the records of one segment are alive at a time.
   */
  *segments(
    limit: number,
    size: number,
    reuse: boolean,
    first = 0,
    store?: Pass2Checkpoints,
  ): Generator<Records> {
    // A checkpoint at a segment start is taken as the segment before it ends, so a caller that
    // stops after segment k has the checkpoint of k + 1 when one is due there.
    const take = () => store?.add(this.state(), this.words, this.mts, this.output, this.log);
    if (store?.wants(first)) take();
    for (let index = first; !this.halted; index++) {
      this.completeRows = reuse;
      if (index === first || !reuse) this.newTables(size);
      else this.reuseTables();
      const firstClk = this.clk + 1;
      const startPc = this.pc;
      const tapes = {
        position: this.tapePosition.slice(),
        ended: this.tapeEnded.slice(),
        lastClk: this.tapeLastClk.slice(),
      };
      this.advance(limit, this.clk + size);
      if (!this.halted && store?.wants(index + 1)) take();
      const segment: SegmentInfo = {
        index,
        firstClk,
        lastClk: this.clk,
        startPc,
        tapes,
        last: this.halted,
      };
      yield this.finish(this.clk, this.pc, segment);
    }
  }

  /** The state a checkpoint keeps (copies: the run goes on). */
  private state(): Pass2State {
    return {
      clk: this.clk,
      pc: this.pc,
      halted: this.halted,
      exitCode: this.exitCode,
      xv: this.xv.slice(),
      xts: this.xts.slice(),
      publicPos: this.publicPos,
      privatePos: this.privatePos,
      tapePosition: this.tapePosition.slice(),
      tapeEnded: this.tapeEnded.slice(),
      tapeLastClk: this.tapeLastClk.slice(),
      outputLength: this.output.length,
      logKept: this.log.length,
      logLength: this.logLength,
    };
  }

  /** Puts this fresh tracer (nothing run yet) in the state of checkpoint `index` of `store`. */
  resume(store: Pass2Checkpoints, index: number): void {
    if (this.clk !== 0) throw new Error('resume() is for a tracer that has not run');
    const { state, output, log } = store.restore(index, this.words, this.mts);
    this.clk = state.clk;
    this.pc = state.pc;
    this.halted = state.halted;
    this.exitCode = state.exitCode;
    this.xv.set(state.xv);
    this.xts.set(state.xts);
    this.publicPos = state.publicPos;
    this.privatePos = state.privatePos;
    this.tapePosition.set(state.tapePosition);
    this.tapeEnded.set(state.tapeEnded);
    this.tapeLastClk.set(state.tapeLastClk);
    this.output.append(output);
    this.log.append(log);
    this.logLength = state.logLength;
  }

  /**
   * Executes until the guest exits or `stopAt` cycles have completed (the end of a segment);
   * CycleLimitError past `limit`.
   */
  private advance(limit: number, stopAt: number): void {
    const rom = this.rom;
    // Compiled blocks bake in the family tables' ids and column slots.
    const complete = this.completeRows;
    const fns = rom.cache<TraceBlockFn>(
      `pass2 ${this.partition.key}${complete ? ' complete rows' : ''}`,
    );
    const hits = this.hits;
    const hot = this.hotInstructions;
    const bound = Math.min(limit, stopAt);
    const S: TraceState = {
      xv: this.xv,
      xts: this.xts,
      words: this.words,
      mts: this.mts,
      rp: this.map.readPage,
      wp: this.map.writePage,
      tables: this.tables,
      clk: 0,
      // A looping compiled block stops before passing it: the segment's end or the limit.
      limit: bound,
      rt: this,
    };
    let pc = this.pc;
    let clk = this.clk;
    let blockPc = -1;
    try {
      while (!this.halted) {
        const wi = rom.indexOf(pc);
        if (wi < 0) this.fetchFault(pc);
        const len = rom.blockLength(wi);
        if (len === 0 || clk + len > bound || !this.jit) {
          // One instruction at a time: faults at the block start, the tail before the cycle
          // limit or the segment's end, or the interpreter-only mode tests compare the
          // compiled blocks against.
          if (clk >= stopAt) break;
          if (clk >= limit) throw new CycleLimitError(pc, limit);
          pc = this.step(wi, pc, clk + 1);
          clk++;
          continue;
        }
        let f = fns[wi];
        if (f === undefined) {
          const ran = hits[wi]! + len;
          hits[wi] = ran;
          if (ran >= hot) {
            f = compileTraceBlock(rom, wi, len, this.partition, complete);
            fns[wi] = f;
          }
        }
        if (f !== undefined) {
          S.clk = clk;
          S.limit = Math.min(bound, clk + SLICE);
          blockPc = pc;
          const next = f(S);
          blockPc = -1;
          if (next >= 0) {
            pc = next;
            clk = S.clk;
            continue;
          }
        }
        for (let k = 0; k < len; k++) {
          pc = this.exec(wi + k, pc, clk + 1);
          clk++;
        }
      }
    } catch (e) {
      if (e instanceof VmFault) {
        // In a compiled block, the instructions before the faulting pc completed (S.clk is the
        // cycle count at the start of the block, or of the current iteration of a loop).
        e.clk = blockPc >= 0 ? S.clk + ((e.pc - blockPc) >>> 0) / 4 + 1 : clk + 1;
      }
      throw e;
    }
    this.pc = pc;
    this.clk = clk;
  }

  /** Executes one instruction at ROM index wi (checking that it is code and legal). */
  private step(wi: number, pc: number, clk: number): number {
    const op = this.rom.op[wi]!;
    if (op === NOT_CODE) this.fetchFault(pc);
    if (op === Op.ILLEGAL) {
      const d = decode(this.rom.word[wi]!);
      throw new IllegalInstructionError(pc, d.word, d.reason ?? 'not an RV32IM instruction');
    }
    return this.exec(wi, pc, clk);
  }

  // ---- TraceRuntime: the slow paths of compiled blocks --------------------------------------

  slowIndex(pc: number, a: number, size: number, store: boolean): number {
    return this.map.checkAccess(pc, a, size, store ? 'store' : 'load');
  }

  misaligned(pc: number, a: number, op: number): never {
    const store = op >= Op.SB && op <= Op.SW;
    const size =
      op === Op.LW || op === Op.SW ? 4 : op === Op.LH || op === Op.LHU || op === Op.SH ? 2 : 1;
    throw new MisalignedAccessError(pc, a, store ? 'store' : 'load', size);
  }

  misalignedJump(pc: number, target: number): never {
    throw new MisalignedAccessError(pc, target, 'fetch', 4);
  }

  private fetchFault(pc: number): never {
    if ((pc & 3) !== 0) throw new MisalignedAccessError(pc, pc, 'fetch', 4);
    throw new UnmappedAddressError(pc, pc, 'fetch', 4);
  }

  /** Storage index of the word holding `a` for a checked access (alignment, mapping, layout). */
  private wordFor(pc: number, a: number, size: number, store: boolean): number {
    if ((a & (size - 1)) !== 0)
      throw new MisalignedAccessError(pc, a, store ? 'store' : 'load', size);
    const p = ~(store ? this.map.writePage : this.map.readPage)[a >>> 12]!;
    const i =
      p >= 0
        ? (p << 10) | ((a >>> 2) & 1023)
        : this.map.checkAccess(pc, a, size, store ? 'store' : 'load');
    if (this.mts[i] === NOT_IN_LAYOUT) this.notInLayout(pc, a);
    return i;
  }

  notInLayout(pc: number, a: number): never {
    throw new LayoutError(pc, `memory word ${hex32(a & ~3)} is not in the layout's address list`, {
      address: (a & ~3) >>> 0,
    });
  }

  /** Interprets the (legal) instruction at ROM index wi as cycle clk; returns the next pc. */
  exec(wi: number, pc: number, clk: number): number {
    const rom = this.rom;
    const xv = this.xv;
    const xts = this.xts;
    const op = rom.op[wi]!;
    if (op === Op.CUSTOM) return this.custom(wi, pc, clk);
    // A precompile call is a row of its own table, not of the ecall table.
    if (op === Op.ECALL) {
      const ext = this.precompiles.get(this.xv[17]!);
      if (ext !== undefined) return this.precompile(pc, clk, ext);
    }
    const t = this.tables[this.partition.familyOf[op]!];
    if (t === undefined) this.unclaimed(pc, op);
    const r = t.length;
    if (r >= t.capacity) t.grow(pc);
    // A reused row holds the previous segment's values; the writes below skip some columns.
    if (this.completeRows) t.zeroRow(r);
    const c = t.cols;
    const ts = 4 * clk;
    const rd = rom.rd[wi]!;
    const rs1 = rom.rs1[wi]!;
    const rs2 = rom.rs2[wi]!;
    const imm = rom.imm[wi]!;
    let next = (pc + 4) >>> 0;
    // Only the stored columns are written (partition.stored): word, rdVal, memAddr, memVal
    // and most nextPc follow from them (derived-columns.ts). A column the table lacks is an
    // empty array, where a store does nothing.
    c[K_CLK]![r] = clk;
    c[K_PC]![r] = pc;
    c[K_OP]![r] = this.partition.localOpOf[op]!;
    if (op === Op.ECALL) return this.ecall(t, r, pc, clk, wi);
    if (op === Op.FENCE) {
      t.length = r + 1;
      return next;
    }
    c[K_IMM]![r] = imm;
    // rs1 (every instruction but lui, auipc, jal)
    let a = 0;
    if (readsRs1(op)) {
      a = xv[rs1]!;
      c[K_RS1]![r] = rs1;
      c[K_RS1_VAL]![r] = a;
      c[K_RS1_TS]![r] = xts[rs1]!;
      xts[rs1] = ts;
    }
    // rs2 (R-type ALU ops, branches, stores)
    let b = imm;
    const hasRs2 = readsRs2(op);
    if (hasRs2) {
      b = xv[rs2]!;
      c[K_RS2]![r] = rs2;
      c[K_RS2_VAL]![r] = b;
      c[K_RS2_TS]![r] = xts[rs2]!;
      xts[rs2] = ts + 1;
    }
    let v = 0;
    switch (op) {
      case Op.LUI:
        v = imm;
        break;
      case Op.AUIPC:
        v = (pc + imm) | 0;
        break;
      case Op.JAL:
        next = (pc + imm) >>> 0;
        if ((next & 3) !== 0) throw new MisalignedAccessError(pc, next, 'fetch', 4);
        v = (pc + 4) | 0;
        break;
      case Op.JALR:
        next = ((a + imm) & -2) >>> 0;
        if ((next & 3) !== 0) throw new MisalignedAccessError(pc, next, 'fetch', 4);
        v = (pc + 4) | 0;
        break;
      case Op.BEQ:
      case Op.BNE:
      case Op.BLT:
      case Op.BGE:
      case Op.BLTU:
      case Op.BGEU: {
        const taken = branchTaken(op, a, b);
        if (taken) {
          next = (pc + imm) >>> 0;
          if ((next & 3) !== 0) throw new MisalignedAccessError(pc, next, 'fetch', 4);
        }
        c[K_NEXT_PC]![r] = next;
        t.length = r + 1;
        return next;
      }
      case Op.LB:
      case Op.LH:
      case Op.LW:
      case Op.LBU:
      case Op.LHU: {
        const addr = (a + imm) | 0;
        const size = op === Op.LW ? 4 : op === Op.LH || op === Op.LHU ? 2 : 1;
        const i = this.wordFor(pc, addr, size, false);
        const word = this.words[i]!;
        c[K_MEM_PREV]![r] = word;
        c[K_MEM_PREV_TS]![r] = this.mts[i]!;
        this.mts[i] = ts + 3;
        if (op === Op.LW) v = word;
        else if (op === Op.LH) v = (word << (16 - ((addr & 2) << 3))) >> 16;
        else if (op === Op.LHU) v = (word >>> ((addr & 2) << 3)) & 0xffff;
        else if (op === Op.LB) v = (word << (24 - ((addr & 3) << 3))) >> 24;
        else v = (word >>> ((addr & 3) << 3)) & 0xff;
        break;
      }
      case Op.SB:
      case Op.SH:
      case Op.SW: {
        const addr = (a + imm) | 0;
        const size = op === Op.SW ? 4 : op === Op.SH ? 2 : 1;
        const i = this.wordFor(pc, addr, size, true);
        const word = this.words[i]!;
        let nw: number;
        if (size === 4) nw = b;
        else if (size === 2) {
          const s = (addr & 2) << 3;
          nw = (word & ~(0xffff << s)) | ((b & 0xffff) << s);
        } else {
          const s = (addr & 3) << 3;
          nw = (word & ~(0xff << s)) | ((b & 0xff) << s);
        }
        this.words[i] = nw;
        c[K_MEM_PREV]![r] = word;
        c[K_MEM_PREV_TS]![r] = this.mts[i]!;
        this.mts[i] = ts + 3;
        t.length = r + 1;
        return next;
      }
      default:
        // b is rs2 or the immediate (see hasRs2): the semantics declared once in alu.ts.
        v = alu(op, a, b);
    }
    // rd: a write to x0 is dropped and is no access at all (the AIR's rd access has
    // multiplicity sel·(rd != 0)), so x0's timestamp only moves on reads; the row still records
    // rd = 0 and value 0.
    c[K_RD]![r] = rd;
    c[K_RD_PREV]![r] = xv[rd]!;
    c[K_RD_PREV_TS]![r] = xts[rd]!;
    if (rd !== 0) {
      xts[rd] = ts + 2;
      xv[rd] = v;
    }
    c[K_NEXT_PC]![r] = next;
    t.length = r + 1;
    return next;
  }

  /** An instruction no family of this machine records: the build cannot prove the run. */
  private unclaimed(pc: number, op: number): never {
    throw new VmConfigError(
      `the guest executes ${MNEMONICS[op]} at ${hex32(pc)}, which no instruction family of this machine records: add the plugin that proves it`,
      { pc, mnemonic: MNEMONICS[op] },
    );
  }

  /** The ecall row (its table stores every column: its op is the syscall). */
  private ecall(t: RecordTable, r: number, pc: number, clk: number, wi: number): number {
    const c = t.cols;
    c[K_WORD]![r] = this.rom.word[wi]!;
    const xv = this.xv;
    const xts = this.xts;
    const ts = 4 * clk;
    const a7 = xv[17]!;
    const a0 = xv[10]!;
    const a1 = xv[11]!;
    const a2 = xv[12]!;
    const next = (pc + 4) >>> 0;
    let local: number;
    if (a7 === SYS_EXIT) local = 0;
    else if (a7 === SYS_READ) {
      if (a0 !== FD_PRIVATE_INPUT && a0 !== FD_PUBLIC_INPUT)
        throw new BadFileDescriptorError(pc, 'read', a0);
      local = 1;
    } else if (a7 === SYS_WRITE) {
      if (a0 !== FD_PUBLIC_OUTPUT && a0 !== FD_DEBUG_LOG)
        throw new BadFileDescriptorError(pc, 'write', a0);
      local = 2;
    } else
      throw new UnknownSyscallError(pc, a7, syscallOwner(this.program, a7), [
        ...this.precompiles.keys(),
      ]);
    // The four argument registers are read at 4·clk (distinct addresses, one timestamp).
    c[K_A7]![r] = a7;
    c[K_A7_TS]![r] = xts[17]!;
    c[K_A0]![r] = a0;
    c[K_A0_TS]![r] = xts[10]!;
    c[K_A1]![r] = a1;
    c[K_A1_TS]![r] = xts[11]!;
    c[K_A2]![r] = a2;
    c[K_A2_TS]![r] = xts[12]!;
    xts[17] = ts;
    xts[10] = ts;
    xts[11] = ts;
    xts[12] = ts;
    c[K_OP]![r] = local;
    c[K_NEXT_PC]![r] = next;
    const ioStart = this.io.length;
    let result = a0;
    if (local === 0) {
      this.halted = true;
      this.exitCode = a0;
    } else if (local === 1) {
      const buf = a1 >>> 0;
      const isPublic = a0 === FD_PUBLIC_INPUT;
      const tape = isPublic ? this.publicInput : this.privateInput;
      const pos = isPublic ? this.publicPos : this.privatePos;
      const n = Math.min(a2 >>> 0, tape.length - pos);
      this.map.checkRange(pc, buf, n, 'store');
      for (let k = 0; k < n; k++)
        this.ioByte(pc, clk, a0, pos + k, (buf + k) >>> 0, tape[pos + k]!, true);
      if (isPublic) this.publicPos += n;
      else this.privatePos += n;
      // A read returning fewer bytes than asked exhausts its tape.
      if (n < a2 >>> 0) this.tapeEnded[a0] = 1;
      result = n;
    } else {
      const buf = a1 >>> 0;
      const len = a2 >>> 0;
      this.map.checkRange(pc, buf, len, 'load');
      const toOutput = a0 === FD_PUBLIC_OUTPUT;
      const pos = toOutput ? this.output.length : this.logLength;
      const chunk = new Uint8Array(len);
      for (let k = 0; k < len; k++)
        chunk[k] = this.ioByte(pc, clk, a0, pos + k, (buf + k) >>> 0, 0, false);
      if (toOutput) this.output.append(chunk);
      else {
        this.logLength += len;
        if (this.onLog !== undefined) this.onLog(chunk);
        else this.log.append(chunk);
      }
      result = len;
    }
    // read/write return their count in a0 (prev value: a0 as just read at 4·clk); exit writes
    // nothing (the machine stops).
    if (local !== 0) {
      this.tapePosition[a0] = (this.tapePosition[a0]! + result) >>> 0;
      this.tapeLastClk[a0] = clk;
      xv[10] = result;
      xts[10] = ts + 2;
    }
    c[K_RD_VAL]![r] = result;
    c[K_IO_START]![r] = ioStart;
    c[K_IO_LEN]![r] = this.io.length - ioStart;
    t.length = r + 1;
    return next;
  }

  /**
   * A custom instruction: one row of its table, with the register accesses of an R-type ALU
   * op (rs1 at 4·clk, rs2 at 4·clk + 1, rd at 4·clk + 2, none for rd = x0).
   */
  private custom(wi: number, pc: number, clk: number): number {
    const rom = this.rom;
    const key = rom.imm[wi]!;
    const ext = this.customs.get(key);
    if (ext === undefined) throw missingCustom(this.program, pc, rom.word[wi]!, key);
    const table = this.precompileTables.get(ext.table)!;
    const row = table.push(pc);
    const xv = this.xv;
    const xts = this.xts;
    const ts = 4 * clk;
    const rd = rom.rd[wi]!;
    const rs1 = rom.rs1[wi]!;
    const rs2 = rom.rs2[wi]!;
    const a = xv[rs1]!;
    const set = (name: string, v: number) => {
      table.col(name)[row] = v;
    };
    set('clk', clk);
    set('pc', pc);
    set('word', rom.word[wi]!);
    set('rs1', rs1);
    set('rs1Val', a);
    set('rs1Ts', xts[rs1]!);
    xts[rs1] = ts;
    const b = xv[rs2]!;
    set('rs2', rs2);
    set('rs2Val', b);
    set('rs2Ts', xts[rs2]!);
    xts[rs2] = ts + 1;
    let v = ext.compute(a, b) | 0;
    set('rd', rd);
    set('rdPrev', xv[rd]!);
    set('rdPrevTs', xts[rd]!);
    if (rd === 0) v = 0;
    else {
      xts[rd] = ts + 2;
      xv[rd] = v;
    }
    set('rdVal', v);
    return (pc + 4) >>> 0;
  }

  /**
   * A precompile call (extensions.ts): one row of its table. a7 and the pointer registers are
   * read at 4·clk, the read-only regions' words at 4·clk + 1, the written regions' words read,
   * computed and written at 4·clk + 3, and a0 := 0 at 4·clk + 2.
   */
  private precompile(pc: number, clk: number, ext: SyscallExtension): number {
    const table = this.precompileTables.get(ext.table)!;
    const row = table.push(pc);
    const xv = this.xv;
    const xts = this.xts;
    const ts = 4 * clk;
    const set = (name: string, v: number) => {
      table.col(name)[row] = v;
    };
    set('clk', clk);
    set('pc', pc);
    set('a7Ts', xts[17]!);
    xts[17] = ts;
    const args = pointerArgs(ext);
    if (!args.includes(0)) args.unshift(0);
    for (const a of args) {
      set(`a${a}`, xv[10 + a]!);
      set(`a${a}Ts`, xts[10 + a]!);
      xts[10 + a] = ts;
    }
    const addrs = precompileAddresses(pc, ext, xv, this.map);
    const values = new Uint32Array(addrs.length);
    const index = new Int32Array(addrs.length);
    for (let k = 0; k < addrs.length; k++) {
      const i = this.map.wordIndex(addrs[k]!);
      if (this.mts[i] === NOT_IN_LAYOUT) this.notInLayout(pc, addrs[k]!);
      index[k] = i;
    }
    let k = 0;
    for (const r of ext.regions) {
      for (let j = 0; j < r.words; j++, k++) {
        const i = index[k]!;
        set(`m${k}Addr`, addrs[k]!);
        if (!r.writes) {
          // Read-only words: accessed (and their previous timestamps taken) now, at 4·clk + 1.
          set(`m${k}Prev`, this.words[i]!);
          set(`m${k}PrevTs`, this.mts[i]!);
          this.mts[i] = ts + PRECOMPILE_READ_SLOT;
        }
        values[k] = this.words[i]!;
      }
    }
    ext.compute(values);
    k = 0;
    for (const r of ext.regions) {
      for (let j = 0; j < r.words; j++, k++) {
        const i = index[k]!;
        if (r.writes) {
          set(`m${k}Prev`, this.words[i]!);
          set(`m${k}PrevTs`, this.mts[i]!);
          this.words[i] = values[k]! | 0;
          this.mts[i] = ts + PRECOMPILE_WRITE_SLOT;
        }
        set(`m${k}Val`, this.words[i]!);
      }
    }
    xv[10] = 0;
    xts[10] = ts + 2;
    return (pc + 4) >>> 0;
  }

  /** One io row: moves a byte between a tape and the RAM word holding `addr`. */
  private ioByte(
    pc: number,
    clk: number,
    fd: number,
    offset: number,
    addr: number,
    byte: number,
    toMemory: boolean,
  ): number {
    const io = this.io;
    const r = io.length;
    if (r >= io.capacity) io.grow(pc);
    const i = this.map.wordIndex(addr);
    if (this.mts[i] === NOT_IN_LAYOUT) this.notInLayout(pc, addr);
    const word = this.words[i]!;
    const s = (addr & 3) << 3;
    let nw = word;
    if (toMemory) nw = (word & ~(0xff << s)) | (byte << s);
    else byte = (word >>> s) & 0xff;
    const ts = 4 * clk + (addr & 3);
    const c = io.cols;
    c[K_CLK]![r] = clk;
    c[K_FD]![r] = fd;
    c[K_OFFSET]![r] = offset;
    c[K_ADDR]![r] = addr;
    c[K_BYTE]![r] = byte;
    c[K_MEM_ADDR]![r] = addr & ~3;
    c[K_MEM_PREV]![r] = word;
    c[K_MEM_PREV_TS]![r] = this.mts[i]!;
    c[K_MEM_VAL]![r] = nw;
    c[K_TS]![r] = ts;
    this.words[i] = nw;
    this.mts[i] = ts;
    io.length = r + 1;
    return byte;
  }

  /**
   * The records so far. A segment's memory and register-file boundary (the init and final
   * images) belong to the last segment, which alone knows the final state: the others carry
   * empty memory images.
   */
  private finish(cycles: number, finalPc: number, segment?: SegmentInfo): Records {
    const families: Record<string, FamilyRecords<string>> = {};
    let byteLength = 0;
    const columns = this.partition.columns;
    this.partition.families.forEach(({ name }, k) => {
      const t = this.tables[k]!;
      const views = familyColumnViews(columns[k]!, t.view(), t.length, this.rom);
      families[name] = { family: name, length: t.length, columns: views };
      byteLength += t.length * t.columnNames.length * 4;
    });
    // riscv.md's families are always there (empty where this machine groups otherwise), so
    // their components find no rows rather than no table.
    for (const name of FAMILIES) families[name] ??= { family: name, length: 0, columns: {} };
    byteLength += this.io.length * IO_COLUMNS.length * 4;
    const boundary = segment === undefined || segment.last;
    const addrs = boundary ? this.layout.addresses : new Uint32Array(0);
    const finalValue = new Uint32Array(addrs.length);
    const finalTs = new Uint32Array(addrs.length);
    for (let k = 0; k < addrs.length; k++) {
      const i = this.map.wordIndex(addrs[k]!);
      finalValue[k] = this.words[i]!;
      finalTs[k] = this.mts[i]!;
    }
    const registersInit = new Uint32Array(32);
    registersInit[2] = this.map.initialSp;
    const precompiles: Record<string, PrecompileRecords> = {};
    for (const [name, t] of this.precompileTables) {
      precompiles[name] = { table: name, length: t.length, columns: t.view() };
      byteLength += t.length * t.columnNames.length * 4;
    }
    return {
      families: families as Records['families'],
      precompiles,
      io: { length: this.io.length, columns: this.io.view() as Records['io']['columns'] },
      memoryInit: { address: addrs, value: boundary ? this.initValues : addrs },
      memoryFinal: { address: addrs, value: finalValue, ts: finalTs },
      registersInit,
      registersFinal: { value: new Uint32Array(this.xv.buffer.slice(0)), ts: this.xts.slice() },
      publicInput: this.publicInput,
      privateInput: this.privateInput,
      publicOutput: this.output.bytes(),
      log: this.log.bytes(),
      exitCode: this.exitCode,
      cycles,
      entryPc: this.program.entry,
      finalPc,
      byteLength,
      ...(segment === undefined ? {} : { segment }),
    };
  }
}
