import { ALU_SOURCE, alu, branchTaken } from './alu.js';
import { asBytes, ByteSink } from './bytes.js';
import { type CodeRom, codeRomFor, NOT_CODE } from './code.js';
import { decode } from './decode.js';
import type { ElfProgram } from './elf.js';
import {
  BadFileDescriptorError,
  IllegalInstructionError,
  MisalignedAccessError,
  UnknownSyscallError,
  UnmappedAddressError,
  VmConfigError,
  VmFault,
} from './errors.js';
import {
  describeCustom,
  type InstructionExtension,
  type InstructionTable,
  instructionTable,
  KNOWN_PRECOMPILES,
  precompileAddresses,
  type SyscallExtension,
  type SyscallTable,
  syscallTable,
} from './extensions.js';
import {
  checkFamilyNames,
  type FamilyExtension,
  type FamilyPartition,
  familyPartition,
} from './families.js';
import {
  FD_DEBUG_LOG,
  FD_PRIVATE_INPUT,
  FD_PUBLIC_INPUT,
  FD_PUBLIC_OUTPUT,
  OP_COUNT,
  Op,
  SYS_EXIT,
  SYS_READ,
  SYS_WRITE,
} from './isa.js';
import { type BlockRuntime, compileRegion, type RegionFn, type RegionState } from './jit.js';
import { type MemoryMap, type MemoryOptions, memoryMapFor, PAGE_WORDS } from './memory.js';
import { selectRegion } from './region.js';

/** Inputs and options of a run (both passes). */
export interface RunOptions extends MemoryOptions {
  /** The public input tape (read with fd 3). Part of the public statement. */
  readonly publicInput?: Uint8Array;
  /** The private input tape (read with fd 0). Part of the witness only. */
  readonly privateInput?: Uint8Array;
  /**
   * Called with each chunk the guest writes to the debug log (fd 2), as it is written. Without
   * it the log is collected and returned.
   */
  readonly onLog?: (bytes: Uint8Array) => void;
  /**
   * The precompile syscalls this machine has (from the assembled system's `vm.syscall`
   * extensions); any other a7 in 0x1000..0x1fff faults.
   */
  readonly syscalls?: readonly SyscallExtension[];
  /** The custom instructions this machine has (`vm.instruction` extensions). */
  readonly instructions?: readonly InstructionExtension[];
  /**
   * How the machine groups instructions into records tables (`vm.family` extensions); absent
   * or empty: riscv.md's RV32IM families.
   */
  readonly families?: readonly FamilyExtension[];
}

/**
 * Told of every whole block `run` executes (the profiler): its first ROM index, its length and
 * the pc it went to. Instructions `run` steps one at a time at the cycle limit are not blocks.
 */
export interface BlockObserver {
  block(wi: number, len: number, nextPc: number): void;
  /**
   * Present when the observer can take blocks in bulk (it needs no order within a run of
   * blocks, only what ran: totals, costs): then compiled loops run linked, as without an
   * observer, and the machine reports the blocks its regions ran, `starts[k]` `counts[k]` times
   * for k < n, and the pc it stopped at. One report holds everything the regions ran since the
   * last one; the machine reports after each region call that ran an ecall (a region call
   * always ends right after one, so what an ecall wrote is seen at the end of its block, as with
   * `block`), before each interpreted block (those still come one by one through `block`), at
   * a fault (the faulting block left out) and when `run` returns; not after every region call
   * (on long.elf, a million of them: those reports were 14% of `nexus run`).
   */
  readonly blocks?:
    | ((starts: Int32Array, counts: Float64Array, n: number, nextPc: number) => void)
    | undefined;
}

