import { P } from '@nexus/field';

/*
 * QM31 arithmetic on coordinates for the prover's row loops: results go into a caller-owned
 * scratch array instead of a new tuple per call. Inputs canonical; outputs canonical.
 */

const INV = 4.656612873077393e-10;

/** a·b mod p, branchless (see @nexus/field m31.ts). */
export function mulm(a: number, b: number): number {
  const lo = Math.imul(a, b) & P;
  const t = (lo + (Math.round((a * b - lo) * INV) | 0) - P) | 0;
  return t + ((t >> 31) & P);
}

/** out[o..o+4) = (a0, a1, a2, a3)·(b0, b1, b2, b3). */
export function qmul(
  a0: number,
  a1: number,
  a2: number,
  a3: number,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  out: Uint32Array | number[],
  o: number,
): void {
  const ac0 = mulm(a0, b0) - mulm(a1, b1);
  const ac1 = mulm(a0, b1) + mulm(a1, b0);
  const bd0 = mulm(a2, b2) - mulm(a3, b3);
  const bd1 = mulm(a2, b3) + mulm(a3, b2);
  const ad0 = mulm(a0, b2) - mulm(a1, b3);
  const ad1 = mulm(a0, b3) + mulm(a1, b2);
  const bc0 = mulm(a2, b0) - mulm(a3, b1);
  const bc1 = mulm(a2, b1) + mulm(a3, b0);
  // (-3p, 7p) before the final reduction; + 8p keeps it positive.
  out[o] = (ac0 + 2 * bd0 - bd1 + 8 * P) % P;
  out[o + 1] = (ac1 + bd0 + 2 * bd1 + 8 * P) % P;
  out[o + 2] = (ad0 + bc0 + 8 * P) % P;
  out[o + 3] = (ad1 + bc1 + 8 * P) % P;
}

export function addm(a: number, b: number): number {
  const t = (a + b - P) | 0;
  return t + ((t >> 31) & P);
}

export function subm(a: number, b: number): number {
  const t = (a - b) | 0;
  return t + ((t >> 31) & P);
}
