import { defineRelation } from '@nexus/kernel';

/**
 * (clk, state word index, block word index): one sha256_compress call, yielded by its ecall row
 * (component `sha256`) and used by the first row of the 68 rows that compute it (component
 * `sha256-rounds`), which so work on exactly the call's cycle and pointers.
 */
export const SHA256_CALL = defineRelation('sha256_call', 3);

/**
 * (idx, start, init, msg, sched, k_lo, k_hi): what row idx (0..67) of a compression is. The
 * fixed 128-row table `sha256-schedule` yields rows 0..67 (its rows 68..127 yield nothing), so
 * every real rounds row is one of these 68 kinds, with the right round constant.
 */
export const SHA256_SCHEDULE = defineRelation('sha256_schedule', 7);

/** Rows of one compression: 4 rows with the state, then one per round. */
export const ROWS_PER_CALL = 68;
