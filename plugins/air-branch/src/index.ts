import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

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
  return familyPlugin(NAME, VERSION, branchComponent);
}