/** Options of a pass-1 machine: a run's inputs, and what the machine records beside it. */
export interface MachineOptions extends RunOptions {
  /**
   * Flag every word the guest accesses (default true): `touchedAddresses` and so pass 2's
   * layout are built from the flags. A run with no pass 2 after it (`nexus run`) turns it off,
   * and its compiled loads and stores skip one flag store each (~20% less CPU in pass 1 of
   * long.elf).
   */
  readonly trackTouched?: boolean;
  /**
   * When a block is compiled (as the root of a region): true (default) once it has run
   * HOT_INSTRUCTIONS instructions; 'eager' at its first run (so that tests' short programs
   * run compiled regions); false never (every instruction interpreted). Same results.
   */
  readonly jit?: boolean | 'eager';
}

/**
 * A block is compiled to JavaScript, as the root of a region, once it has run this many
 * instructions (interpreted before). After 16 executions, fib's pass 1 compiled regions that
 * cost a fresh process more than interpreting the ~5.6 k cycles they ran; pass 2 waits for
 * 1,024 instructions (trace.ts), but pass 1 of long.elf (thousands of hot blocks) was ~15%
 * slower at 1,024, and is unchanged at 256.
 */
const HOT_INSTRUCTIONS = 256;

/**
 * Instructions a block runs before it is compiled, for a `jit` option (both passes): `hot`
 * for true (the default), 1 for 'eager', never for false; anything else is a VmConfigError.
 */
export function compileThreshold(jit: boolean | 'eager' | undefined, hot: number): number {
  if (jit === undefined || jit === true) return hot;
  if (jit === 'eager') return 1;
  if (jit === false) return Number.POSITIVE_INFINITY;
  throw new VmConfigError(`jit is true, false or 'eager' (got ${String(jit)})`);
}

/**
 * Most instructions one region call runs (it stops at the first block past them, and the
 * dispatcher calls it again). Short calls let V8 optimise a region as a whole function, its
 * exit path included, after a few calls: a region that loops for millions of instructions in
 * one call is optimised on the stack instead (OSR), and V8 reuses that code on every later call
 * even though it deoptimises at the first exit, every time.
 */
const SLICE = 4096;

const LOAD_SIZE = (op: number) =>
  op === Op.LW || op === Op.SW ? 4 : op === Op.LH || op === Op.LHU || op === Op.SH ? 2 : 1;

/**
 * Pass 1: the fast RV32IM machine (riscv.md section 3). Code runs from the decoded ROM; each
 * basic block is interpreted for its first few executions and then translated, with the blocks
 * that have run and that it can reach by static jumps and branches, into one JavaScript function
 * (a region: see `selectRegion` and `compileRegion`), so hot loops run as V8-optimised code
 * without returning to the dispatcher between blocks. Data lives
 * in the flat page storage of `MemoryMap`; every word the guest touches (loads, stores, syscall
 * transfers) is flagged, which is what the layout of pass 2 is built from.
 *
 * The machine is resumable: `run(limit)` stops at the limit without throwing, `step()` runs one
 * instruction (the `trace` command uses both).
 *
 * @example
 * const m = new Machine(loadElf(bytes), { publicInput });
 * m.run(1e9);
 * if (m.halted) console.log(m.exitCode, m.cycles);
 */
export class Machine implements BlockRuntime {
  readonly program: ElfProgram;
  readonly map: MemoryMap;
  readonly rom: CodeRom;
  /** The register file x0..x31 (int32; x0 stays 0). */
  readonly x = new Int32Array(32);
  /** Flat storage of all mapped pages (see MemoryMap). */
  readonly words: Int32Array;
  /** 1 for every storage word the guest accessed (when `trackTouched`). */
  readonly touched: Uint8Array;
  /** Whether `touched` is kept (MachineOptions.trackTouched). */
  readonly trackTouched: boolean;
  /** Instructions a block runs before it is compiled (MachineOptions.jit). */
  private readonly hotInstructions: number;
  pc: number;
  /** Instructions completed so far. */
  cycles = 0;
  halted = false;
  /** The exit code (a0 of the exit syscall, as int32) once halted. */
  exitCode = 0;
  /** Bytes transferred by read/write syscalls (one io record each in pass 2). */
  ioBytes = 0;
  /** ecall counts by syscall: [exit, read, write]. */
  readonly syscalls = new Float64Array(3);
  readonly publicInput: Uint8Array;
  readonly privateInput: Uint8Array;
  publicInputPos = 0;
  privateInputPos = 0;
  readonly output = new ByteSink();
  readonly log = new ByteSink();
  /** The precompiles by number. */
  readonly precompiles: SyscallTable;
  /** The custom instructions by key (customKey). */
  readonly customs: InstructionTable;
  /** The instruction families whose rows the stats count. */
  readonly partition: FamilyPartition;
  /** Calls per precompile or custom-instruction records table (one row each in pass 2). */
  readonly precompileCalls = new Map<string, number>();
  /** Calls of precompiles and custom instructions so far (`precompileCalls` changed if this did). */
  extensionCalls = 0;
  private readonly onLog: ((bytes: Uint8Array) => void) | undefined;

