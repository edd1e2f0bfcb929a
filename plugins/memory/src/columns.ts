import { ColumnLayout } from '@nexus/air-common';

/**
 * The memory table: one row per word the execution touches (the layout's addresses, strictly
 * increasing), holding its initial and final value.
 */
export const layout = new ColumnLayout();
export const SEL = layout.add('sel');
export const WIDX = layout.add('widx');
/** widx = 1024·page + off, off < 1024 (used to look the page up for zero-filled words). */
export const PAGE = layout.add('page');
export const OFF = layout.add('off');
export const IS_IMAGE = layout.add('is_image');
export const WRITABLE = layout.add('writable');
export const INIT = layout.addMany('init', 4);
export const FINAL = layout.addMany('final', 4);
export const FINAL_TS = layout.add('final_ts');
/** 1 when the next row is a real row (not wrapping): the address chain is checked there. */
export const CHAIN = layout.add('chain');
export const GAP_LO = layout.add('gap_lo');
export const GAP_HI = layout.add('gap_hi');

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
export const tableLayout = new ColumnLayout();
export const TABLE_MULTIPLICITY = tableLayout.add('multiplicity');
