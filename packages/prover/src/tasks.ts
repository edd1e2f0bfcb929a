import {
  type ColumnwiseMachine,
  type ColumnwiseProgram,
  type CompiledArgs,
  type HashBackend,
  MACHINE_BLOCK,
  runProgramBlocks,
} from '@nexus/kernel';
import { type DeepPlan, deepRows } from './deep.js';
import type { ProverKernels } from './kernels.js';
import { type LogupConstraintPlan, logupConstraintRows } from './logup-composition.js';
import { type InteractionPlan, interactionRows } from './logup-rows.js';
import { hashNodeRange } from './merkle.js';
import { type OodsPlan, oodsRows } from './oods.js';
import { type ExtensionItem, extendItem } from './tree.js';

/**
 * The jobs the prover splits over a ProverPool (pool.ts), as plain data a worker receives by
 * postMessage: every array a task writes, and every large one it reads, is over shared memory
 * (shared.ts). Task i of a job writes its own columns, or its own rows, never another task's.
 */
export type ProverJob =
  | ExtensionJob
  | MerkleJob
  | CompiledJob
  | DeepJob
  | InteractionJob
  | LogupJob
  | OodsJob;

/** Task i: column i's interpolation from row order and/or its extension (tree.ts). */
export interface ExtensionJob {
  readonly kind: 'extension';
  readonly count: number;
  readonly typescript: boolean;
  readonly items: readonly ExtensionItem[];
}

/** Task i: nodes [i·chunk, (i+1)·chunk) of one Merkle layer (merkle.ts). */
export interface MerkleJob {
  readonly kind: 'merkle';
  readonly count: number;
  /** The hash backend's id: the workers build their own. */
  readonly hash: string;
  readonly chunk: number;
  readonly children: Uint32Array | null;
  readonly columns: readonly Uint32Array[];
  readonly out: Uint32Array;
}

/**
 * Task i: rows [i·chunk, (i+1)·chunk) of compiled constraint code (kernel compileConstraints):
 * 'compose' accumulates a component's constraints on the extended domain (composition.ts),
 * 'entries' writes its bus entries' columns (entries.ts), 'assert' checks its constraints on
 * the trace and raises `failed` where one does not hold (checks.ts). Each thread runs either
 * the program on its WebAssembly machine or the generated code, compiled there.
 */
export interface CompiledJob {
  readonly kind: 'compose' | 'entries' | 'assert';
  readonly count: number;
  /** The machine's program for the job's mode (kernel runProgramBlocks), or null. */
  readonly program: ColumnwiseProgram | null;
  /** Without a program: the generated code, for the job's mode. */
  readonly sources: readonly string[] | null;
  /**
   * With a program, 'compose' and 'entries': word b set to 1 where a machine declined rows
   * [b·MACHINE_BLOCK, (b+1)·MACHINE_BLOCK) having written nothing; the caller evaluates them.
   */
  readonly declined: Int32Array | null;
  readonly rows: number;
  readonly chunk: number;
  readonly args: Omit<CompiledArgs, 'start' | 'end' | 'fail'>;
  /** 'assert': word 0 set to 1 by a task that found a failing row. */
  readonly failed?: Int32Array;
}

const MODE = { compose: 'accumulate', entries: 'write', assert: 'assert' } as const;

/**
 * Runs rows [start, end) of a job's program on a machine (the same on every thread): a block
 * the machine declines is left to the caller ('compose', 'entries': `declined`) or raises
 * `failed` ('assert': the caller then names the failing rows on one thread).
 */
export function runProgramRows(
  job: CompiledJob,
  machine: ColumnwiseMachine,
  start: number,
  end: number,
): void {
  // Blocks start at multiples of MACHINE_BLOCK: a task starts at a multiple of its chunk, a
  // power of two of at least 2^12 (pool.ts rowChunk), so `from / MACHINE_BLOCK` is the block.
  runProgramBlocks(machine, job.program!, { ...job.args, start, end }, (from) => {
    if (job.kind === 'assert') Atomics.store(job.failed!, 0, 1);
    else Atomics.store(job.declined!, from / MACHINE_BLOCK, 1);
  });
}