  private readonly blockLen: Int32Array;
  /** Executions per block (by its first ROM index): what opCounts and hotness come from. */
  private readonly blockHits: Float64Array;
  /** The compiled region to enter at each block, linked (run) or block by block (observed). */
  private readonly regions: (RegionFn | undefined)[];
  /** The blocks of the linked region entered at each block (bulk observers are told what ran). */
  private readonly regionBlocks: (readonly number[] | undefined)[];
  /** The root (the ROM index it was compiled for) of the linked region of each block. */
  private readonly regionRoots: (number | undefined)[];
  /** ecalls executed so far (bulk observers hear of the blocks before each one's effects). */
  private ecalls = 0;
  private readonly singleBlocks: (RegionFn | undefined)[];
  private readonly regionState: RegionState = { cycles: 0, limit: 0, blockPc: -1 };
  /**
   * Bulk observation: the regions that ran since the last report (by root; `bulkMark[root]` is
   * `bulkEpoch` while pending), and their blocks' counts when they started to (`bulkBefore`, by
   * ROM index; allocated by the first observed run).
   */
  private readonly bulkPending: number[] = [];
  private bulkMark: Int32Array | undefined;
  private bulkEpoch = 1;
  private bulkBefore: Float64Array | undefined;
  /** What a report holds (blocks of several regions; ROM-sized, with bulkBefore). */
  private bulkStarts: Int32Array | undefined;
  private bulkCounts: Float64Array | undefined;
  /** Instructions executed one at a time by step() (outside whole blocks), by op. */
  private readonly stepCounts = new Float64Array(OP_COUNT + 1);

  constructor(program: ElfProgram, options: MachineOptions = {}) {
    this.program = program;
    this.map = memoryMapFor(program, options);
    this.rom = codeRomFor(program);
    this.words = this.map.allocWords();
    this.touched = new Uint8Array(this.words.length);
    this.pc = program.entry;
    this.x[2] = this.map.initialSp | 0;
    this.publicInput = asBytes(options.publicInput, 'publicInput', VmConfigError);
    this.privateInput = asBytes(options.privateInput, 'privateInput', VmConfigError);
    this.onLog = options.onLog;
    this.precompiles = syscallTable(options.syscalls);
    this.customs = instructionTable(options.instructions, this.precompiles);
    this.partition = familyPartition(options.families);
    checkFamilyNames(this.partition, [...this.precompiles.values(), ...this.customs.values()]);
    this.blockLen = new Int32Array(this.rom.length);
    this.blockHits = new Float64Array(this.rom.length);
    this.trackTouched = options.trackTouched ?? true;
    this.hotInstructions = compileThreshold(options.jit, HOT_INSTRUCTIONS);
    // Compiled code differs with and without the flags: one cache each.
    const kind = this.trackTouched ? '' : ' untracked';
    this.regions = this.rom.cache<RegionFn>(`pass1${kind}`);
    this.regionBlocks = this.rom.cache<readonly number[]>(`pass1${kind} region blocks`);
    this.regionRoots = this.rom.cache<number>(`pass1${kind} region roots`);
    this.singleBlocks = this.rom.cache<RegionFn>(`pass1${kind} single blocks`);
  }

