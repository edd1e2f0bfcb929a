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
 * The JALR component: one row per executed JALR.
 *
 * @example
 * const trace = jalrComponent.traceFor(ctx); // null when no JALR ran
 */
export const jalrComponent: ZkvmComponent = {
  name: 'jalr',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * JALR (jump and link register).
 *
 * @example
 * assembleSystem([blake2s(), program(), registerFile(), ..., jalr()])
 */
export function jalr(): Plugin {
  return familyPlugin(NAME, VERSION, jalrComponent);
}
