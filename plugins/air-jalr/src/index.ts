import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-jalr';
export const VERSION = '0.1.0';

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
  return zkvmPlugin(NAME, VERSION, { components: [jalrComponent] });
}
