import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-sub';
export const VERSION = '0.1.0';

/** The SUB component (records family `sub`). */
export const subComponent: ZkvmComponent = {
  name: 'sub',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * SUB: rd = rs1 - rs2 mod 2^32.
 *
 * @example
 * assembleSystem([blake2s(), program(), ..., sub()])
 */
export function sub(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [subComponent] });
}
