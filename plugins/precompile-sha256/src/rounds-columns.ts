import { col, cols, defineLayout } from '@nexus/air-common';

/**
 * The layout of `sha256-rounds` (159 columns). A compression is 68 consecutive rows: rows
 * 0..3 hold the state (a_-3..a_0 and e_-3..e_0, i.e. H3..H0 and H7..H4) and read and rewrite
 * it in memory; row 4 + t holds round t: its message word W_t and the new a and e, whose
 * working variables b, c, d and f, g, h are the a and e of the rows before.
 */
export const layout = defineLayout({
  SEL: col('sel'),
  /** The call: its cycle and the word indices of the state and the block (constant per call). */
  CLK: col('clk'),
  PS: col('ps'),
  PB: col('pb'),
  /** What the row is, looked up in the schedule table with the round constant. */
  IDX: col('idx'),
  START: col('start'),
  INIT: col('init'),
  MSG: col('msg'),
  SCHED: col('sched'),
  K_LO: col('k_lo'),
  K_HI: col('k_hi'),
  /** a, e and W as bits (bit i has weight 2^i). */
  A: cols('a', 32),
  E: cols('e', 32),
  W: cols('w', 32),
  /**
   * The bit functions as 16-bit halves, each pinned on every row by its definition on that row's
   * bits (and the rows before for ch and maj): Σ0(a), Σ1(e), ch(e, e@-1, e@-2),
   * maj(a, a@-1, a@-2), σ0(W), σ1(W). The round constraints read them one or more rows back.
   */
  S0: cols('big_sigma0_', 2),
  S1: cols('big_sigma1_', 2),
  CH: cols('ch', 2),
  MAJ: cols('maj', 2),
  s0: cols('small_sigma0_', 2),
  s1: cols('small_sigma1_', 2),
  /** Carries of the new a (< 7), the new e (< 6) and W (< 4) out of each 16-bit half, as bits. */
  CA: [cols('ca_lo', 3), cols('ca_hi', 3)],
  CE: [cols('ce_lo', 3), cols('ce_hi', 3)],
  CW: [cols('cw_lo', 2), cols('cw_hi', 2)],
  /**
   * Memory access 1: a message word read (msg rows, at 4·clk + 1) or the state word of the a
   * chain rewritten (init rows, at 4·clk + 3): word index, bytes before and after, writable flag.
   */
  M1_WIDX: col('m1_widx'),
  M1_PREV: cols('m1_prev', 4),
  M1_NEXT: cols('m1_next', 4),
  M1_W: col('m1_w'),
  M1_PREV_TS: col('m1_prev_ts'),
  M1_LO: col('m1_lo'),
  M1_HI: col('m1_hi'),
  /** Memory access 2 (init rows): the state word of the e chain, rewritten at 4·clk + 3. */
  M2_NEXT: cols('m2_next', 4),
  M2_PREV_TS: col('m2_prev_ts'),
  M2_LO: col('m2_lo'),
  M2_HI: col('m2_hi'),
  /** Carries of the state updates H + a_64.. and H + e_64.. (init rows), per half. */
  OA: cols('oa', 2),
  OE: cols('oe', 2),
});
