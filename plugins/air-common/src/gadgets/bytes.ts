import type { EvalContext, Expr } from '@nexus/kernel';
import { BITWISE, BITWISE_PAIR } from '../relations.js';

/** Range-checks bytes two at a time against the bitwise table's pair rows. */
export function evalBytes(e: EvalContext, bytes: readonly Expr[], multiplicity: Expr): void {
  for (let i = 0; i < bytes.length; i += 2) {
    e.use(BITWISE, [BITWISE_PAIR, bytes[i]!, bytes[i + 1] ?? e.constant(0), 0], multiplicity);
  }
}

/** The 32-bit value of four bytes as a field element (valid below 2^31; else mod p). */
export function wordOf(bytes: readonly Expr[]): Expr {
  return bytes[0]!.add(bytes[1]!.mul(256)).add(bytes[2]!.mul(65536)).add(bytes[3]!.mul(16777216));
}

/** Bytes of a u32, little-endian. */
export function bytesOf(v: number): [number, number, number, number] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
}

/** Writes a u32's bytes, little-endian, at `row` of four byte columns (trace generation). */
export function writeWord(cols: readonly Uint32Array[], row: number, v: number): void {
  cols[0]![row] = v & 0xff;
  cols[1]![row] = (v >>> 8) & 0xff;
  cols[2]![row] = (v >>> 16) & 0xff;
  cols[3]![row] = v >>> 24;
}
