import { readFileSync } from 'node:fs';
import { addComponent } from '@nexus/air-add';
import { familyPlugin, RAM, type ZkvmComponent } from '@nexus/air-common';
import { P } from '@nexus/field';
import { createZkvm, rv32im } from '@nexus/sdk';
import { VmFault } from '@nexus/vm';
import { describe, expect, it } from 'vitest';
// Test-only helpers of the VM package (as the browser test uses them): a faulting guest.
import { Asm, Reg } from '../../../packages/vm/test/support/asm.js';
import { programElf } from '../../../packages/vm/test/support/elf-writer.js';
import { CheckService } from './check-service.js';
import { WINDOW_CYCLES, windowCycles, windowIndexOf } from './trace-window.js';

const zkvm = createZkvm();
const guest = (name: string) => ({
  elf: new Uint8Array(readFileSync(new URL(`../../../guests/bin/${name}.elf`, import.meta.url))),
  publicInput: new Uint8Array(0),
  privateInput: new Uint8Array(0),
});

describe('CheckService (what the check worker runs)', () => {
  it('checks the window of a cycle, lists its rows, and a broken cell counted from the honest value', () => {
    const s = new CheckService(zkvm, guest('fib'));
    const honest = s.check(40, []);
    expect(honest).toMatchObject({
      windowIndex: 0,
      windowCount: 1,
      whole: true,
      failures: [],
      imbalances: [],
    });
    const { rows, view } = s.rows(40);
    expect(rows.map((r) => r.component)).toContain('add');
    expect(view?.cycle).toBe(40);
    const r0 = s.honest({ component: 'add', column: 'r0', row: 7 });
    const edit = { component: 'add', column: 'r0', row: 7, value: (r0 + 1) % P };
    const broken = s.check(40, [edit]);
    expect(broken.edits).toEqual([edit]);
    expect(broken.failures.map((f) => f.label)).toEqual(['byte 0 of the sum']);
    // The honest value stays the built one, whatever the edits.
    expect(s.honest({ component: 'add', column: 'r0', row: 7 })).toBe(r0);
    // A row asked for by name: shown in full even when it proves another cycle.
    expect(s.rows(40, { component: 'add', row: 7 }).view?.row).toBe(7);
    expect(() => s.honest({ component: 'add', column: 'nope', row: 7 })).toThrow(/no column nope/);
    expect(s.check(40, []).failures).toEqual([]);
  });

  it('a plugin under development: its failing constraints, by label, at the rows and cycles they fail', () => {
    // The add family's component with one more constraint, a wrong one: "the result is 0".
    const buggy: ZkvmComponent = {
      ...addComponent,
      evaluate(e) {
        addComponent.evaluate(e);
        const bytes = ['r0', 'r1', 'r2', 'r3'].map((c) => e.col(c));
        e.constraint(e.col('sel').mul(bytes.reduce((a, b) => a.add(b))), 'my-add: the result is 0');
      },
    };
    const plugins = [
      ...rv32im().filter((p) => p.name !== '@nexus/air-add'),
      familyPlugin('my-add', '0.0.1', buggy),
    ];
    const s = new CheckService(createZkvm({ plugins }), guest('fib'));
    const summary = s.check(1, []);
    const mine = summary.failures.filter((f) => f.label === 'my-add: the result is 0');
    expect(mine.length).toBeGreaterThan(0);
    expect(summary.failures).toEqual(mine);
    // Each at a real add row whose result is not 0, with the cycle it proves, and the value of
    // the constraint there: the sum of the result bytes.
    const honest = new CheckService(zkvm, guest('fib'));
    honest.check(1, []);
    for (const f of mine) {
      const view = honest.rows(f.cycle!, { component: 'add', row: f.row }).view!;
      const cells = new Map(view.columns.map((c) => [c.name, c.value]));
      expect(view.cycle).toBe(f.cycle);
      expect(cells.get('sel')).toBe(1);
      const sum = ['r0', 'r1', 'r2', 'r3'].reduce((a, c) => a + cells.get(c)!, 0);
      expect(sum).toBeGreaterThan(0);
      expect(f.value).toBe(sum);
    }
  });

  it("a long run's buses, checked window by window: balanced as built, and a plugin's stray yield named", () => {
    const honest = new CheckService(zkvm, guest('factorial'));
    expect(honest.windowCount).toBe(4);
    const first = honest.checkRunBuses(2);
    expect(first).toMatchObject({ windows: 2, windowCount: 4, unbalanced: undefined });
    // The windows' borders are open until the windows on the other side are in.
    expect(first.open).toBeGreaterThan(0);
    const done = honest.checkRunBuses(64);
    expect(done).toMatchObject({ windows: 4, unbalanced: [], open: 0 });
    // A window asked for meanwhile is unaffected (its own pass 2).
    expect(honest.check(2 * WINDOW_CYCLES + 5, []).failures).toEqual([]);

    // An add component that also yields a RAM tuple of zeros on every real row: each window's
    // constraints hold, its bus balance alone says nothing, the run's names the tuple.
    const stray: ZkvmComponent = {
      ...addComponent,
      evaluate(e) {
        addComponent.evaluate(e);
        e.yield(
          RAM,
          [0, 0, 0, 0, 0, 0, 0].map((v) => e.constant(v)),
          e.col('sel'),
        );
      },
    };
    const plugins = [
      ...rv32im().filter((p) => p.name !== '@nexus/air-add'),
      familyPlugin('my-add', '0.0.1', stray),
    ];
    const buggy = new CheckService(createZkvm({ plugins }), guest('keccak256'));
    expect(buggy.windowCount).toBe(2);
    expect(buggy.check(WINDOW_CYCLES + 5, []).failures).toEqual([]);
    const found = buggy.checkRunBuses(64).unbalanced!;
    expect(found.map((t) => [t.relation, t.values.join(',')])).toEqual([['ram', '0,0,0,0,0,0,0']]);
    expect(found[0]!.net).toBeLessThan(0);
    expect(found[0]!.rows.every((r) => r.component === 'add')).toBe(true);
    expect(() => new CheckService(zkvm, guest('fib')).checkRunBuses(1)).toThrow(/checked whole/);
  }, 60_000);

  it('a run that faults has no trace: the VM error, at once', () => {
    const elf = programElf(new Asm().li(Reg.t0, 0x40002).load('lw', Reg.a0, Reg.t0, 0).bytes());
    expect(
      () =>
        new CheckService(zkvm, {
          elf,
          publicInput: new Uint8Array(0),
          privateInput: new Uint8Array(0),
        }),
    ).toThrow(VmFault);
  });

  it('windows: cycles 1..2^15 are window 0, and the last one ends with the run', () => {
    expect(windowIndexOf(1000, 999)).toBe(0);
    expect(windowIndexOf(10 * WINDOW_CYCLES, 0)).toBe(0);
    expect(windowIndexOf(10 * WINDOW_CYCLES, WINDOW_CYCLES)).toBe(0);
    expect(windowIndexOf(10 * WINDOW_CYCLES, WINDOW_CYCLES + 1)).toBe(1);
    expect(windowIndexOf(3 * WINDOW_CYCLES - 5, 1e9)).toBe(2);
    expect(windowCycles(3 * WINDOW_CYCLES - 5, 2)).toEqual([
      2 * WINDOW_CYCLES + 1,
      3 * WINDOW_CYCLES - 5,
    ]);
  });
});
