/**
 * Runs a program through every execution path of the VM and checks they agree: pass 1
 * (interpreted and compiled blocks), pass 2 compiled (once hot and eagerly) and interpreted
 * (records compared column by column), and the memory argument over the records.
 */
import { expect } from 'vitest';
import {
  deriveLayout,
  type ExecuteOptions,
  type ExecutionResult,
  execute,
  FAMILIES,
  type Family,
  generateRecords,
  type Layout,
  loadElf,
  memoryMapFor,
  padRows,
  type Records,
  type VmFault,
} from '../../src/index.js';
import { replayRecords } from './replay.js';

export interface AllPaths {
  readonly run: ExecutionResult;
  readonly records: Records;
}

/** Both passes, both pass-2 modes; asserts they agree and the records balance. */
export function runAllPaths(elf: Uint8Array, options: ExecuteOptions = {}): AllPaths {
  const run = execute(elf, options);
  const layout = deriveLayout(run.stats);
  const records = generateRecords(elf, layout, options);
  const interpreted = generateRecords(elf, layout, { ...options, jit: false });
  // Short programs never make a block hot: 'eager' compiles every block they run.
  expectSameRecords(generateRecords(elf, layout, { ...options, jit: 'eager' }), interpreted);
  expect(records.cycles).toBe(run.cycles);
  expect(records.exitCode).toBe(run.exitCode);
  expect(records.finalPc).toBe(run.finalPc);
  expect(Buffer.from(records.publicOutput).equals(Buffer.from(run.output))).toBe(true);
  expect(Buffer.from(records.log).equals(Buffer.from(run.log))).toBe(true);
  expectSameRecords(records, interpreted);
  replayRecords(records, options.families?.length ? options.families : undefined);
  return { run, records };
}

/** Asserts two record sets are identical, naming the first differing cell. */
export function expectSameRecords(a: Records, b: Records): void {
  for (const f of new Set([...Object.keys(a.families), ...Object.keys(b.families)])) {
    const x = a.families[f];
    const y = b.families[f];
    expect(x !== undefined && y !== undefined, `${f} in both`).toBe(true);
    if (x === undefined || y === undefined) return;
    expect(x.length, `${f} rows`).toBe(y.length);
    const xc = x.columns as unknown as Record<string, Uint32Array>;
    const yc = y.columns as unknown as Record<string, Uint32Array>;
    for (const c of Object.keys(xc)) {
      const p = xc[c]!;
      const q = yc[c]!;
      for (let i = 0; i < p.length; i++) {
        if (p[i] !== q[i]) expect(`${f}.${c}[${i}] = ${p[i]}`).toBe(`${f}.${c}[${i}] = ${q[i]}`);
      }
    }
  }
  const io = a.io.columns as unknown as Record<string, Uint32Array>;
  const io2 = b.io.columns as unknown as Record<string, Uint32Array>;
  expect(a.io.length).toBe(b.io.length);
  for (const c of Object.keys(io))
    expect(
      Buffer.from(io[c]!.buffer, io[c]!.byteOffset, io[c]!.byteLength).equals(
        Buffer.from(io2[c]!.buffer, io2[c]!.byteOffset, io2[c]!.byteLength),
      ),
      `io.${c}`,
    ).toBe(true);
  expect(Array.from(a.memoryFinal.value)).toEqual(Array.from(b.memoryFinal.value));
  expect(Array.from(a.memoryFinal.ts)).toEqual(Array.from(b.memoryFinal.ts));
  expect(Array.from(a.registersFinal.value)).toEqual(Array.from(b.registersFinal.value));
  expect(Array.from(a.registersFinal.ts)).toEqual(Array.from(b.registersFinal.ts));
}

/** A layout covering every mapped word of the program (for runs that fault in pass 1). */
export function fullLayout(elf: Uint8Array, options: ExecuteOptions = {}): Layout {
  const program = loadElf(elf);
  const map = memoryMapFor(program, options);
  const addrs: number[] = [];
  for (const r of map.regions) {
    for (let a = Math.ceil(r.start / 4) * 4; a + 4 <= r.end; a += 4) addrs.push(a);
  }
  const rows = {} as Record<Family, number>;
  for (const f of FAMILIES) rows[f] = 1 << 20;
  return {
    addresses: Uint32Array.from(addrs),
    rows,
    ioRows: 1 << 20,
    memoryRows: padRows(addrs.length),
  };
}

/**
 * Runs a faulting program through pass 1 and pass 2 (compiled and interpreted) and checks that
 * all three raise the same error class with the same pc, clk and message. Returns pass 1's error.
 */
export function expectFault<E extends VmFault>(
  elf: Uint8Array,
  cls: new (...args: never[]) => E,
  options: ExecuteOptions = {},
): E {
  const errors: unknown[] = [];
  try {
    execute(elf, options);
  } catch (e) {
    errors.push(e);
  }
  const layout = fullLayout(elf, options);
  for (const jit of [true, false]) {
    try {
      generateRecords(elf, layout, { ...options, jit });
    } catch (e) {
      errors.push(e);
    }
  }
  expect(errors.length, 'every path faults').toBe(3);
  const [first] = errors as E[];
  for (const e of errors as E[]) {
    expect(e).toBeInstanceOf(cls);
    expect(e.pc).toBe(first!.pc);
    expect(e.clk).toBe(first!.clk);
    expect(e.message).toBe(first!.message);
    expect(e.message).toContain(`pc 0x${e.pc.toString(16).padStart(8, '0')}`);
  }
  return first!;
}
