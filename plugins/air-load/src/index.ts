import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-load';
export const VERSION = '0.1.0';

/**
 * The load component: one row per executed LB, LH, LW, LBU or LHU.
 *
 * @example
 * const trace = loadComponent.traceFor(ctx); // null when no load ran
 */
export const loadComponent: ZkvmComponent = {
  name: 'load',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * The loads LB, LH, LW, LBU and LHU.
 *
 * @example
 * assembleSystem([blake2s(), program(), registerFile(), ..., load()])
 */
export function load(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [loadComponent] });
}