  /**
   * Runs until the guest exits or `limit` instructions have completed in total (then returns
   * with `halted` false; the caller decides whether that is an error). Faults throw a VmFault
   * whose `clk` is the cycle of the faulting instruction.
   */
  run(limit: number, observer?: BlockObserver): void {
    const rom = this.rom;
    const base = rom.base;
    const romBytes = rom.length * 4;
    const blen = this.blockLen;
    const hits = this.blockHits;
    // An observer sees every block (regions of one block each, no links between them), unless
    // it takes them in bulk.
    const bulk = observer?.blocks !== undefined;
    const linked = observer === undefined || bulk;
    const fns = linked ? this.regions : this.singleBlocks;
    const roots = this.regionRoots;
    if (bulk && this.bulkBefore === undefined) {
      this.bulkBefore = new Float64Array(this.rom.length);
      this.bulkMark = new Int32Array(this.rom.length);
      this.bulkStarts = new Int32Array(this.rom.length);
      this.bulkCounts = new Float64Array(this.rom.length);
    }
    const before = this.bulkBefore!;
    const mark = this.bulkMark!;
    let ecalls = 0;
    const { x, words, touched } = this;
    const bytes = new Uint8Array(words.buffer);
    const halves = new Uint16Array(words.buffer);
    const rp = this.map.readPage;
    const wp = this.map.writePage;
    const S = this.regionState;
    let pc = this.pc;
    let cycles = this.cycles;
    let blockPc = -1;
    try {
      while (!this.halted) {
        const off = (pc - base) >>> 0;
        if ((off & 3) !== 0 || off >= romBytes) this.fetchFault(pc);
        const wi = off >>> 2;
        let len = blen[wi]!;
        if (len === 0) len = this.buildBlock(wi);
        if (cycles + len > limit) break;
        // Compiled regions are cached on the ROM, so later runs of the program start fast.
        const f = fns[wi];
        if (f !== undefined) {
          S.cycles = cycles;
          S.limit = Math.min(limit, cycles + SLICE);
          S.blockPc = -1;
          if (bulk) {
            // The region's counts before its first call since the last report.
            const root = roots[wi]!;
            if (mark[root] !== this.bulkEpoch) {
              mark[root] = this.bulkEpoch;
              this.bulkPending.push(root);
              const ran = this.regionBlocks[root]!;
              for (let k = 0; k < ran.length; k++) before[ran[k]!] = hits[ran[k]!]!;
            }
            ecalls = this.ecalls;
          }
          // The entry block fits the limit (checked above), so every call makes progress.
          pc = f(pc, x, words, bytes, halves, touched, rp, wp, hits, this, S);
          cycles = S.cycles;
          if (!linked) observer!.block(wi, len, pc);
          else if (bulk && this.ecalls !== ecalls) this.reportBulk(observer!, -1, pc);
          continue;
        }
        // What the regions ran comes first (before an ecall of this block logs anything).
        if (bulk && this.bulkPending.length > 0) this.reportBulk(observer!, -1, pc);
        blockPc = pc;
        hits[wi]!++;
        pc = this.interpretBlock(wi, len);
        cycles += len;
        blockPc = -1;
        if (hits[wi]! * len >= this.hotInstructions) this.compileAt(wi, linked);
        if (observer !== undefined) observer.block(wi, len, pc);
      }
    } catch (e) {
      // A bulk observer hears of the blocks before the fault (not the faulting one, as
      // block by block).
      if (bulk && this.bulkPending.length > 0)
        this.reportBulk(observer!, S.blockPc >= 0 ? this.rom.indexOf(S.blockPc) : -1, -1);
      if (e instanceof VmFault) {
        // Instructions of a block are consecutive: the ones before the faulting pc completed.
        if (S.blockPc >= 0) cycles = S.cycles + ((e.pc - S.blockPc) >>> 0) / 4;
        else if (blockPc >= 0) cycles += ((e.pc - blockPc) >>> 0) / 4;
        S.blockPc = -1;
        e.clk = cycles + 1;
        this.pc = e.pc;
      }
      this.cycles = cycles;
      throw e;
    }
    this.pc = pc;
    this.cycles = cycles;
    if (bulk && this.bulkPending.length > 0) this.reportBulk(observer!, -1, pc);
    // The remaining instructions of the last block, up to the limit, one at a time.
    while (!this.halted && this.cycles < limit) this.step();
  }

