import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-lui';
export const VERSION = '0.1.0';

/** The LUI component (records family `lui`). */
export const luiComponent: ZkvmComponent = {
  name: 'lui',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * LUI: rd = imm << 12.
 *
 * @example
 * assembleSystem([blake2s(), program(), ..., lui()])
 */
export function lui(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [luiComponent] });
}
