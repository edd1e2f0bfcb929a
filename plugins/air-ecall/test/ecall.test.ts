import {
  buildElf,
  exit,
  familyChecks,
  IO_PRIVATE_INPUT,
  IO_PUBLIC_INPUT,
  ioProgram,
  li,
  traceRun,
  write,
} from '@nexus/air-testing';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import { analyzeComponent } from '@nexus/kernel';
import { program as programTable } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { describe, expect, it } from 'vitest';
import { ecall, ecallComponent } from '../src/index.js';

/** The real tables a family's lookups must balance against. */
const TABLES = [blake2s(), programTable(), bitwise(), rangeCheck()];
const checks = familyChecks(ecallComponent, ecall(), TABLES);

describe('ECALL AIR', () => {
  const run = traceRun(ioProgram(), {
    publicInput: IO_PUBLIC_INPUT,
    privateInput: IO_PRIVATE_INPUT,
  });

  it('stays within degree 3', () => {
    expect(analyzeComponent(ecallComponent).maxDegree).toBeLessThanOrEqual(3);
  });

  it('covers exit, short reads of both tapes, an ended tape, output and log writes', () => {
    const t = ecallComponent.traceFor(run.context())!;
    const col = (n: string) => checks.column(t, n);
    expect(Array.from(col('is_read').subarray(0, 6))).toEqual([1, 1, 1, 0, 0, 0]);
    expect(Array.from(col('short').subarray(0, 6))).toEqual([1, 1, 1, 0, 0, 0]);
    expect(Array.from(col('ended').subarray(0, 6))).toEqual([0, 0, 1, 0, 0, 0]);
    expect(Array.from(col('public_short').subarray(0, 6))).toEqual([1, 0, 0, 0, 0, 0]);
    expect(Array.from(col('is_exit').subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('looks up exactly what it counts, and only program rows that exist', () => {
    expect(checks.tableImbalance(run)).toEqual([]);
  });

  it('takes only buffers below 0x7f000000: a1 = 0x7fffffff (= p, 0 in the field) is refused', () => {
    // Row 3 writes 16 bytes of output from buf = a1. With a1 = 0x7fffffff the io cursor would
    // start at the field element 0, so its first io row could move the byte at address 0 (mapped
    // when a segment starts there) where the VM faults on 0x7fffffff. No constraint reads a1's
    // bytes but the bound, so the bound's lookup must be what refuses it. Before the fix
    // (byte 3 < 128) it was allowed: { constraints: [], outsideTables: false }.
    const t = ecallComponent.traceFor(run.context())!;
    expect(checks.column(t, 'is_write')[3]).toBe(1);
    const withA1 = (v: number) =>
      checks.forge(
        run.context(),
        [0, 1, 2, 3].map((k) => ({ column: `a1_v${k}`, row: 3, value: (v >>> (8 * k)) & 0xff })),
      );
    expect(withA1(0x7fffffff)).toEqual({ constraints: [], outsideTables: true });
    expect(withA1(0x7f000000)).toEqual({ constraints: [], outsideTables: true });
    // The highest buffer start allowed passes the bound (its io rows still need mapped words).
    expect(withA1(0x7effffff)).toEqual({ constraints: [], outsideTables: false });
  });

  it('refuses to trace a call with a buffer above the bound, which the VM runs when it moves nothing', () => {
    const elf = buildElf({ code: [...li(11, 0x7f000000), ...li(12, 0), ...write(1), ...exit(0)] });
    const empty = traceRun(elf);
    expect(empty.records.exitCode).toBe(0);
    expect(() => ecallComponent.traceFor(empty.context())).toThrow(
      /buffer 0x7f000000, at or above 0x7f000000: the zkVM proves no access there/,
    );
  });

  it('pins every computed cell with a constraint; other cells change the bus tuples', () => {
    const t = ecallComponent.traceFor(run.context())!;
    const rows = [0, 1, 2, 3, 4, 5, 2 ** t.logSize - 1];
    const pinned = [
      'is_exit',
      'is_read',
      'is_write',
      'is_public',
      'is_log',
      'n0',
      'n1',
      'n2',
      'n3',
      'd0',
      'd1',
      'd2',
      'd3',
      'borrow0',
      'borrow1',
      'borrow2',
      'borrow3',
      'short',
      'short_inv',
      'public_short',
      'tape_reg',
      'new_ended',
      'a7_lo',
      'a7_hi',
      'a0_lo',
      'a0_hi',
      'a1_lo',
      'a1_hi',
      'a2_lo',
      'a2_hi',
      'tape_lo',
      'tape_hi',
    ];
    const report = checks.mutations(run.context(), { rows, pinned });
    expect(report.checked).toBeGreaterThan(300);
    // Cells a row does not read: short_inv when short = 0; on the exit row, everything of
    // read/write (byte count, len - n, tape register). Any other escape is a failure.
    const col = (n: string) => checks.column(t, n);
    const readWriteOnly =
      /^(n\d|d\d|borrow\d|short|short_inv|public_short|tape_reg|pos|ended|new_ended|tape_prev_ts|tape_lo|tape_hi|is_public|is_log)$/;
    const notRead = (m: { row: number; column: string }) =>
      (m.column === 'short_inv' && col('short')[m.row] === 0) ||
      (col('is_exit')[m.row] === 1 && readWriteOnly.test(m.column));
    expect(report.unpinned.filter((m) => !notRead(m))).toEqual([]);
    expect(report.unobservable.filter((m) => !notRead(m))).toEqual([]);
  });
});
