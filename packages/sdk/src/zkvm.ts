import {
  buildTraces,
  decodeProgram,
  encodeProgram,
  Lookups,
  type ZkvmComponent,
  type ZkvmTraceContext,
  zkvmStatement,
} from '@nexus/air-common';
import { bytesEqual } from '@nexus/field';
import {
  assembleSystem,
  componentsOf,
  encodeProof,
  encodeSegmentedProof,
  extensionsOf,
  isSegmentedProof,
  type PcsConfig,
  type Plugin,
  type PluginInput,
  resolveConfig,
  SECURITY,
  type SecurityPreset,
  type SegmentCommitment,
  type SegmentedProof,
  type StarkProof,
  type Statement,
  type System,
} from '@nexus/kernel';
import { keccak } from '@nexus/precompile-keccak';
import { sha256 } from '@nexus/precompile-sha256';
import { finishSegments, type ProvePhase, type ProverPool, prove } from '@nexus/prover';
import { rv32im } from '@nexus/rv32im';
import { verify, verifySegments } from '@nexus/verifier';
import {
  checkFamilyNames,
  deriveLayout,
  type ElfProgram,
  type ExecutionResult,
  type ExecutionStats,
  execute,
  FAMILY_EXTENSION,
  type FamilyExtension,
  familyPartition,
  type GuestProfile,
  generateRecords,
  INSTRUCTION_EXTENSION,
  type InstructionExtension,
  instructionTable,
  loadElf,
  type MemoryOptions,
  OP_COUNT,
  Op,
  type ProfileWeights,
  profile,
  SYSCALL_EXTENSION,
  type SyscallExtension,
  syscallTable,
} from '@nexus/vm';
import { ZkvmError } from './errors.js';
import { describeHash, type HashName, withHash } from './hash-backends.js';
import { decodeProofFile, encodeProofFile } from './proof-file.js';
import { proveWithRunner, type WorkerProveOptions } from './segment-coordinator.js';
import type { SegmentRunner } from './segment-job.js';
import { SegmentedRun } from './segment-run.js';

/**
 * The zkVM a user gets without a config: the RV32IM preset and the SHA-256 precompile. A
 * precompile's components only enter proofs of guests that call it.
 */
export function defaultPlugins(): Plugin[] {
  return [...rv32im(), sha256()];
}

/**
 * Every plugin this distribution ships: the default build and the precompiles left out of it
 * (Keccak-f: its 2,710-column component costs every assembly of the system ~0.2 s, so builds
 * that want it name it). Configs may name any of these by package name.
 */
export function bundledPlugins(): Plugin[] {
  return [...defaultPlugins(), keccak()];
}

export interface ZkvmOptions {
  /** Plugins and presets (default: `defaultPlugins()`, RV32IM and the bundled precompiles). */
  readonly plugins?: PluginInput;
  /**
   * The hash backend for Merkle trees, the Fiat-Shamir channel and proof of work (default: the
   * plugin list's, Blake2s in the RV32IM preset): 'blake2s', 'blake3' or 'poseidon2'. It
   * replaces any hash plugin in the list. Proofs verify only with the backend that made them.
   */
  readonly hash?: HashName;
  /** Security of the proofs this zkVM makes (default 'standard', 96 bits). */
  readonly security?: SecurityPreset | PcsConfig;
  /** The VM's memory map options (its default stack region). */
  readonly memory?: MemoryOptions;
  /** Cycle limit of runs and proofs. */
  readonly maxCycles?: number;
}

export interface GuestInputs {
  readonly publicInput?: Uint8Array;
  readonly privateInput?: Uint8Array;
}

export interface RunResult {
  readonly exitCode: number;
  readonly publicOutput: Uint8Array;
  /** The debug log (fd 2): shown, not proven. */
  readonly log: Uint8Array;
  readonly cycles: number;
  readonly stats: ExecutionStats;
}

/** What a proof claims, in a user's terms. */
export interface ZkvmClaim {
  /** Hash of the canonical program (segments, entry, memory map): what the proof is about. */
  readonly programCommitment: Uint8Array;
  readonly publicInput: Uint8Array;
  readonly publicOutput: Uint8Array;
  readonly exitCode: number;
}

/** A phase of `prove`; 'segments': segments proven by workers (`proveAsync`). */
export type ZkvmPhase = 'execute' | 'trace' | 'segments' | ProvePhase;

