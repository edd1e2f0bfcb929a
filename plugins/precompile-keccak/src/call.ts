import {
  defineLayout,
  evalPrecompileCall,
  precompileCallColumns,
  precompileCallTrace,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace, EvalContext } from '@nexus/kernel';
import type { PrecompileRecords } from '@nexus/vm';
import { KECCAK_CALL } from './relations.js';

/** The syscall number. */
export const KECCAKF = 0x1002;

/** The layout of `keccak` (15 columns): one row per keccakf call; a0 points at the state. */
export const layout = defineLayout(precompileCallColumns([0]));

/**
 * `keccak`: the ecall row of a keccakf call (air-common's precompile call row: a7 = 0x1002, a0
 * read at 4·clk and word-aligned, a0 := 0 at 4·clk + 2). It hands (clk, state word index) to
 * the 25 rows of `keccak-rounds` that compute the permutation and access the memory; the index
 * is below 2^30, so the rounds' index arithmetic (at most + 49) never wraps.
 */
export function evaluate(e: EvalContext): void {
  const c = evalPrecompileCall(e, layout.exprs(e), KECCAKF);
  e.yield(KECCAK_CALL, [c.clk, c.wordIndex.get(0)!], c.sel);
}

/** One row per call, from the precompile's records. */
export function callTrace(
  ctx: ZkvmTraceContext,
  rec: PrecompileRecords | undefined,
): ComponentTrace | null {
  return precompileCallTrace(ctx, rec, layout);
}
