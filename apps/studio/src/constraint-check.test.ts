import { readFileSync } from 'node:fs';
import { P } from '@nexus/field';
import { createZkvm } from '@nexus/sdk';
import { loadElf } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
import { checkWindow, rowsForCycle, rowView } from './constraint-check.js';
import { DebugSession } from './session.js';
import { TraceBuilder, WINDOW_CYCLES } from './trace-window.js';

const elf = (name: string) =>
  loadElf(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url)));
const noInput = { publicInput: new Uint8Array(0), privateInput: new Uint8Array(0) };
const zkvm = createZkvm();

/** The value of the 4 little-endian byte cells `prefix0..3` of a row. */
const word = (cols: ReadonlyMap<string, number>, prefix: string) =>
  [0, 1, 2, 3].reduce((w, i) => w + cols.get(`${prefix}${i}`)! * 256 ** i, 0);

describe('the constraint view of a whole run (fib)', () => {
  const fib = elf('fib');
  const builder = new TraceBuilder(zkvm, fib, noInput);
  const window = builder.windowFor(1);
  const honest = checkWindow(window);
  const session = new DebugSession(fib);
  session.recordAll();

  it('builds the whole run when it fits one window: every constraint holds, every bus balances', () => {
    expect(builder.cycles).toBe(session.lastCycle);
    expect(builder.cycles).toBeLessThanOrEqual(WINDOW_CYCLES);
    expect(window.whole).toBe(true);
    expect([window.firstCycle, window.lastCycle]).toEqual([1, builder.cycles]);
    expect(honest.failures).toEqual([]);
    expect(honest.imbalances).toEqual([]);
    expect(honest.constraints).toBeGreaterThan(100);
  });

  it("maps a cycle to the add row proving it: pc and result match the VM's state", () => {
    const add = window.traces.get('add')!;
    const cycle = rowView(honest, 'add', 7).cycle!;
    expect(cycle).toBeGreaterThan(0);
    const rows = rowsForCycle(honest, cycle);
    expect(rows).toContainEqual({ component: 'add', row: 7, cycle });
    const view = rowView(honest, 'add', 7);
    const cols = new Map(view.columns.map((c) => [c.name, c.value]));
    const st = session.stateAt(cycle);
    expect(cols.get('pc')).toBe(st.executed!.pc);
    expect(cols.get('sel')).toBe(1);
    const rd = cols.get('rd')!;
    expect(st.executed!.writes.map((w) => w.reg)).toEqual(rd === 0 ? [] : [rd]);
    if (rd !== 0) expect(word(cols, 'r')).toBe(st.registers[rd]! >>> 0);
    expect(word(cols, 'rs1_v')).toBe(session.stateAt(cycle - 1).registers[cols.get('rs1')!]! >>> 0);
    // Every labelled constraint is listed, with value 0.
    expect(view.constraints.length).toBe(
      zkvm.system.components.find((c) => c.name === 'add')!.constraints.length,
    );
    expect(view.constraints.every((c) => c.value === 0)).toBe(true);
    expect(add.logSize).toBeGreaterThan(0);
  });

  it('a broken cell: the failing constraints with their values and the unbalanced tuples, at its cycle', () => {
    const before = rowView(honest, 'add', 7);
    const r0 = before.columns.find((c) => c.name === 'r0')!.value;
    const broken = checkWindow(window, [
      { component: 'add', column: 'r0', row: 7, value: (r0 + 1) % P },
    ]);
    expect(broken.failures.length).toBeGreaterThan(0);
    for (const f of broken.failures) {
      expect(f).toMatchObject({ component: 'add', row: 7, cycle: before.cycle });
      expect(f.value).not.toBe(0);
    }
    // The same value the row view shows for that label.
    const after = rowView(broken, 'add', 7);
    const f = broken.failures[0]!;
    expect(after.constraints.find((c) => c.label === f.label)!.value).toBe(f.value);
    // r0 is the written byte: the register's tuple and the byte range check change.
    expect(broken.imbalances!.length).toBeGreaterThan(0);
    expect(
      broken.imbalances!.some((t) => t.rows.some((r) => r.component === 'add' && r.row === 7)),
    ).toBe(true);
    // The window itself is untouched: checking again without the edit is clean.
    expect(checkWindow(window).failures).toEqual([]);
  });

  it('rejects edits that name no cell, clearly', () => {
    const edit = { component: 'add', column: 'r0', row: 0, value: 1 };
    expect(() => checkWindow(window, [{ ...edit, component: 'nope' }])).toThrow(
      /no component nope/,
    );
    expect(() => checkWindow(window, [{ ...edit, column: 'zz' }])).toThrow(/add has no column zz/);
    expect(() => checkWindow(window, [{ ...edit, row: 1 << 30 }])).toThrow(/rows 0\.\./);
    expect(() => checkWindow(window, [{ ...edit, value: P }])).toThrow(/field element/);
  });
});