  /**
   * Tells a bulk observer what the regions ran since the last report (executions since
   * `bulkBefore`), one execution of block `failed` (a ROM index, -1: none) left out.
   */
  private reportBulk(observer: BlockObserver, failed: number, nextPc: number): void {
    const { blockHits, bulkPending } = this;
    const before = this.bulkBefore!;
    const starts = this.bulkStarts!;
    const counts = this.bulkCounts!;
    // One report for all of them: the observer applies what an ecall logged after it.
    let n = 0;
    for (const root of bulkPending) {
      const blocks = this.regionBlocks[root]!;
      for (let k = 0; k < blocks.length; k++) {
        const wi = blocks[k]!;
        const count = blockHits[wi]! - before[wi]! - (wi === failed ? 1 : 0);
        if (count <= 0) continue;
        starts[n] = wi;
        counts[n] = count;
        n++;
      }
    }
    bulkPending.length = 0;
    observer.blocks!(starts, counts, n, nextPc);
    this.bulkEpoch++;
  }

  /**
   * Compiles the region rooted at the hot block wi (linked) or wi alone (observed runs), and
   * enters it from each of its blocks that has no region yet.
   */
  private compileAt(wi: number, linked: boolean): void {
    const hits = this.blockHits;
    const fns = linked ? this.regions : this.singleBlocks;
    const blocks = linked
      ? selectRegion(
          this.rom,
          wi,
          (i) => hits[i]! > 0,
          (i) => fns[i] === undefined,
        )
      : [wi];
    const f = compileRegion(this.rom, blocks, linked, this.trackTouched);
    fns[wi] = f;
    for (const b of blocks) fns[b] ??= f;
    if (linked) {
      // Every block of the region has no other (selectRegion took only free ones, the root
      // included), so the blocks map to their one root.
      this.regionBlocks[wi] = blocks;
      for (const b of blocks) this.regionRoots[b] = wi;
    }
  }

  /** Executes exactly one instruction (faults throw, with `clk` set). */
  step(): void {
    if (this.halted) return;
    const pc = this.pc;
    const wi = this.rom.indexOf(pc);
    try {
      if (wi < 0) this.fetchFault(pc);
      const op = this.rom.op[wi]!;
      if (op === NOT_CODE) this.fetchFault(pc);
      if (op === Op.ILLEGAL) this.illegal(pc, wi);
      this.pc = this.exec(wi, pc);
      this.stepCounts[op]!++;
      this.cycles++;
    } catch (e) {
      if (e instanceof VmFault) e.clk = this.cycles + 1;
      throw e;
    }
  }

  /** Instruction mix: executions per global op id (index = op). */
  opCounts(): Float64Array {
    const counts = Float64Array.from(this.stepCounts);
    const rom = this.rom;
    for (let wi = 0; wi < rom.length; wi++) {
      const h = this.blockHits[wi]!;
      if (h === 0) continue;
      // Regions (cached on the ROM) run blocks this machine's dispatcher never visited.
      const len = rom.blockLength(wi);
      for (let k = 0; k < len; k++) counts[rom.op[wi + k]!]! += h;
    }
    return counts;
  }