export interface ProveOptions {
  /** Called as each phase starts, with the fraction of the work done (0..1). */
  readonly onProgress?: (phase: ZkvmPhase, fraction: number) => void;
  /** Filled with milliseconds per phase. */
  readonly timings?: Partial<Record<ZkvmPhase, number>>;
  readonly security?: SecurityPreset | PcsConfig;
  /** Check constraints before proving (default true; off only to test verifiers). */
  readonly checkConstraints?: boolean;
  /**
   * Prove on the prover's reference path (every constraint compiled, one thread): the same
   * proof, byte for byte, more slowly. For benchmarks and tests that compare the two.
   */
  readonly reference?: boolean;
  /**
   * The prover's column kernels: 'wasm' (default where the runtime has WebAssembly SIMD) or
   * 'typescript'. Same proof either way; for benchmarks.
   */
  readonly kernels?: 'wasm' | 'typescript';
  /**
   * Cut the execution into segments of this many cycles, each proven on its own under one
   * LogUp sum (a segmented proof; SOUNDNESS.md section 10). Default: runs longer than
   * DEFAULT_SEGMENT_CYCLES are segmented at that size, shorter ones get a single proof; a run
   * no longer than the size given gets a single proof too.
   */
  readonly segmentCycles?: number;
  /** Called as each segment is committed (phase 1) and proven (phase 2). */
  readonly onSegment?: (phase: 'commit' | 'prove', index: number, count: number) => void;
  /**
   * Threads to split each proof's heavy steps over (`createProverPool` from @nexus/sdk/node,
   * or any @nexus/prover `ProverPool`): the same proof, byte for byte. `proveAsync` starts
   * one itself for a single proof of at least PARALLEL_PROOF_MIN_CYCLES cycles.
   */
  readonly pool?: ProverPool;
}

/** `proveAsync`'s options: `prove`'s, and where the segments are proven. */
export interface AsyncProveOptions extends WorkerProveOptions {
  /**
   * Worker threads proving segments (default: one per core, `os.availableParallelism()`); 1
   * proves in this thread. Ignored when `runner` is given.
   */
  readonly workers?: number;
  /** Where segment jobs run instead of a fresh thread pool (`createSegmentPool`, a queue). */
  readonly runner?: SegmentRunner;
}

/**
 * Cycles per segment when a run is too long for one proof: a run proven in 2^19-cycle segments
 * in one thread peaked at about 2.1 GiB (long.elf, 16.5 M cycles; one 2^20-cycle proof took
 * 2.5 GiB, bench/README.md); at issue 12's standard preset (blowup 4, with the prover's
 * memory cuts) sort at 1.06 M cycles peaks at 1.7 GiB so. Pools use `poolSegmentCycles`.
 */
export const DEFAULT_SEGMENT_CYCLES = 2 ** 19;
/**
 * Cycles from which `proveAsync` splits a single proof over worker threads: below, starting
 * the threads (each loads the prover and compiles its kernels) costs more than they save
 * (bench/README.md, "One proof on both cores").
 */
export const PARALLEL_PROOF_MIN_CYCLES = 2 ** 16;
/**
 * The default segment size for `threads` worker threads in one process: DEFAULT_SEGMENT_CYCLES
 * divided by the threads (rounded up to a power of two), at least 2^17. Each thread holds one
 * segment and its own WebAssembly memory, so at 2^19 two threads peaked at 4.4 GiB on long.elf
 * where one took 2.1 GiB; at 2^18 two took 2.4 GiB, proving as fast (bench/README.md,
 * "Segments on worker threads"); at the blowup-4 standard, sort at 1.06 M cycles on two
 * threads at 2^18 peaks at 1.9 GiB. The proof is larger (more segments): pass
 * `segmentCycles` to trade memory for proof size.
 */
export function poolSegmentCycles(threads: number): number {
  const shift = Math.ceil(Math.log2(Math.max(1, threads)));
  return Math.max(2 ** 17, DEFAULT_SEGMENT_CYCLES / 2 ** shift);
}
/** The segment sizes allowed: a segment pays a fixed proving cost, so tiny ones only multiply it. */
export const MIN_SEGMENT_CYCLES = 1024;
export const MAX_SEGMENT_CYCLES = 2 ** 26;

export interface ProveResult {
  /** A single STARK proof, or one per segment under one LogUp sum. */
  readonly proof: StarkProof | SegmentedProof;
  readonly statement: Statement;
  readonly claim: ZkvmClaim;
  readonly cycles: number;
  /** Log size per component in the proof (absent components are left out). */
  readonly components: Readonly<Record<string, number>>;
  /** The debug log of the run (not proven). */
  readonly log: Uint8Array;
}