/** Runs rows [start, end) of a compiled job (the same on every thread). */
export function runCompiledRows(
  job: CompiledJob,
  run: (args: CompiledArgs) => void,
  start: number,
  end: number,
): void {
  if (job.kind !== 'assert') {
    run({ ...job.args, start, end, strategy: 'compiled' });
    return;
  }
  const failed = job.failed!;
  const found = new Error('a constraint failed');
  try {
    run({
      ...job.args,
      start,
      end,
      strategy: 'compiled',
      fail: () => {
        Atomics.store(failed, 0, 1);
        throw found;
      },
    });
  } catch (e) {
    if (e !== found) throw e;
  }
}

/** Task i: rows [i·chunk, (i+1)·chunk) of one DEEP quotient (deep.ts). */
export interface DeepJob {
  readonly kind: 'deep';
  readonly count: number;
  readonly typescript: boolean;
  readonly chunk: number;
  readonly plan: DeepPlan;
}

/** Task i: rows [i·chunk, (i+1)·chunk) of one component's interaction trace (logup.ts). */
export interface InteractionJob {
  readonly kind: 'interaction';
  readonly count: number;
  readonly typescript: boolean;
  readonly chunk: number;
  readonly plan: InteractionPlan;
}

/** Task i: rows [i·chunk, (i+1)·chunk) of one component's LogUp constraints (logup-composition.ts). */
export interface LogupJob {
  readonly kind: 'logup';
  readonly count: number;
  readonly typescript: boolean;
  readonly chunk: number;
  readonly plan: LogupConstraintPlan;
}

/** Task i: columns [i·chunk, (i+1)·chunk) of one out-of-domain sample point (oods.ts). */
export interface OodsJob {
  readonly kind: 'oods';
  readonly count: number;
  readonly typescript: boolean;
  readonly plan: OodsPlan;
}

/** What a thread needs besides a job: its hash backends, kernels and compiled code. */
export interface TaskEnvironment {
  hash(id: string): HashBackend;
  kernels(typescript: boolean): ProverKernels;
  /** The thread's WebAssembly machine for columnwise programs (null: it has none). */
  readonly machine: ColumnwiseMachine | null;
  compiled(
    sources: readonly string[],
    mode: 'accumulate' | 'assert' | 'write',
  ): (args: CompiledArgs) => void;
}

/** Runs task `task` of `job` (on a worker; the calling thread runs the same functions). */
export function runProverTask(job: ProverJob, task: number, env: TaskEnvironment): void {
  switch (job.kind) {
    case 'extension':
      extendItem(job.items[task]!, env.kernels(job.typescript));
      return;
    case 'merkle': {
      const start = task * job.chunk;
      hashNodeRange(
        env.hash(job.hash),
        job,
        start,
        Math.min(start + job.chunk, job.out.length / 8),
      );
      return;
    }
    case 'compose':
    case 'entries':
    case 'assert': {
      const start = task * job.chunk;
      const end = Math.min(start + job.chunk, job.rows);
      if (job.program !== null) {
        if (env.machine === null) {
          throw new Error(`this thread has no WebAssembly machine for a '${job.kind}' program`);
        }
        runProgramRows(job, env.machine, start, end);
        return;
      }
      runCompiledRows(job, env.compiled(job.sources!, MODE[job.kind]), start, end);
      return;
    }
    case 'interaction': {
      const start = task * job.chunk;
      const end = Math.min(start + job.chunk, job.plan.total[0].length);
      interactionRows(job.plan, start, end, env.kernels(job.typescript));
      return;
    }
    case 'logup': {
      const start = task * job.chunk;
      const end = Math.min(start + job.chunk, job.plan.factor.length);
      logupConstraintRows(job.plan, start, end, env.kernels(job.typescript));
      return;
    }
    case 'oods':
      oodsRows(job.plan, task, env.kernels(job.typescript));
      return;
    case 'deep': {
      const start = task * job.chunk;
      const end = Math.min(start + job.chunk, job.plan.xs.length);
      deepRows(job.plan, start, end, env.kernels(job.typescript));
      return;
    }
  }
}
