import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

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
  return familyPlugin(NAME, VERSION, subComponent);
}
