import { col, cols, defineLayout } from '@nexus/air-common';

/** One io row per byte a read/write syscall moves. */
export const layout = defineLayout({
  sel: col('sel'),
  clk: col('clk'),
  /** The tape, one-hot: private input (fd 0), public input (3), public output (1), debug log (2). */
  isPrivate: col('is_private'),
  isPublic: col('is_public'),
  isOutput: col('is_output'),
  isLog: col('is_log'),
  addr: col('addr'),
  pos: col('pos'),
  remaining: col('remaining'),
  byte: col('byte'),
  /** The byte's offset in its word, one-hot. */
  offset: cols('f', 4),
  widx: col('widx'),
  /** The RAM word before and after, and the access's timestamp witnesses and writable flag. */
  prev: cols('prev', 4),
  next: cols('new', 4),
  prevTs: col('prev_ts'),
  lo: col('lo'),
  hi: col('hi'),
  writable: col('writable'),
});

export const PUBLIC_INPUT = {
  offset: 'io.public.offset',
  byte: 'io.public.byte',
  valid: 'io.public.valid',
};
/** The public input table: how often each of its rows is looked up. */
export const tableLayout = defineLayout({ multiplicity: col('multiplicity') });
