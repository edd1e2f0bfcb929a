import { col, cols, defineLayout } from '@nexus/air-common';
import { RC_BIT_POSITIONS } from './keccak.js';

/**
 * The layout of `keccak-rounds` (2,710 columns). A permutation is 25 consecutive rows: row r
 * (0..23) holds the input state A_r of round r, through θ's view of it, and row 24 holds the
 * output A_24 = Keccak-f(A_0). Lanes are numbered x + 5y, bit z of a lane has weight 2^z.
 */
const define = () =>
  defineLayout({
    SEL: col('sel'),
    /** The call: its cycle and the word index of the state (constant per call). */
    CLK: col('clk'),
    PTR: col('ptr'),
    /** What the row is, looked up in the round table with the round constant's bits. */
    IDX: col('idx'),
    START: col('start'),
    ROUND: col('round'),
    /** rc_j: bit 2^j - 1 of the round constant (the only bits a round constant can set). */
    RCB: RC_BIT_POSITIONS.map((_, j) => col(`rc${j}`)),

    /** A' = θ(A_r) as bits: AP[lane][z]. */
    AP: Array.from({ length: 25 }, (_, i) => cols(`ap${i}_`, 64)),
    /** θ's column parities C[x][z] = xor_y A_r[x, y, z], as bits. */
    C: Array.from({ length: 5 }, (_, x) => cols(`c${x}_`, 64)),
    /** C'[x][z] = C[x][z] xor D[x][z], D[x][z] = C[x - 1][z] xor C[x + 1][z - 1], as bits. */
    CP: Array.from({ length: 5 }, (_, x) => cols(`cp${x}_`, 64)),
    /** The bytes of A_r, little-endian per lane: S[lane][b] (memory bytes on the first and last row). */
    S: Array.from({ length: 25 }, (_, i) => cols(`s${i}_`, 8)),
    /** χ(π(ρ(A'))) before ι, as 16-bit limbs: X[lane][l] holds bits 16l..16l + 15. */
    X: Array.from({ length: 25 }, (_, i) => cols(`chi${i}_`, 4)),
    /** χ's bits of lane 0 at the round-constant positions (ι xors them with rc_j). */
    H: RC_BIT_POSITIONS.map((_, j) => col(`iota${j}`)),
    /** The 50 state-word accesses of the first row: previous timestamp and gap limbs. */
    MEM: Array.from({ length: 50 }, (_, k) => ({
      prevTs: col(`m${k}_prev_ts`),
      lo: col(`m${k}_lo`),
      hi: col(`m${k}_hi`),
    })),
  });

let built: ReturnType<typeof define> | undefined;

/**
 * The layout of `keccak-rounds`, defined on first use: its 2,710 named columns took ~5 ms at
 * module load, in every process that loads the package (the CLI's bundle loads it with the SDK)
 * whether or not a system has keccak.
 */
export function roundsLayout(): ReturnType<typeof define> {
  built ??= define();
  return built;
}
