import {
  logRowsFor,
  readZkvmStatement,
  type ZkvmProgram,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace, PreprocessedColumn, StatementLike } from '@nexus/kernel';
import { PAGE_WORDS } from '@nexus/vm';
import { IMAGE, layout, tableLayout, ZERO } from './columns.js';

export function memoryTrace(ctx: ZkvmTraceContext): ComponentTrace | null {
  const { address, value } = ctx.records.memoryInit;
  const fin = ctx.records.memoryFinal;
  const n = address.length;
  if (n === 0) return null;
  const logSize = logRowsFor(n + 0);
  const t = layout.trace(logSize);
  const { sel, widx: widxC, page, off, isImage, writable, init, final, finalTs } = t.cols;
  const { chain, gapLo, gapHi } = t.cols;
  const { program, lookups } = ctx;
  for (let i = 0; i < n; i++) {
    const widx = address[i]! >>> 2;
    sel[i] = 1;
    widxC[i] = widx;
    page[i] = Math.floor(widx / PAGE_WORDS);
    off[i] = widx % PAGE_WORDS;
    lookups.range11[off[i]!]!++;
    lookups.range11[2 * off[i]!]!++;
    const im = program.imageIndexOf(widx);
    if (im >= 0) {
      isImage[i] = 1;
      writable[i] = program.image.writable[im]!;
      lookups.image[im]!++;
    } else {
      const z = program.zeroPageIndexOf(page[i]!);
      if (z < 0)
        throw new Error(`word 0x${(widx * 4).toString(16)} is in no image page and no zero page`);
      writable[i] = program.zeroPages.writable[z]!;
      lookups.zeroPage[z]!++;
    }
    for (let k = 0; k < 4; k++) {
      init[k]![i] = (value[i]! >>> (8 * k)) & 0xff;
      final[k]![i] = (fin.value[i]! >>> (8 * k)) & 0xff;
    }
    finalTs[i] = fin.ts[i]!;
    if (i + 1 < n) {
      const gap = (address[i + 1]! >>> 2) - widx - 1;
      chain[i] = 1;
      gapLo[i] = gap & 0xffff;
      gapHi[i] = gap >>> 16;
      lookups.range16[gap & 0xffff]!++;
      lookups.range16[8 * (gap >>> 16)]!++;
    }
  }
  return t.finish();
}

/** The image table's log size: one row per file-backed word, absent (null) when there is none. */
export function imageLogRows(program: ZkvmProgram): number | null {
  const count = program.image.widx.length;
  return count === 0 ? null : logRowsFor(count);
}

/** The zero-page table's log size: one row per zero-filled page, null when there is none. */
export function zeroPagesLogRows(program: ZkvmProgram): number | null {
  const count = program.zeroPages.page.length;
  return count === 0 ? null : logRowsFor(count);
}

function countTable(logSize: number | null, counts: Uint32Array): ComponentTrace | null {
  if (logSize === null) return null;
  const t = tableLayout.trace(logSize);
  t.cols.multiplicity.set(counts);
  return t.finish();
}

export function imageTrace(ctx: ZkvmTraceContext): ComponentTrace | null {
  return countTable(imageLogRows(ctx.program), ctx.lookups.image);
}

export function zeroPagesTrace(ctx: ZkvmTraceContext): ComponentTrace | null {
  return countTable(zeroPagesLogRows(ctx.program), ctx.lookups.zeroPage);
}

/**
 * A preprocessed column of `count(p)` rows, then zeros: `fill` writes a whole column at once
 * (a callback per row, one call site for every column, was the cold cost of every process
 * that proves or verifies).
 */
function sized(
  id: string,
  count: (p: ZkvmProgram) => number,
  fill: (p: ZkvmProgram, out: Uint32Array, n: number) => void,
): PreprocessedColumn {
  return {
    id,
    generate(statement: StatementLike, logSize: number) {
      const p = readZkvmStatement(statement).decoded;
      const n = count(p);
      if (n > 2 ** logSize) throw new RangeError(`${id} has ${n} rows, more than 2^${logSize}`);
      const out = new Uint32Array(2 ** logSize);
      fill(p, out, n);
      return out;
    },
  };
}

const imageCount = (p: ZkvmProgram) => p.image.widx.length;
const zeroCount = (p: ZkvmProgram) => p.zeroPages.page.length;
const ones = (_p: ZkvmProgram, out: Uint32Array, n: number) => out.fill(1, 0, n);

/** Byte k (little-endian) of every image word. */
function imageByte(k: number) {
  const shift = 8 * k;
  return (p: ZkvmProgram, out: Uint32Array, n: number) => {
    const value = p.image.value;
    for (let i = 0; i < n; i++) out[i] = (value[i]! >>> shift) & 0xff;
  };
}

export const preprocessed: PreprocessedColumn[] = [
  sized(IMAGE.widx, imageCount, (p, out) => out.set(p.image.widx)),
  ...IMAGE.bytes.map((id, k) => sized(id, imageCount, imageByte(k))),
  sized(IMAGE.writable, imageCount, (p, out) => out.set(p.image.writable)),
  sized(IMAGE.valid, imageCount, ones),
  sized(ZERO.page, zeroCount, (p, out) => out.set(p.zeroPages.page)),
  sized(ZERO.writable, zeroCount, (p, out) => out.set(p.zeroPages.writable)),
  sized(ZERO.valid, zeroCount, ones),
];