/** What a verifier expects: the program (as an ELF or canonical program bytes) and the I/O. */
export interface ExpectedClaim {
  readonly elf?: Uint8Array;
  readonly program?: Uint8Array;
  readonly publicInput?: Uint8Array;
  readonly publicOutput: Uint8Array;
  readonly exitCode: number;
}

export interface VerifyOptions {
  /** Minimum conjectured security (default 96 bits). */
  readonly minSecurityBits?: number;
  /**
   * The PCS configurations accepted (default: the presets and this zkVM's own `security`). A
   * proof never chooses the configuration its verifier works with.
   */
  readonly configs?: readonly PcsConfig[];
}

const EMPTY = new Uint8Array(0);

/** A run's pass 1, kept to prove it without running the guest again. */
interface PassOne {
  readonly loaded: ElfProgram;
  readonly run: ExecutionResult;
  /** performance.now() when it began (the 'execute' timing). */
  readonly start: number;
}

/**
 * A zkVM assembled from plugins: runs, proves and verifies RV32IM guests.
 *
 * @example
 * const zkvm = createZkvm();                       // the full RV32IM preset
 * const { proof, claim } = zkvm.prove(elf, { publicInput });
 * zkvm.verify(proof, { elf, publicInput, publicOutput: claim.publicOutput, exitCode: 0 });
 */
export class Zkvm {
  readonly system: System;
  readonly security: PcsConfig;
  /** The precompile syscalls the system's plugins give the VM (`vm.syscall` extensions). */
  readonly syscalls: readonly SyscallExtension[];
  /** The custom instructions the system's plugins give the VM (`vm.instruction` extensions). */
  readonly instructions: readonly InstructionExtension[];
  /**
   * How the system's plugins group instructions into records tables (`vm.family` extensions;
   * the bundled `@nexus/air-*` plugins register riscv.md's families).
   */
  readonly families: readonly FamilyExtension[];
  /** The options this zkVM was built with (what `describeSystem` tells workers). */
  readonly options: ZkvmOptions;
  private readonly memory: MemoryOptions;
  private readonly maxCycles: number | undefined;

  constructor(options: ZkvmOptions = {}) {
    this.options = options;
    this.system = assembleSystem(withHash(options.plugins ?? defaultPlugins(), options.hash));
    this.syscalls = this.system.extensions(SYSCALL_EXTENSION) as SyscallExtension[];
    this.instructions = this.system.extensions(INSTRUCTION_EXTENSION) as InstructionExtension[];
    this.families = this.system.extensions(FAMILY_EXTENSION) as FamilyExtension[];
    this.checkFamilyOwners();
    try {
      const syscalls = syscallTable(this.syscalls);
      const instructions = instructionTable(this.instructions, syscalls);
      checkFamilyNames(familyPartition(this.families), [
        ...syscalls.values(),
        ...instructions.values(),
      ]);
    } catch (e) {
      throw new ZkvmError((e as Error).message, { reason: 'syscalls' });
    }
    this.security = resolveConfig(options.security);
    this.memory = options.memory ?? {};
    this.maxCycles = options.maxCycles;
  }

  /** The canonical program of an ELF under this zkVM's memory map (what statements hold). */
  program(elf: Uint8Array | ElfProgram): Uint8Array {
    return encodeProgram(elf instanceof Uint8Array ? loadElf(elf) : elf, this.memory);
  }

  /** The program commitment of an ELF: a hash of its canonical program. */
  programCommitment(elf: Uint8Array): Uint8Array {
    return this.system.hash.hash(this.program(elf), 'program');
  }

  /**
   * Runs a guest once and attributes every cycle, and its proving cost in this build, to a call
   * stack (`GuestProfile`; @nexus/vm `profile`), with the guest's cycle-tracker regions.
   */
  profile(elf: Uint8Array | ElfProgram, inputs: GuestInputs = {}): GuestProfile {
    const program = elf instanceof Uint8Array ? loadElf(elf) : elf;
    return profile(program, { ...this.runOptions(inputs), weights: this.profileWeights() });
  }

