import { ColumnLayout } from '@nexus/air-common';

/**
 * The layout of `sha256-rounds` (159 columns). A compression is 68 consecutive rows: rows
 * 0..3 hold the state (a_-3..a_0 and e_-3..e_0, i.e. H3..H0 and H7..H4) and read and rewrite
 * it in memory; row 4 + t holds round t: its message word W_t and the new a and e, whose
 * working variables b, c, d and f, g, h are the a and e of the rows before.
 */
export const layout = new ColumnLayout();
export const SEL = layout.add('sel');
/** The call: its cycle and the word indices of the state and the block (constant per call). */
export const CLK = layout.add('clk');
export const PS = layout.add('ps');
export const PB = layout.add('pb');
/** What the row is, looked up in the schedule table with the round constant. */
export const IDX = layout.add('idx');
export const START = layout.add('start');
export const INIT = layout.add('init');
export const MSG = layout.add('msg');
export const SCHED = layout.add('sched');
export const K_LO = layout.add('k_lo');
export const K_HI = layout.add('k_hi');
/** a, e and W as bits (bit i has weight 2^i). */
export const A = layout.addMany('a', 32);
export const E = layout.addMany('e', 32);
export const W = layout.addMany('w', 32);
/**
 * The bit functions as 16-bit halves, each pinned on every row by its definition on that row's
 * bits (and the rows before for ch and maj): Σ0(a), Σ1(e), ch(e, e@-1, e@-2),
 * maj(a, a@-1, a@-2), σ0(W), σ1(W). The round constraints read them one or more rows back.
 */
export const S0 = layout.addMany('big_sigma0_', 2);
export const S1 = layout.addMany('big_sigma1_', 2);
export const CH = layout.addMany('ch', 2);
export const MAJ = layout.addMany('maj', 2);
export const s0 = layout.addMany('small_sigma0_', 2);
export const s1 = layout.addMany('small_sigma1_', 2);
/** Carries of the new a (< 7), the new e (< 6) and W (< 4) out of each 16-bit half, as bits. */
export const CA = [layout.addMany('ca_lo', 3), layout.addMany('ca_hi', 3)];
export const CE = [layout.addMany('ce_lo', 3), layout.addMany('ce_hi', 3)];
export const CW = [layout.addMany('cw_lo', 2), layout.addMany('cw_hi', 2)];
/**
 * Memory access 1: a message word read (msg rows, at 4·clk + 1) or the state word of the a
 * chain rewritten (init rows, at 4·clk + 3): word index, bytes before and after, writable flag.
 */
export const M1_WIDX = layout.add('m1_widx');
export const M1_PREV = layout.addMany('m1_prev', 4);
export const M1_NEXT = layout.addMany('m1_next', 4);
export const M1_W = layout.add('m1_w');
export const M1_PREV_TS = layout.add('m1_prev_ts');
export const M1_LO = layout.add('m1_lo');
export const M1_HI = layout.add('m1_hi');
/** Memory access 2 (init rows): the state word of the e chain, rewritten at 4·clk + 3. */
export const M2_NEXT = layout.addMany('m2_next', 4);
export const M2_PREV_TS = layout.add('m2_prev_ts');
export const M2_LO = layout.add('m2_lo');
export const M2_HI = layout.add('m2_hi');
/** Carries of the state updates H + a_64.. and H + e_64.. (init rows), per half. */
export const OA = layout.addMany('oa', 2);
export const OE = layout.addMany('oe', 2);
