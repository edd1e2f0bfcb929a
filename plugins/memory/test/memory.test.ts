import {
  checkMutations,
  IO_PRIVATE_INPUT,
  IO_PUBLIC_INPUT,
  ioProgram,
  traceRun,
} from '@nexus/air-testing';
import { analyzeComponent } from '@nexus/kernel';
import { describe, expect, it } from 'vitest';
import { memoryComponent, memoryImageComponent, zeroPagesComponent } from '../src/index.js';
import { preprocessed } from '../src/trace.js';

describe('memory AIR', () => {
  const run = traceRun(ioProgram(), {
    publicInput: IO_PUBLIC_INPUT,
    privateInput: IO_PRIVATE_INPUT,
  });
  const gen = (id: string, logSize: number) =>
    preprocessed.find((p) => p.id === id)!.generate(run.statement, logSize);

  it('stays within degree 3', () => {
    for (const c of [memoryComponent, memoryImageComponent, zeroPagesComponent]) {
      expect(analyzeComponent(c).maxDegree).toBeLessThanOrEqual(3);
    }
  });

  it('one row per touched word, image words and zero words told apart', () => {
    const t = memoryComponent.traceFor(run.context())!;
    const col = (n: string) => t.columns[memoryComponent.columns.indexOf(n)]!;
    const n = run.records.memoryInit.address.length;
    expect(Array.from(col('sel').subarray(0, n)).every((v) => v === 1)).toBe(true);
    // the data segment's first word (0xaa, 0xbb) comes from the image, its final value differs
    expect(col('is_image')[0]).toBe(1);
    expect(col('init0')[0]).toBe(0xaa);
    expect(col('final0')[0]).toBe(1);
  });

  it('pins the address chain and the zero-fill rule', () => {
    const t = memoryComponent.traceFor(run.context())!;
    const n = run.records.memoryInit.address.length;
    const report = checkMutations(memoryComponent, run.context(), {
      rows: [0, 1, n - 1, n, 2 ** t.logSize - 1],
      pinned: ['is_image', 'chain', 'gap_lo', 'gap_hi', 'page', 'off'],
    });
    // the last real row has no successor: its gap limbs are not read (chain = 0 there)
    const isLastGap = (m: { row: number; column: string }) =>
      m.row === n - 1 && m.column.startsWith('gap_');
    expect(report.unpinned.filter((m) => !isLastGap(m))).toEqual([]);
    expect(report.unobservable.filter((m) => !isLastGap(m))).toEqual([]);
  });

  it('image and zero-page tables: real rows change the bus, padding rows cannot yield', () => {
    const cases = [
      { c: memoryImageComponent, count: run.program.image.widx.length },
      { c: zeroPagesComponent, count: run.program.zeroPages.page.length },
    ];
    for (const { c, count } of cases) {
      const t = c.traceFor(run.context())!;
      const rows = [0, count - 1, ...(count < 2 ** t.logSize ? [count, 2 ** t.logSize - 1] : [])];
      const report = checkMutations(c, run.context(), {
        preprocessed: gen,
        selector: 'none',
        rows,
      });
      for (const r of report.results) expect(r.outcome).toBe(r.row < count ? 'bus' : 'constraint');
    }
    // the image table here has padding rows (the zero-page table is exactly full: 256 stack pages)
    expect(run.program.image.widx.length).toBeLessThan(64);
  });
});
