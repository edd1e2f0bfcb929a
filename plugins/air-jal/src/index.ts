import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-jal';
export const VERSION = '0.1.0';

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
  return zkvmPlugin(NAME, VERSION, { components: [jalComponent] });
}
