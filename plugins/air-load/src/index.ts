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
  return familyPlugin(NAME, VERSION, loadComponent);
}
