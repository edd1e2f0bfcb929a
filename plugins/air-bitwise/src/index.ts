import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-bitwise';
export const VERSION = '0.1.0';

/** The logic component (records family `logic`; `bitwise` is the table it looks up). */
export const logicComponent: ZkvmComponent = {
  name: 'logic',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * XOR, OR, AND, XORI, ORI, ANDI, byte by byte through the bitwise table (needs `bitwise()`).
 *
 * @example
 * assembleSystem([blake2s(), program(), bitwise(), ..., logic()])
 */
export function logic(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [logicComponent] });
}