  /**
   * What each execution costs to prove in this build: the trace cells (main columns and LogUp
   * interaction columns) of the rows it adds to the components that prove its records table
   * (`rowsPerRecord` where a component spends several rows per record). The fixed-size tables
   * (program, memory image, range checks, byte pairs, register file) are not attributed.
   */
  profileWeights(): ProfileWeights {
    const perRecord = new Map<string, number>();
    for (const air of this.system.components) {
      const c = air.component as ZkvmComponent;
      const cells = c.columns.length + air.interactionColumns;
      const { table, rows } = c.rowsPerRecord ?? { table: c.name, rows: 1 };
      perRecord.set(table, (perRecord.get(table) ?? 0) + rows * cells);
    }
    const partition = familyPartition(this.families);
    const op = new Float64Array(OP_COUNT + 1);
    for (let k = 0; k < OP_COUNT; k++) {
      const f = partition.familyOf[k]!;
      if (f >= 0) op[k] = perRecord.get(partition.families[f]!.name) ?? 0;
    }
    const ecall = partition.families[partition.familyOf[Op.ECALL]!]?.name;
    const tables: Record<string, number> = {};
    for (const ext of [...this.syscalls, ...this.instructions])
      tables[ext.table] = perRecord.get(ext.table) ?? 0;
    return {
      op,
      syscall: ecall === undefined ? 0 : (perRecord.get(ecall) ?? 0),
      ioByte: perRecord.get('io') ?? 0,
      tables,
    };
  }

  /** Runs a guest (pass 1 only: fast, nothing proven). */
  run(elf: Uint8Array, inputs: GuestInputs = {}): RunResult {
    const r = execute(loadElf(elf), this.runOptions(inputs));
    return {
      exitCode: r.exitCode,
      publicOutput: r.output,
      log: r.log,
      cycles: r.cycles,
      stats: r.stats,
    };
  }

  /**
   * Runs a guest and proves the run: both VM passes, trace generation for every component,
   * then the STARK.
   *
   * @throws ZkvmError when the guest uses an instruction family no plugin of this zkVM proves;
   *   VM errors (faults, cycle limit) as the VM reports them.
   */
  prove(elf: Uint8Array, inputs: GuestInputs = {}, options: ProveOptions = {}): ProveResult {
    const start = performance.now();
    options.onProgress?.('execute', 0);
    const loaded = loadElf(elf);
    const run = execute(loaded, this.runOptions(inputs));
    return this.proveRun(loaded, run, inputs, options, start);
  }

  /**
   * `prove` after pass 1 (`run`, of `loaded` on `inputs`), which began at `start`
   * (performance.now(), for the 'execute' timing): proveAsync has run the guest already to
   * choose where to prove it, and a second pass 1 (and memory map) cost a small proof ~10%.
   */
  private proveRun(
    loaded: ElfProgram,
    run: ExecutionResult,
    inputs: GuestInputs,
    options: ProveOptions,
    start: number,
  ): ProveResult {
    const progress = options.onProgress;
    const timings = options.timings;
    let t = start;
    const lap = (phase: ZkvmPhase) => {
      const now = performance.now();
      if (timings) timings[phase] = now - t;
      t = now;
    };
    const runOptions = this.runOptions(inputs);
    lap('execute');
    progress?.('trace', 0.02);
    this.checkCoverage(run.stats);
    const size = checkSegmentCycles(options.segmentCycles);
    if (run.cycles > size) return this.proveSegmented(loaded, run, inputs, options, size);
    const records = generateRecords(loaded, deriveLayout(run.stats), runOptions);
    const encoded = encodeProgram(loaded, this.memory);
    const program = decodeProgram(encoded);
    const publicInput = inputs.publicInput ?? EMPTY;
    const ctx: ZkvmTraceContext = {
      program,
      records,
      publicInput,
      lookups: new Lookups(program, publicInput.length),
    };
    const traces = buildTraces(this.system, ctx);
    lap('trace');
    const statement = zkvmStatement({
      program: encoded,
      publicInput,
      publicOutput: records.publicOutput,
      exitCode: records.exitCode,
    });
    const proof = prove(this.system, { statement, traces }, this.proverOptions(options));
    const components: Record<string, number> = {};
    for (const [name, tr] of traces) components[name] = tr.logSize;
    return {
      proof,
      statement,
      claim: {
        programCommitment: this.system.hash.hash(encoded, 'program'),
        publicInput,
        publicOutput: records.publicOutput,
        exitCode: records.exitCode >>> 0,
      },
      cycles: records.cycles,
      components,
      log: records.log,
    };
  }

