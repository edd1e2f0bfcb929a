import {
  COLUMNWISE_BELOW,
  type CompiledConstraints,
  columnwiseMachine,
  MACHINE_BLOCK,
} from '@nexus/kernel';
import { type ProverPool, poolFor, rowChunk } from './pool.js';
import { type CompiledJob, runCompiledRows, runProgramRows } from './tasks.js';

/**
 * The pool that evaluates `rows` rows of constraint code (composition, bus entries, trace
 * checks), or null where this thread runs them alone: a step too small to split, and, without
 * a WebAssembly machine, anything below COLUMNWISE_BELOW rows (column by column on
 * TypeScript here costs less than compiling the generated code on every thread).
 */
export function constraintPool(pool: ProverPool | null, rows: number): ProverPool | null {
  if (columnwiseMachine() === null && rows < COLUMNWISE_BELOW) return null;
  return poolFor(pool, rows);
}

/**
 * Rows [0, rows) of a compiled constraint set over the pool, in row ranges. With this thread's
 * WebAssembly machine (kernel withColumnwiseMachine), every thread runs the set's machine
 * program, posted as data; the blocks a machine declines (non-canonical inputs) are evaluated
 * here afterwards, where TypeScript defines their values, and in assert mode a declined
 * block raises `failed` as a failing row does. Without a machine, every thread compiles the
 * generated code. Same values either way, so the same proof.
 */
export function runConstraintJob(
  pool: ProverPool,
  kind: CompiledJob['kind'],
  compiled: CompiledConstraints,
  args: CompiledJob['args'],
  rows: number,
  failed?: Int32Array,
): void {
  const machine = columnwiseMachine();
  const program = machine === null ? null : compiled.program;
  const chunk = rowChunk(pool, rows);
  const job: CompiledJob = {
    kind,
    count: Math.ceil(rows / chunk),
    program,
    sources: program === null ? compiled.sources : null,
    declined:
      program === null || kind === 'assert'
        ? null
        : new Int32Array(new SharedArrayBuffer(4 * Math.ceil(rows / MACHINE_BLOCK))),
    rows,
    chunk,
    args,
    ...(failed === undefined ? {} : { failed }),
  };
  pool.run(job, (i) => {
    const start = i * chunk;
    const end = Math.min(rows, start + chunk);
    if (program !== null) runProgramRows(job, machine!, start, end);
    else runCompiledRows(job, compiled.run, start, end);
  });
  const declined = job.declined;
  if (declined === null) return;
  for (let b = 0; b < declined.length; b++) {
    if (declined[b] === 0) continue;
    const start = b * MACHINE_BLOCK;
    compiled.run({ ...args, start, end: Math.min(rows, start + MACHINE_BLOCK) });
  }
}
