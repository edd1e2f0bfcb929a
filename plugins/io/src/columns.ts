import { ColumnLayout } from '@nexus/air-common';

/** One io row per byte a read/write syscall moves. */
export const layout = new ColumnLayout();
export const SEL = layout.add('sel');
export const CLK = layout.add('clk');
/** The tape, one-hot: private input (fd 0), public input (3), public output (1), debug log (2). */
export const IS_PRIVATE = layout.add('is_private');
export const IS_PUBLIC = layout.add('is_public');
export const IS_OUTPUT = layout.add('is_output');
export const IS_LOG = layout.add('is_log');
export const ADDR = layout.add('addr');
export const POS = layout.add('pos');
export const REMAINING = layout.add('remaining');
export const BYTE = layout.add('byte');
/** The byte's offset in its word, one-hot. */
export const OFFSET = layout.addMany('f', 4);
export const WIDX = layout.add('widx');
export const PREV = layout.addMany('prev', 4);
export const NEW = layout.addMany('new', 4);
export const PREV_TS = layout.add('prev_ts');
export const LO = layout.add('lo');
export const HI = layout.add('hi');
export const WRITABLE = layout.add('writable');

export const PUBLIC_INPUT = {
  offset: 'io.public.offset',
  byte: 'io.public.byte',
  valid: 'io.public.valid',
};
export const tableLayout = new ColumnLayout();
export const TABLE_MULTIPLICITY = tableLayout.add('multiplicity');