  /**
   * Proves a run as `prove` does, with the segments of a segmented run proven in parallel by
   * worker threads (`workers`, default one per core) or by the jobs of a `runner` (a thread
   * pool of your own, a job queue). The proof is byte for byte the one `prove` makes; every
   * worker result is checked before it is used (`proveWithRunner`). A run of one segment, or
   * `workers: 1` without a runner, is proven in this thread.
   *
   * Worker threads rebuild this zkVM from a description: the plugins by name when all are
   * bundled ones, else `systemModule` (a module exporting them); without either it throws a
   * ZkvmError (reason 'system') instead of quietly proving in one thread.
   *
   * @example
   * const controller = new AbortController();
   * const result = await zkvm.proveAsync(elf, { publicInput }, { workers: 2, signal: controller.signal });
   *
   * @throws ZkvmError (a segment no worker could prove, an undescribable system), the
   *   signal's reason when aborted, and what `prove` throws
   */
  async proveAsync(
    elf: Uint8Array,
    inputs: GuestInputs = {},
    options: AsyncProveOptions = {},
  ): Promise<ProveResult> {
    options.signal?.throwIfAborted();
    const size = checkSegmentCycles(options.segmentCycles);
    const { workers, runner } = options;
    if (workers !== undefined && (!Number.isInteger(workers) || workers < 1))
      throw new ZkvmError(`workers must be a positive integer (got ${workers})`, {
        reason: 'options',
      });
    const inThread = () => {
      const result = this.prove(elf, inputs, options);
      options.signal?.throwIfAborted();
      return result;
    };
    if (runner === undefined && workers === 1) return inThread();
    const start = performance.now();
    options.onProgress?.('execute', 0);
    const loaded = loadElf(elf);
    const run = execute(loaded, this.runOptions(inputs));
    if (run.cycles <= size) {
      // One proof from this pass 1: on a pool (given, or started for a run long enough to pay
      // for one), else in this thread.
      const once: PassOne = { loaded, run, start };
      if (options.pool !== undefined) return this.proveOnPool(once, inputs, options, options.pool);
      if (
        runner !== undefined ||
        options.reference === true ||
        run.cycles < PARALLEL_PROOF_MIN_CYCLES
      ) {
        const result = this.proveRun(loaded, run, inputs, options, start);
        options.signal?.throwIfAborted();
        return result;
      }
      return this.proveOnPool(once, inputs, options, null);
    }
    if (runner !== undefined) return proveWithRunner(this, elf, inputs, options, runner, size, run);
    // Node's worker threads, loaded only here and by a specifier bundlers leave alone: the
    // SDK's main entry stays loadable in a browser (the studio bundles it). The package's own
    // name, not a relative path: from the CLI's bundle (one file elsewhere) a relative path
    // would name a file next to the bundle; the package's node entry finds its thread files.
    const poolModule = '@nexus/sdk/node';
    let createSegmentPool: typeof import('./node.js').createSegmentPool;
    try {
      ({ createSegmentPool } = (await import(
        /* @vite-ignore */ poolModule
      )) as typeof import('./node.js'));
    } catch (e) {
      throw new ZkvmError(
        `worker threads need Node.js (${(e as Error).message}): pass workers: 1, or a runner`,
        { reason: 'workers' },
      );
    }
    const pool = createSegmentPool(workers === undefined ? {} : { threads: workers });
    // Without a size given, runs longer than the default are still the ones segmented, at a
    // size that keeps the threads together near one thread's memory.
    const poolSize = options.segmentCycles === undefined ? poolSegmentCycles(pool.threads) : size;
    try {
      return await proveWithRunner(this, elf, inputs, options, pool, poolSize, run);
    } finally {
      await pool.close();
    }
  }

  /**
   * One proof split over `given`, or over a fresh prover pool of `workers` threads (default
   * one per core, this thread included) stopped after it, whatever happens. The proof is
   * verified before it is returned, as every proof a segment worker returns is: a thread that
   * computed a wrong value (a bug, a race) makes a ZkvmError here, never a proof that fails
   * later in someone else's hands. It costs one verification (milliseconds to a few hundred).
   */
  private async proveOnPool(
    once: PassOne,
    inputs: GuestInputs,
    options: AsyncProveOptions,
    given: ProverPool | null,
  ): Promise<ProveResult> {
    if (given !== null) return this.proveChecked(once, inputs, options, given);
    // Node's worker threads, loaded only here and by the package's own name (as the segment
    // pool): the SDK's main entry stays loadable in a browser, and from the CLI's bundle the
    // package's node entry finds its thread files.
    const poolModule = '@nexus/sdk/node';
    let createProverPool: typeof import('./node.js').createProverPool;
    try {
      ({ createProverPool } = (await import(
        /* @vite-ignore */ poolModule
      )) as typeof import('./node.js'));
    } catch (e) {
      throw new ZkvmError(
        `worker threads need Node.js (${(e as Error).message}): pass workers: 1, or a pool`,
        { reason: 'workers' },
      );
    }
    const pool = await createProverPool(
      options.workers === undefined ? {} : { threads: options.workers },
    );
    try {
      return this.proveChecked(once, inputs, options, pool);
    } finally {
      await pool.close();
    }
  }

