import { ColumnLayout } from '@nexus/air-common';
import { RC_BIT_POSITIONS } from './keccak.js';

/**
 * The layout of `keccak-rounds` (2,710 columns). A permutation is 25 consecutive rows: row r
 * (0..23) holds the input state A_r of round r, through θ's view of it, and row 24 holds the
 * output A_24 = Keccak-f(A_0). Lanes are numbered x + 5y, bit z of a lane has weight 2^z.
 */
export const layout = new ColumnLayout();
export const SEL = layout.add('sel');
/** The call: its cycle and the word index of the state (constant per call). */
export const CLK = layout.add('clk');
export const PTR = layout.add('ptr');
/** What the row is, looked up in the round table with the round constant's bits. */
export const IDX = layout.add('idx');
export const START = layout.add('start');
export const ROUND = layout.add('round');
/** rc_j: bit 2^j - 1 of the round constant (the only bits a round constant can set). */
export const RCB = RC_BIT_POSITIONS.map((_, j) => layout.add(`rc${j}`));

/** A' = θ(A_r) as bits: AP[lane][z]. */
export const AP: readonly (readonly string[])[] = Array.from({ length: 25 }, (_, i) =>
  layout.addMany(`ap${i}_`, 64),
);
/** θ's column parities C[x][z] = xor_y A_r[x, y, z], as bits. */
export const C: readonly (readonly string[])[] = Array.from({ length: 5 }, (_, x) =>
  layout.addMany(`c${x}_`, 64),
);
/** C'[x][z] = C[x][z] xor D[x][z], D[x][z] = C[x - 1][z] xor C[x + 1][z - 1], as bits. */
export const CP: readonly (readonly string[])[] = Array.from({ length: 5 }, (_, x) =>
  layout.addMany(`cp${x}_`, 64),
);
/** The bytes of A_r, little-endian per lane: S[lane][b] (memory bytes on the first and last row). */
export const S: readonly (readonly string[])[] = Array.from({ length: 25 }, (_, i) =>
  layout.addMany(`s${i}_`, 8),
);
/** χ(π(ρ(A'))) before ι, as 16-bit limbs: X[lane][l] holds bits 16l..16l + 15. */
export const X: readonly (readonly string[])[] = Array.from({ length: 25 }, (_, i) =>
  layout.addMany(`chi${i}_`, 4),
);
/** χ's bits of lane 0 at the round-constant positions (ι xors them with rc_j). */
export const H = RC_BIT_POSITIONS.map((_, j) => layout.add(`iota${j}`));
/** The 50 state-word accesses of the first row: previous timestamp and gap limbs. */
export const MEM: readonly { readonly prevTs: string; readonly lo: string; readonly hi: string }[] =
  Array.from({ length: 50 }, (_, k) => ({
    prevTs: layout.add(`m${k}_prev_ts`),
    lo: layout.add(`m${k}_lo`),
    hi: layout.add(`m${k}_hi`),
  }));
