import { defineRelation } from '@nexus/kernel';

/**
 * (clk, state word index): one keccakf call, yielded by its ecall row (component `keccak`) and
 * used by the first of the 25 rows that compute it (component `keccak-rounds`), which so work
 * on exactly the call's cycle and pointer.
 */
export const KECCAK_CALL = defineRelation('keccak_call', 2);

/**
 * (idx, start, round, rc0..rc6): what row idx (0..24) of a permutation is. The fixed 32-row
 * table `keccak-round-constants` yields rows 0..24 (its rows 25..31 yield nothing), so every
 * real rounds row is one of these 25 kinds, with round idx's constant: rc_j is bit 2^j - 1 of
 * RC[idx], the only bits a round constant can set.
 */
export const KECCAK_ROUND = defineRelation('keccak_round', 10);

/** Rows of one permutation: one per round (its input state), then the output state. */
export const ROWS_PER_CALL = 25;