  /** Sorted byte addresses of every word the guest accessed. */
  touchedAddresses(): Uint32Array {
    if (!this.trackTouched)
      throw new VmConfigError(
        'touchedAddresses: this machine was created with trackTouched: false (no access flags kept)',
      );
    const t = this.touched;
    // The storage spans every mapped page (a megabyte-sized stack included), most of it
    // untouched, and a cold JavaScript loop over all of its flags cost ms of every proof. The
    // native indexOf finds the next touched word (~0.3 ms over a small guest's 595 K flags), and
    // only pages holding one are read, four flags per step (they are 0 or 1, and the buffer is
    // t's own: whole pages of words).
    const pages: number[] = [];
    for (let i = t.indexOf(1); i !== -1; ) {
      const page = Math.floor(i / PAGE_WORDS);
      pages.push(page);
      i = t.indexOf(1, (page + 1) * PAGE_WORDS);
    }
    const groups = new Uint32Array(t.buffer, t.byteOffset, t.length >>> 2);
    const GROUPS = PAGE_WORDS / 4;
    let n = 0;
    for (const p of pages) {
      for (let g = p * GROUPS; g < (p + 1) * GROUPS; g++) {
        const v = groups[g]!;
        if (v !== 0) n += (v & 1) + ((v >>> 8) & 1) + ((v >>> 16) & 1) + (v >>> 24);
      }
    }
    const out = new Uint32Array(n);
    let k = 0;
    // Storage is in ascending address order, so this is already sorted.
    for (const p of pages) {
      for (let g = p * GROUPS; g < (p + 1) * GROUPS; g++) {
        if (groups[g] === 0) continue;
        for (let i = g << 2; i < (g << 2) + 4; i++)
          if (t[i] === 1) out[k++] = this.map.addressOf(i);
      }
    }
    return out;
  }

  private fetchFault(pc: number): never {
    if ((pc & 3) !== 0) throw new MisalignedAccessError(pc, pc, 'fetch', 4);
    throw new UnmappedAddressError(pc, pc, 'fetch', 4);
  }

  private illegal(pc: number, wi: number): never {
    const d = decode(this.rom.word[wi]!);
    throw new IllegalInstructionError(pc, d.word, d.reason ?? 'not an RV32IM instruction');
  }

  /** Length of the basic block at ROM index wi (>= 1), or throws the fetch/illegal fault. */
  private buildBlock(wi: number): number {
    const len = this.rom.blockLength(wi);
    if (len === 0) {
      const pc = (this.rom.base + 4 * wi) >>> 0;
      if (this.rom.op[wi] === NOT_CODE) this.fetchFault(pc);
      this.illegal(pc, wi);
    }
    this.blockLen[wi] = len;
    return len;
  }

  private interpretBlock(wi: number, len: number): number {
    let pc = (this.rom.base + 4 * wi) >>> 0;
    for (let k = 0; k < len; k++) pc = this.exec(wi + k, pc);
    return pc;
  }

  /** Executes the (legal) instruction at ROM index wi; returns the next pc. */
  private exec(wi: number, pc: number): number {
    const rom = this.rom;
    const x = this.x;
    const op = rom.op[wi]!;
    const rd = rom.rd[wi]!;
    const a = x[rom.rs1[wi]!]!;
    const b = x[rom.rs2[wi]!]!;
    const imm = rom.imm[wi]!;
    let v = 0;
    switch (op) {
      case Op.LUI:
        v = imm;
        break;
      case Op.AUIPC:
        v = (pc + imm) | 0;
        break;
      case Op.JAL: {
        const t = (pc + imm) >>> 0;
        if ((t & 3) !== 0) this.misalignedJump(pc, t);
        if (rd !== 0) x[rd] = pc + 4;
        return t;
      }
      case Op.JALR: {
        const t = (a + imm) & -2;
        if ((t & 2) !== 0) this.misalignedJump(pc, t);
        if (rd !== 0) x[rd] = pc + 4;
        return t >>> 0;
      }
      case Op.BEQ:
      case Op.BNE:
      case Op.BLT:
      case Op.BGE:
      case Op.BLTU:
      case Op.BGEU: {
        if (!branchTaken(op, a, b)) return (pc + 4) >>> 0;
        const t = (pc + imm) >>> 0;
        if ((t & 3) !== 0) this.misalignedJump(pc, t);
        return t;
      }
      case Op.LB:
      case Op.LH:
      case Op.LW:
      case Op.LBU:
      case Op.LHU:
        v = this.load(pc, (a + imm) | 0, op);
        break;
      case Op.SB:
      case Op.SH:
      case Op.SW:
        this.store(pc, (a + imm) | 0, op, b);
        return (pc + 4) >>> 0;
      case Op.FENCE:
        return (pc + 4) >>> 0;
      case Op.ECALL:
        return this.ecall(pc);
      case Op.CUSTOM:
        v = this.custom(pc, imm, a, b);
        break;
      default:
        // Every other legal op computes rd from rs1 and rs2, or from rs1 and the immediate for
        // the I-type forms (ADDI..SRAI), by the semantics declared once in alu.ts.
        if (ALU_SOURCE[op] === undefined) this.illegal(pc, wi);
        v = alu(op, a, op <= Op.SRAI ? imm : b);
    }
    if (rd !== 0) x[rd] = v;
    return (pc + 4) >>> 0;
  }