describe('the constraint view of a long run (sort), one window at a time', () => {
  const sort = elf('sort');
  const builder = new TraceBuilder(zkvm, sort, noInput);

  it('builds the window of a cycle as a segment: constraints checked, buses not claimed', () => {
    expect(builder.cycles).toBeGreaterThan(3 * WINDOW_CYCLES);
    const cycle = 2 * WINDOW_CYCLES + 1234;
    const window = builder.windowFor(cycle);
    expect(window.whole).toBe(false);
    expect([window.firstCycle, window.lastCycle]).toEqual([
      2 * WINDOW_CYCLES + 1,
      3 * WINDOW_CYCLES,
    ]);
    const check = checkWindow(window);
    expect(check.failures).toEqual([]);
    expect(check.imbalances).toBeUndefined();
    expect(check.busScope).toBe('none');
    const rows = rowsForCycle(check, cycle);
    expect(rows.length).toBeGreaterThan(0);
    const session = new DebugSession(sort);
    session.recordAll();
    const pc = session.stateAt(cycle).executed!.pc;
    for (const r of rows) {
      const v = rowView(check, r.component, r.row);
      expect(v.columns.find((c) => c.name === 'pc')?.value).toBe(pc);
    }

    // A broken cell: the failing constraint, and the tuples it unbalances against the window as
    // built (the window's border tuples, unbalanced as built, are not listed).
    const add = rowView(check, 'add', 5);
    const r0 = add.columns.find((c) => c.name === 'r0')!.value;
    const broken = checkWindow(window, [
      { component: 'add', column: 'r0', row: 5, value: (r0 + 1) % P },
    ]);
    expect(broken.busScope).toBe('edits');
    expect(broken.failures.map((f) => [f.component, f.row, f.label])).toEqual([
      ['add', 5, 'byte 0 of the sum'],
    ]);
    const nets = broken.imbalances!.map((t) => `${t.relation} ${t.net}`).sort();
    // The register tuple written (one new, one gone) and the byte-range lookup (one moved).
    expect(nets).toEqual(['bitwise -1', 'bitwise 1', 'reg -1', 'reg 1']);
    for (const t of broken.imbalances!)
      expect(t.rows.some((r) => r.component === 'add')).toBe(true);
    // Edits that cancel out (set to the built value) unbalance nothing.
    expect(
      checkWindow(window, [{ component: 'add', column: 'r0', row: 5, value: r0 }]).imbalances,
    ).toEqual([]);
  }, 60_000);

  it('a window deep in the run, built from a pass-2 checkpoint, has the traces of the run from cycle 0', () => {
    // `builder` has built window 2 (the test before): checkpoints at windows 0..2. Window 6 is
    // built from checkpoint 2, then window 4 from its own, window 7 from 6; each one against a
    // fresh builder's, which re-runs pass 2 from cycle 0.
    // A builder prepared while idle (checkpoints through the run, a step at a time) first.
    const prepared = new TraceBuilder(zkvm, sort, noInput);
    let steps = 0;
    while (prepared.prepareAhead()) steps++;
    expect(steps).toBeGreaterThan(0);
    expect(prepared.prepareAhead()).toBe(false);
    for (const [index, b] of [
      [6, builder],
      [4, builder],
      [7, builder],
      [5, prepared],
    ] as const) {
      const cycle = index * WINDOW_CYCLES + 100;
      const resumed = b.windowFor(cycle);
      const fromZero = new TraceBuilder(zkvm, sort, noInput).windowFor(cycle);
      expect([resumed.firstCycle, resumed.lastCycle]).toEqual([
        fromZero.firstCycle,
        fromZero.lastCycle,
      ]);
      expect([...resumed.traces.keys()]).toEqual([...fromZero.traces.keys()]);
      // Compared as bytes: a deep equality of every column element is slower than the builds.
      const bytes = (c: Uint32Array) => Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      for (const [name, t] of fromZero.traces) {
        const r = resumed.traces.get(name)!;
        expect(r.logSize, name).toBe(t.logSize);
        expect(r.columns.length, name).toBe(t.columns.length);
        const differing = t.columns.filter((c, k) => !bytes(c).equals(bytes(r.columns[k]!)));
        expect(differing.length, `${name} of window ${index}`).toBe(0);
      }
    }
    expect(builder.checkpointBytes()).toBeGreaterThan(0);
  }, 60_000);
});
