import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-mul';
export const VERSION = '0.1.0';

/** The multiplication component (records family `mul`). */
export const mulComponent: ZkvmComponent = {
  name: 'mul',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * MUL (low word), MULH (high word, signed × signed), MULHSU (signed × unsigned) and MULHU
 * (unsigned × unsigned).
 *
 * @example
 * assembleSystem([blake2s(), program(), bitwise(), rangeCheck(), ..., mul()])
 */
export function mul(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [mulComponent] });
}
