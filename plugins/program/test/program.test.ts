import {
  checkMutations,
  IO_PRIVATE_INPUT,
  IO_PUBLIC_INPUT,
  ioProgram,
  traceRun,
} from '@nexus/air-testing';
import { analyzeComponent } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { programComponent } from '../src/index.js';
import { preprocessed } from '../src/trace.js';

describe('program table', () => {
  const run = traceRun(ioProgram(), {
    publicInput: IO_PUBLIC_INPUT,
    privateInput: IO_PRIVATE_INPUT,
  });
  const gen = (id: string, logSize: number) =>
    preprocessed.find((p) => p.id === id)!.generate(run.statement, logSize);

  it('lists every decoded instruction with its fields, and yields them as a table', () => {
    const logSize = programComponent.traceFor(run.context())!.logSize;
    const pc = gen('program.pc', logSize);
    const op = gen('program.op', logSize);
    const rdNz = gen('program.rd_nz', logSize);
    expect(pc[0]).toBe(0x10000);
    expect(op[0]).toBe(Op.LUI); // li a1, 0x20000
    expect(rdNz[0]).toBe(1);
    const air = analyzeComponent(programComponent);
    expect(air.entries).toHaveLength(1);
    expect(air.entries[0]!.bound).toBe('table');
  });

  it('multiplicities are the execution counts; padding rows cannot yield', () => {
    const ctx = run.context();
    // what the instruction rows count when their traces are built
    for (const f of Object.values(run.records.families)) {
      for (let r = 0; r < (f?.length ?? 0); r++)
        ctx.lookups.program[run.program.indexOfPc(f!.columns.pc![r]!)]!++;
    }
    const t = programComponent.traceFor(ctx)!;
    const n = run.program.instructions.pc.length;
    // a straight-line program runs each instruction once
    expect(Array.from(t.columns[0]!.subarray(0, n)).every((m) => m === 1)).toBe(true);
    const report = checkMutations(programComponent, ctx, {
      preprocessed: gen,
      selector: 'none',
      rows: [0, n - 1, n, 2 ** t.logSize - 1],
    });
    for (const r of report.results) expect(r.outcome).toBe(r.row < n ? 'bus' : 'constraint');
  });

  it('a statement whose program does not fit the claimed size is refused', () => {
    expect(() => gen('program.pc', 2)).toThrow(/more than a table of 2\^2 rows/);
  });
});