  // ---- BlockRuntime: the checked slow paths -------------------------------------------------

  load(pc: number, a: number, op: number): number {
    const size = LOAD_SIZE(op);
    if ((a & (size - 1)) !== 0) this.misaligned(pc, a, op);
    const p = ~this.map.readPage[a >>> 12]!;
    const i = p >= 0 ? (p << 10) | ((a >>> 2) & 1023) : this.map.checkAccess(pc, a, size, 'load');
    this.touched[i] = 1;
    const word = this.words[i]!;
    switch (op) {
      case Op.LW:
        return word;
      case Op.LH:
        return (word << (16 - ((a & 2) << 3))) >> 16;
      case Op.LHU:
        return (word >>> ((a & 2) << 3)) & 0xffff;
      case Op.LB:
        return (word << (24 - ((a & 3) << 3))) >> 24;
      default:
        return (word >>> ((a & 3) << 3)) & 0xff;
    }
  }

  store(pc: number, a: number, op: number, v: number): void {
    const size = LOAD_SIZE(op);
    if ((a & (size - 1)) !== 0) this.misaligned(pc, a, op);
    const p = ~this.map.writePage[a >>> 12]!;
    const i = p >= 0 ? (p << 10) | ((a >>> 2) & 1023) : this.map.checkAccess(pc, a, size, 'store');
    this.touched[i] = 1;
    const words = this.words;
    if (size === 4) words[i] = v;
    else if (size === 2) {
      const s = (a & 2) << 3;
      words[i] = (words[i]! & ~(0xffff << s)) | ((v & 0xffff) << s);
    } else {
      const s = (a & 3) << 3;
      words[i] = (words[i]! & ~(0xff << s)) | ((v & 0xff) << s);
    }
  }

  misaligned(pc: number, a: number, op: number): never {
    throw new MisalignedAccessError(
      pc,
      a,
      op >= Op.SB && op <= Op.SW ? 'store' : 'load',
      LOAD_SIZE(op),
    );
  }

  misalignedJump(pc: number, target: number): never {
    throw new MisalignedAccessError(pc, target, 'fetch', 4);
  }

