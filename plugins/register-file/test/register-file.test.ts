import { REGISTER_COUNT } from '@nexus/air-common';
import {
  checkMutations,
  IO_PRIVATE_INPUT,
  IO_PUBLIC_INPUT,
  ioProgram,
  traceRun,
} from '@nexus/air-testing';
import { describe, expect, it } from 'vitest';
import { registerFile, registerFileComponent } from '../src/index.js';

describe('register file', () => {
  const run = traceRun(ioProgram(), {
    publicInput: IO_PUBLIC_INPUT,
    privateInput: IO_PRIVATE_INPUT,
  });
  const pre = new Map<string, { generate: (s: typeof run.statement, l: number) => Uint32Array }>();
  registerFile().apply({
    hooks: {
      components: { tap: () => {} },
      preprocessed: {
        tap: (_: string, f: (r: { add: (c: { id: string }) => void }) => void) =>
          f({ add: (c) => pre.set(c.id, c as never) }),
      },
      boundary: { tap: () => {} },
    },
  } as never);
  const gen = (id: string, logSize: number) => pre.get(id)!.generate(run.statement, logSize);

  it('initial values: all zero but sp; tape registers end at their positions', () => {
    expect(gen('regfile.valid', 6).reduce((a, b) => a + b, 0)).toBe(REGISTER_COUNT);
    const t = registerFileComponent.traceFor(run.context())!;
    const final0 = t.columns[0]!;
    // tape registers 32..35 hold (position, ended): private 4 ended, public 3 ended, output 16, log 3
    expect([32, 33, 34, 35].map((r) => final0[r])).toEqual([4, 3, 16, 3]);
    expect([32, 33, 34, 35].map((r) => t.columns[1]![r])).toEqual([1, 1, 0, 0]);
    expect(final0[10]).toBe(7); // a0 = exit code
  });

  it('every final value and timestamp is bound by the bus', () => {
    const report = checkMutations(registerFileComponent, run.context(), {
      preprocessed: gen,
      selector: 'none',
      rows: [0, 2, 10, 33, 35],
    });
    for (const r of report.results) expect(r.outcome).toBe('bus');
  });
});
