import { col, cols, defineLayout } from '@nexus/air-common';

/**
 * The memory table: one row per word the execution touches (the layout's addresses, strictly
 * increasing), holding its initial and final value.
 */
export const layout = defineLayout({
  sel: col('sel'),
  widx: col('widx'),
  /** widx = 1024·page + off, off < 1024 (used to look the page up for zero-filled words). */
  page: col('page'),
  off: col('off'),
  isImage: col('is_image'),
  writable: col('writable'),
  init: cols('init', 4),
  final: cols('final', 4),
  finalTs: col('final_ts'),
  /** 1 when the next row is a real row (not wrapping): the address chain is checked there. */
  chain: col('chain'),
  gapLo: col('gap_lo'),
  gapHi: col('gap_hi'),
});

/** Preprocessed columns of the image and zero-page tables. */
export const IMAGE = {
  widx: 'memory.image.widx',
  bytes: [0, 1, 2, 3].map((k) => `memory.image.b${k}`),
  writable: 'memory.image.writable',
  valid: 'memory.image.valid',
};
export const ZERO = {
  page: 'memory.zero.page',
  writable: 'memory.zero.writable',
  valid: 'memory.zero.valid',
};
/** The image and zero-page tables: how often each preprocessed row is looked up. */
export const tableLayout = defineLayout({ multiplicity: col('multiplicity') });