  /** The guest ABI (riscv.md section 2): exit, read (fd 0/3), write (fd 1/2). */
  ecall(pc: number): number {
    this.ecalls++;
    const x = this.x;
    const a7 = x[17]!;
    if (a7 === SYS_EXIT) {
      this.halted = true;
      this.exitCode = x[10]!;
      this.syscalls[0]!++;
      return (pc + 4) >>> 0;
    }
    if (a7 === SYS_READ) {
      const fd = x[10]!;
      if (fd !== FD_PRIVATE_INPUT && fd !== FD_PUBLIC_INPUT)
        throw new BadFileDescriptorError(pc, 'read', fd);
      const buf = x[11]! >>> 0;
      const len = x[12]! >>> 0;
      const isPublic = fd === FD_PUBLIC_INPUT;
      const tape = isPublic ? this.publicInput : this.privateInput;
      const pos = isPublic ? this.publicInputPos : this.privateInputPos;
      const n = Math.min(len, tape.length - pos);
      this.map.checkRange(pc, buf, n, 'store');
      for (let k = 0; k < n; k++) this.store(pc, (buf + k) | 0, Op.SB, tape[pos + k]!);
      if (isPublic) this.publicInputPos += n;
      else this.privateInputPos += n;
      this.ioBytes += n;
      x[10] = n;
      this.syscalls[1]!++;
      return (pc + 4) >>> 0;
    }
    if (a7 === SYS_WRITE) {
      const fd = x[10]!;
      if (fd !== FD_PUBLIC_OUTPUT && fd !== FD_DEBUG_LOG)
        throw new BadFileDescriptorError(pc, 'write', fd);
      const buf = x[11]! >>> 0;
      const len = x[12]! >>> 0;
      this.map.checkRange(pc, buf, len, 'load');
      const chunk = new Uint8Array(len);
      for (let k = 0; k < len; k++) chunk[k] = this.load(pc, (buf + k) | 0, Op.LBU);
      if (fd === FD_PUBLIC_OUTPUT) this.output.append(chunk);
      else if (this.onLog !== undefined) this.onLog(chunk);
      else this.log.append(chunk);
      this.ioBytes += len;
      x[10] = len;
      this.syscalls[2]!++;
      return (pc + 4) >>> 0;
    }
    const ext = this.precompiles.get(a7);
    if (ext !== undefined) return this.precompile(pc, ext);
    throw new UnknownSyscallError(pc, a7, syscallOwner(this.program, a7), [
      ...this.precompiles.keys(),
    ]);
  }

  /** A custom instruction (extensions.ts): rd := compute(rs1, rs2). */
  custom(pc: number, key: number, a: number, b: number): number {
    const ext = this.customs.get(key);
    if (ext === undefined)
      throw missingCustom(this.program, pc, this.rom.word[this.rom.indexOf(pc)]!, key);
    this.precompileCalls.set(ext.table, (this.precompileCalls.get(ext.table) ?? 0) + 1);
    this.extensionCalls++;
    return ext.compute(a, b) | 0;
  }

  /** A precompile call (extensions.ts): its words in, computed, written back; a0 := 0. */
  private precompile(pc: number, ext: SyscallExtension): number {
    const addrs = precompileAddresses(pc, ext, this.x, this.map);
    const values = new Uint32Array(addrs.length);
    const { words, touched, map } = this;
    for (let k = 0; k < addrs.length; k++) {
      const i = map.wordIndex(addrs[k]!);
      touched[i] = 1;
      values[k] = words[i]!;
    }
    ext.compute(values);
    let k = 0;
    for (const r of ext.regions) {
      for (let j = 0; j < r.words; j++, k++)
        if (r.writes) words[map.wordIndex(addrs[k]!)] = values[k]! | 0;
    }
    this.x[10] = 0;
    this.precompileCalls.set(ext.table, (this.precompileCalls.get(ext.table) ?? 0) + 1);
    this.extensionCalls++;
    return (pc + 4) >>> 0;
  }
}

/**
 * The fault of a custom instruction no plugin of the build provides, naming the package when
 * the guest declares it (`.nexus.requires`).
 */
export function missingCustom(
  program: ElfProgram,
  pc: number,
  word: number,
  key: number,
): IllegalInstructionError {
  const plugin = program.requires.find((r) => r.kind === 'instruction' && r.number === key)?.plugin;
  const add =
    plugin === undefined
      ? 'add the plugin that defines it (--config)'
      : `the guest declares it comes from ${plugin}: add that plugin to the plugin list (--config)`;
  return new IllegalInstructionError(
    pc,
    word,
    `${describeCustom(key)} is a custom instruction that no plugin of this zkVM build provides: ${add}`,
  );
}

/**
 * The package of a syscall the build lacks: the one riscv.md assigns it, or the one the guest
 * declares (`.nexus.requires`).
 */
export function syscallOwner(program: ElfProgram, a7: number): string | undefined {
  return (
    KNOWN_PRECOMPILES[a7] ??
    program.requires.find((r) => r.kind === 'syscall' && r.number === a7 >>> 0)?.plugin
  );
}
