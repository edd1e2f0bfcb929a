import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-auipc';
export const VERSION = '0.1.0';

/** The AUIPC component (records family `auipc`). */
export const auipcComponent: ZkvmComponent = {
  name: 'auipc',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * AUIPC: rd = pc + (imm << 12) mod 2^32.
 *
 * @example
 * assembleSystem([blake2s(), program(), bitwise(), ..., auipc()])
 */
export function auipc(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [auipcComponent] });
}
