import {
  defineLayout,
  evalPrecompileCall,
  precompileCallColumns,
  precompileCallTrace,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace, EvalContext } from '@nexus/kernel';
import type { PrecompileRecords } from '@nexus/vm';
import { SHA256_CALL } from './relations.js';

/** The syscall number. */
export const SHA256_COMPRESS = 0x1001;

/** The layout of `sha256` (23 columns): one row per sha256_compress call; a0 points at the state, a1 at the block. */
export const layout = defineLayout(precompileCallColumns([0, 1]));

/**
 * `sha256`: the ecall row of a sha256_compress call (air-common's precompile call row: a7 =
 * 0x1001, a0 and a1 read at 4·clk and word-aligned, a0 := 0 at 4·clk + 2). It hands (clk, state
 * word index, block word index) to the 68 rows of `sha256-rounds` that compute the compression
 * and access the memory; both indices are below 2^30, so the rounds' index arithmetic (at most
 * + 15) never wraps.
 */
export function evaluate(e: EvalContext): void {
  const c = evalPrecompileCall(e, layout.exprs(e), SHA256_COMPRESS);
  e.yield(SHA256_CALL, [c.clk, c.wordIndex.get(0)!, c.wordIndex.get(1)!], c.sel);
}

/** One row per call, from the precompile's records. */
export function callTrace(
  ctx: ZkvmTraceContext,
  rec: PrecompileRecords | undefined,
): ComponentTrace | null {
  return precompileCallTrace(ctx, rec, layout);
}
