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
 * The JAL component: one row per executed JAL.
 *
 * @example
 * const trace = jalComponent.traceFor(ctx); // null when no JAL ran
 */
export const jalComponent: ZkvmComponent = {
  name: 'jal',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * JAL (jump and link).
 *
 * @example
 * assembleSystem([blake2s(), program(), registerFile(), ..., jal()])
 */
export function jal(): Plugin {
  return familyPlugin(NAME, VERSION, jalComponent);
}
