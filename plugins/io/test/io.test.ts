import {
  checkMutations,
  columnOf,
  forge,
  IO_PRIVATE_INPUT,
  IO_PUBLIC_INPUT,
  ioProgram,
  traceRun,
} from '@nexus/air-testing';
import { analyzeComponent } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { ioComponent, publicInputComponent } from '../src/index.js';
import { preprocessed } from '../src/trace.js';

describe('io AIR', () => {
  const run = traceRun(ioProgram(), {
    publicInput: IO_PUBLIC_INPUT,
    privateInput: IO_PRIVATE_INPUT,
  });

  it('stays within degree 3', () => {
    expect(analyzeComponent(ioComponent).maxDegree).toBeLessThanOrEqual(3);
    expect(analyzeComponent(publicInputComponent).maxDegree).toBeLessThanOrEqual(3);
  });

  it('one row per moved byte, with the VM values', () => {
    const t = ioComponent.traceFor(run.context())!;
    const col = (n: string) => t.columns[ioComponent.columns.indexOf(n)]!;
    expect(Array.from(col('sel')).filter((v) => v === 1)).toHaveLength(run.records.io.length);
    // the first three rows are the public input bytes at positions 0..2
    expect(Array.from(col('byte').subarray(0, 3))).toEqual([1, 2, 3]);
    expect(Array.from(col('remaining').subarray(0, 3))).toEqual([3, 2, 1]);
  });

  it('pins every computed cell; tape bytes and positions are bound by their buses', () => {
    const t = ioComponent.traceFor(run.context())!;
    const n = run.records.io.length;
    const rows = [0, 1, 2, 3, 7, n - 4, n - 1, 2 ** t.logSize - 1];
    const report = checkMutations(ioComponent, run.context(), {
      rows,
      pinned: [
        'is_private',
        'is_public',
        'is_output',
        'is_log',
        'f0',
        'f1',
        'f2',
        'f3',
        'new0',
        'new1',
        'new2',
        'new3',
        'lo',
        'hi',
      ],
    });
    expect(report.unpinned).toEqual([]);
    expect(report.unobservable).toEqual([]);
  });

  it('range-checks public bytes too: a read cannot take the end marker (L, 256) as data', () => {
    // Rows 0..2 read the 3-byte public input into buf + 0..2 (a short read of 16). Forged: the
    // last one takes the table's end marker (3, 256) instead of (2, 3) and writes 256 into its
    // word. The marker is a row of the public input table, the word update is consistent, so
    // no constraint fails: only the byte's range check (a pair lookup of 256) can refuse it.
    // Before the fix only private bytes were range-checked, and this came out as
    // { constraints: [], outsideTables: false }: issue 16's accepted "read returns L + 1".
    const t = ioComponent.traceFor(run.context())!;
    const col = (n: string) => columnOf(ioComponent, t, n);
    expect([col('is_public')[2], col('pos')[2], col('byte')[2], col('f2')[2]]).toEqual([
      1, 2, 3, 1,
    ]);
    const marker = IO_PUBLIC_INPUT.length;
    const forged = forge(ioComponent, run.context(), [
      { column: 'pos', row: 2, value: marker },
      { column: 'byte', row: 2, value: 256 },
      { column: 'new2', row: 2, value: 256 },
    ]);
    expect(forged).toEqual({ constraints: [], outsideTables: true });
    // A private byte of 256 was caught the same way before the fix, and still is.
    const p = Array.from(col('is_private')).indexOf(1);
    const offset = [0, 1, 2, 3].find((k) => col(`f${k}`)[p] === 1)!;
    expect(
      forge(ioComponent, run.context(), [
        { column: 'byte', row: p, value: 256 },
        { column: `new${offset}`, row: p, value: 256 },
      ]),
    ).toEqual({ constraints: [], outsideTables: true });
  });

  it('the public input table: honest passes, a multiplicity on padding is caught', () => {
    const gen = (id: string, logSize: number) =>
      preprocessed.find((p) => p.id === id)!.generate(run.statement, logSize);
    const report = checkMutations(publicInputComponent, run.context(), {
      preprocessed: gen,
      selector: 'none',
      rows: [0, 3, 5],
    });
    // row 3 is the end marker, row 5 padding: a multiplicity there breaks 'padding rows yield nothing'
    expect(report.results.filter((r) => r.row === 5).every((r) => r.outcome === 'constraint')).toBe(
      true,
    );
    expect(report.results.filter((r) => r.row < 4).every((r) => r.outcome === 'bus')).toBe(true);
  });
});