  /** `prove` on a pool from pass 1, then the proof verified (see proveOnPool). */
  private proveChecked(
    once: PassOne,
    inputs: GuestInputs,
    options: AsyncProveOptions,
    pool: ProverPool,
  ): ProveResult {
    options.signal?.throwIfAborted();
    const result = this.proveRun(once.loaded, once.run, inputs, { ...options, pool }, once.start);
    options.signal?.throwIfAborted();
    try {
      verifyAny(this.system, result.proof, result.statement, {
        configs: [resolveConfig(this.proverOptions(options).config)],
        minSecurityBits: 0,
      });
    } catch (e) {
      throw new ZkvmError(
        `the proof made on the prover's threads does not verify (${(e as Error).message}): a thread computed a wrong value`,
        { reason: 'workers' },
      );
    }
    return result;
  }

  /**
   * A segmented proof in two passes over the segments, one segment's records and traces alive
   * at a time: commit each (phase 1), draw the challenges from all commitments, then
   * re-generate each segment's records and traces (pass 2 again, deterministic) and prove it.
   */
  private proveSegmented(
    loaded: ElfProgram,
    run: ExecutionResult,
    inputs: GuestInputs,
    options: ProveOptions,
    segmentCycles: number,
  ): ProveResult {
    const seg = new SegmentedRun(this, loaded, inputs, segmentCycles, run);
    const count = seg.count;
    const proverOptions = (step: number) => this.proverOptions(options, step, 2 * count);
    const commitments: SegmentCommitment[] = [];
    for (let k = 0; k < count; k++) {
      options.onSegment?.('commit', k, count);
      commitments.push(seg.commit(k, proverOptions(k)));
    }
    const proofs: StarkProof[] = [];
    for (let k = 0; k < count; k++) {
      options.onSegment?.('prove', k, count);
      proofs.push(seg.prove(k, commitments, proverOptions(count + k)));
    }
    const proof = finishSegments(this.system, seg.statement, commitments, proofs, proverOptions(0));
    return this.segmentedResult(seg, proof);
  }

  /** @internal The prove result of a segmented run and its proof. */
  segmentedResult(seg: SegmentedRun, proof: SegmentedProof): ProveResult {
    const { run } = seg;
    return {
      proof,
      statement: seg.statement,
      claim: {
        programCommitment: this.system.hash.hash(seg.encoded, 'program'),
        publicInput: seg.publicInput,
        publicOutput: run.output,
        exitCode: run.exitCode >>> 0,
      },
      cycles: run.cycles,
      components: { ...seg.components },
      log: run.log,
    };
  }

  /**
   * @internal The prover's options for step `step` of `steps` (progress scaled into the whole
   * proof).
   */
  proverOptions(options: ProveOptions, step = 0, steps = 1) {
    const progress = options.onProgress;
    const timings = options.timings;
    return {
      config: options.security ?? this.security,
      ...(options.checkConstraints === undefined
        ? {}
        : { checkConstraints: options.checkConstraints }),
      ...(progress
        ? {
            onProgress: (phase: ProvePhase, f: number) =>
              progress(phase, 0.1 + (0.9 * (step + f)) / steps),
          }
        : {}),
      ...(timings ? { timings: timings as Partial<Record<ProvePhase, number>> } : {}),
      reference: options.reference === true,
      ...(options.kernels ? { kernels: options.kernels } : {}),
      ...(options.pool ? { pool: options.pool } : {}),
    };
  }

  /** The statement a verifier checks a proof against. */
  statement(expected: ExpectedClaim): Statement {
    let program = expected.program;
    if (program === undefined) {
      if (expected.elf === undefined)
        throw new ZkvmError(
          'give the program to verify against: its ELF or its canonical program bytes',
        );
      program = this.program(expected.elf);
    }
    return zkvmStatement({
      program,
      publicInput: expected.publicInput ?? EMPTY,
      publicOutput: expected.publicOutput,
      exitCode: expected.exitCode >>> 0,
    });
  }

  /**
   * Verifies that the proof shows this program, run on this public input, produced this public
   * output and exit code. Returns normally only if every check passes.
   *
   * @throws VerificationError naming the failed check, or ProofFormatError for bad bytes.
   */
  verify(
    proof: StarkProof | SegmentedProof | Uint8Array,
    expected: ExpectedClaim,
    options: VerifyOptions = {},
  ): void {
    verifyAny(this.system, proof, this.statement(expected), this.verifyOptions(options));
  }

