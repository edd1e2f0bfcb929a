import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-branch';
export const VERSION = '0.1.0';

/**
 * The branch component: one row per executed BEQ, BNE, BLT, BGE, BLTU or BGEU.
 *
 * @example
 * const trace = branchComponent.traceFor(ctx); // null when no branch ran
 */
export const branchComponent: ZkvmComponent = {
  name: 'branch',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * The conditional branches BEQ, BNE, BLT, BGE, BLTU and BGEU.
 *
 * @example
 * assembleSystem([blake2s(), program(), registerFile(), ..., branch()])
 */
export function branch(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [branchComponent] });
}
