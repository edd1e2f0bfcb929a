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
 * The store component: one row per executed SB, SH or SW.
 *
 * @example
 * const trace = storeComponent.traceFor(ctx); // null when no store ran
 */
export const storeComponent: ZkvmComponent = {
  name: 'store',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * The stores SB, SH and SW.
 *
 * @example
 * assembleSystem([blake2s(), program(), registerFile(), ..., store()])
 */
export function store(): Plugin {
  return familyPlugin(NAME, VERSION, storeComponent);
}