  /** The proof file of a proof (claim + proof, versioned binary). */
  proofFile(result: ProveResult): Uint8Array {
    return encodeProofFile({
      hashId: this.system.hash.id,
      programCommitment: result.claim.programCommitment,
      systemDigest: this.system.digest,
      publicInput: result.claim.publicInput,
      publicOutput: result.claim.publicOutput,
      exitCode: result.claim.exitCode,
      proof:
        'segments' in result.proof ? encodeSegmentedProof(result.proof) : encodeProof(result.proof),
    });
  }

  /**
   * Verifies a proof file against an ELF. The public input, output and exit code checked are
   * the file's unless `expected` overrides them (a verifier that knows what it expects passes
   * them, and then the file cannot substitute others). Returns the verified claim.
   *
   * @throws ZkvmError when the file is for another hash backend (reason 'hash'), another program
   *   or another plugin set;
   *   VerificationError / ProofFormatError when the proof does not hold or does not decode.
   */
  verifyFile(
    file: Uint8Array,
    elf: Uint8Array,
    expected: { publicInput?: Uint8Array; publicOutput?: Uint8Array; exitCode?: number } = {},
    options: VerifyOptions = {},
  ): ZkvmClaim {
    const f = decodeProofFile(file);
    // The backend first: program commitments are hashes too, so with another backend every
    // later check would fail for a reason that is not the user's mistake.
    if (f.hashId !== null && f.hashId !== this.system.hash.id) {
      throw new ZkvmError(
        `the proof was made with the ${describeHash(f.hashId)} hash backend; this verifier uses ${describeHash(this.system.hash.id)}: a proof verifies only with the backend that made it`,
        { reason: 'hash', proofHash: f.hashId, verifierHash: this.system.hash.id },
      );
    }
    const program = this.program(elf);
    const commitment = this.system.hash.hash(program, 'program');
    if (!bytesEqual(commitment, f.programCommitment)) {
      throw new ZkvmError(
        'the proof is for a different program than this ELF (program commitments differ)',
        {
          reason: 'program',
        },
      );
    }
    if (!bytesEqual(this.system.digest, f.systemDigest)) {
      throw new ZkvmError(
        'the proof was made by a zkVM with a different plugin set (system digests differ): verify with the same plugins (--config) that proved',
        { reason: 'system' },
      );
    }
    const claim = {
      publicInput: expected.publicInput ?? f.publicInput,
      publicOutput: expected.publicOutput ?? f.publicOutput,
      exitCode: expected.exitCode ?? f.exitCode,
    };
    verifyAny(
      this.system,
      f.proof,
      this.statement({ program, ...claim }),
      this.verifyOptions(options),
    );
    return { programCommitment: commitment, ...claim, exitCode: claim.exitCode >>> 0 };
  }

  /**
   * Every records table the run fills must be proven by a component of this system (a
   * component proves the table of its own name, or those its `proves` lists): fails before any
   * proving work, naming the plugin to add.
   */
  /** @internal */
  checkCoverage(stats: ExecutionStats): void {
    const unclaimed = Object.keys(stats.unclaimed);
    if (unclaimed.length > 0) {
      const plugins = [...new Set(unclaimed.map((m) => familyProviderOf(m) ?? 'a plugin'))];
      throw new ZkvmError(
        `the guest executes ${unclaimed.join(', ')} instructions, which no plugin of this zkVM proves: add ${plugins.join(' and ')} to the plugin list`,
        { reason: 'coverage', mnemonics: unclaimed },
      );
    }
    const proven = new Set<string>();
    for (const air of this.system.components) {
      const c = air.component as { name: string; proves?: readonly string[] };
      for (const t of c.proves ?? [c.name]) proven.add(t);
    }
    for (const [family, rows] of Object.entries(stats.familyRows)) {
      if (rows > 0 && !proven.has(family)) {
        const fam = this.families.find((f) => f.name === family);
        throw new ZkvmError(
          `the guest executes ${family} instructions, which no plugin of this zkVM proves: add ${fam?.plugin ?? providerOf(family) ?? `a plugin whose component proves '${family}'`} to the plugin list`,
          { reason: 'coverage', family },
        );
      }
    }
    for (const [table, rows] of Object.entries(stats.precompileRows)) {
      if (rows > 0 && !proven.has(table)) {
        const ext = [...this.syscalls, ...this.instructions].find((s) => s.table === table);
        throw new ZkvmError(
          `the guest calls ${ext?.name ?? table}, whose plugin registers the VM side but no component proves its table '${table}': add the plugin's components (${ext?.plugin ?? 'its package'})`,
          { reason: 'coverage', table },
        );
      }
    }
  }

