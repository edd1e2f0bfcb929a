import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

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
  return familyPlugin(NAME, VERSION, luiComponent);
}
