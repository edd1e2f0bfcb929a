import {
  checkMutations,
  IO_PRIVATE_INPUT,
  IO_PUBLIC_INPUT,
  ioProgram,
  traceRun,
} from '@nexus/air-testing';
import {
  analyzeComponent,
  type ComponentTrace,
  findConstraintFailures,
  findUnbalancedTuples,
  isFirstColumn,
} from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { range11Component } from '../src/index.js';

const run = traceRun(ioProgram(), { publicInput: IO_PUBLIC_INPUT, privateInput: IO_PRIVATE_INPUT });
const ctx = run.context();
// Counts as the row components would leave them: some values looked up, many times or once.
const COUNTS11: [number, number][] = [
  [0, 5],
  [1, 1],
  [2047, 2],
  [1234, 9],
];
for (const [v, c] of COUNTS11) ctx.lookups.range11[v] = c;

describe.each([{ component: range11Component, bits: 11, relation: 'range11' }])(
  '$component.name',
  ({ component, bits, relation }) => {
    const air = analyzeComponent(component);
    const honest = component.traceFor(ctx)!;
    const pre = (trace: ComponentTrace) => (id: string) => {
      expect(id).toBe('is_first');
      return isFirstColumn(trace.logSize);
    };
    const failures = (trace: ComponentTrace) =>
      findConstraintFailures(air, { trace, preprocessed: pre(trace) }).map((f) => f.label);
    const withValues = (values: Uint32Array): ComponentTrace => ({
      logSize: honest.logSize,
      columns: [values, honest.columns[1]!],
    });

    it(`yields every value below 2^${bits} once, counted by the lookups`, () => {
      expect(honest.logSize).toBe(bits);
      expect(failures(honest)).toEqual([]);
      const yielded = findUnbalancedTuples(
        [{ air, trace: honest, preprocessed: pre(honest) }],
        [],
        Number.POSITIVE_INFINITY,
      );
      const counts = ctx.lookups.range11;
      expect(yielded).toHaveLength(4);
      for (const t of yielded) {
        expect(t.relation).toBe(relation);
        expect(t.net).toBe(-counts[t.values[0]!]!);
      }
      expect(air.entries.map((e) => [e.relation.name, e.sign, e.bound])).toEqual([
        [relation, -1, 'table'],
      ]);
      // Nothing for the verifier to commit to: the built-in is_first is computed in closed form.
      expect([...air.preprocessedMasks.keys()]).toEqual(['is_first']);
    });

    it('rejects a value column that is not the row index', () => {
      const n = 2 ** bits;
      // Starting above 0 (the last row would then yield 2^bits), skipping a value, repeating one.
      const shifted = Uint32Array.from({ length: n }, (_, r) => r + 1);
      const skip = Uint32Array.from({ length: n }, (_, r) => (r < 5 ? r : r + 1));
      const repeat = Uint32Array.from({ length: n }, (_, r) => (r === 7 ? 6 : r));
      expect(failures(withValues(shifted))).toContain('the counter starts at 0');
      expect(failures(withValues(skip))).toContain('the counter counts by one');
      expect(failures(withValues(repeat))).toContain('the counter counts by one');
    });

    it('every single-cell change breaks a constraint (value) or the bus (count)', () => {
      const n = 2 ** bits;
      const report = checkMutations(component, ctx, {
        selector: 'none',
        pinned: ['value'],
        rows: [0, 1, 1000, n - 2, n - 1],
        alternatives: (_c, v) => [v + 1, v + n, 0x7ffffffe],
      });
      expect(report.checked).toBeGreaterThan(20);
      expect(report.unpinned).toEqual([]);
      for (const r of report.results) {
        if (r.column === 'multiplicity') expect(r.outcome).toBe('bus');
        else expect(r.outcome).toBe('constraint');
      }
    });
  },
);