  /**
   * A family's rows are proven by the component of its name, so that component must come from
   * the plugin that registers the family (and the family must name its plugin truly): else a
   * family could send instruction rows to a table component that never reads them.
   */
  private checkFamilyOwners(): void {
    for (const { owner, value } of this.system.extensionEntries(FAMILY_EXTENSION)) {
      const family = value as FamilyExtension;
      if (family?.plugin !== owner) {
        throw new ZkvmError(
          `plugin ${owner} registers family ${family?.name} as ${family?.plugin}'s: a family names the plugin that registers it`,
          { reason: 'syscalls' },
        );
      }
      const prover = this.system.componentOwner(family.name);
      if (prover !== undefined && prover !== owner) {
        throw new ZkvmError(
          `family ${family.name} of ${owner} would be proven by component ${family.name} of ${prover}: a family's component comes from the plugin that registers the family`,
          { reason: 'syscalls' },
        );
      }
    }
  }

  private verifyOptions(options: VerifyOptions): VerifyOptions {
    const presets: readonly PcsConfig[] = Object.values(SECURITY);
    const own = presets.includes(this.security) ? [] : [this.security];
    return { ...options, configs: options.configs ?? [...presets, ...own] };
  }

  /** @internal The VM's options for a run on these inputs. */
  runOptions(inputs: GuestInputs) {
    return {
      ...this.memory,
      publicInput: inputs.publicInput ?? EMPTY,
      privateInput: inputs.privateInput ?? EMPTY,
      syscalls: this.syscalls,
      instructions: this.instructions,
      families: this.families,
      ...(this.maxCycles === undefined ? {} : { maxCycles: this.maxCycles }),
    };
  }
}

export function createZkvm(options: ZkvmOptions = {}): Zkvm {
  return new Zkvm(options);
}

/**
 * The bundled plugin whose component proves a records table (a component proves the table of
 * its name), learned from the plugins themselves.
 */
function providerOf(table: string): string | undefined {
  return bundledPlugins().find((p) => componentsOf(p).includes(table))?.name;
}

/** A prove result holding one STARK proof (a run no longer than one segment). */
export type SingleProveResult = ProveResult & { readonly proof: StarkProof };

/**
 * The result as one STARK proof, for code that reads the proof's fields (tests, tools).
 *
 * @throws ZkvmError when the run was proven in segments
 */
export function singleProof(result: ProveResult): SingleProveResult {
  if ('segments' in result.proof) {
    throw new ZkvmError(
      `the run was proven in ${result.proof.segments.length} segments, not as one STARK proof`,
      { reason: 'segmented' },
    );
  }
  return result as SingleProveResult;
}

/** Verifies a single or a segmented proof (objects by shape, bytes by their magic number). */
function verifyAny(
  system: System,
  proof: StarkProof | SegmentedProof | Uint8Array,
  statement: Statement,
  options: VerifyOptions,
): void {
  if (proof instanceof Uint8Array) {
    if (isSegmentedProof(proof)) verifySegments(system, proof, statement, options);
    else verify(system, proof, statement, options);
  } else if ('segments' in proof) verifySegments(system, proof, statement, options);
  else verify(system, proof, statement, options);
}

/** Checks a segment size option; without one, the default size. */
function checkSegmentCycles(n: number | undefined): number {
  if (n === undefined) return DEFAULT_SEGMENT_CYCLES;
  if (!Number.isInteger(n) || n < MIN_SEGMENT_CYCLES || n > MAX_SEGMENT_CYCLES) {
    throw new ZkvmError(
      `segmentCycles must be an integer from ${MIN_SEGMENT_CYCLES} to ${MAX_SEGMENT_CYCLES} (got ${n}): a segment pays a fixed proving cost, so tiny ones only multiply it`,
      { reason: 'options' },
    );
  }
  return n;
}

/** The bundled plugin that registers a family recording an instruction (by mnemonic). */
function familyProviderOf(mnemonic: string): string | undefined {
  return bundledPlugins().find((p) =>
    (extensionsOf(p, FAMILY_EXTENSION) as FamilyExtension[]).some((f) => f.ops.includes(mnemonic)),
  )?.name;
}
