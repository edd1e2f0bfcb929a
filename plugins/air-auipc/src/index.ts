import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

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
  return familyPlugin(NAME, VERSION, auipcComponent);
}
