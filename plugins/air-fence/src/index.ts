import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-fence';
export const VERSION = '0.1.0';

/** The FENCE component (records family `fence`). */
export const fenceComponent: ZkvmComponent = {
  name: 'fence',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * FENCE: a no-op that takes a cycle (program lookup and execution step only).
 *
 * @example
 * assembleSystem([blake2s(), program(), ..., fence()])
 */
export function fence(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [fenceComponent] });
}
