import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

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
  return familyPlugin(NAME, VERSION, logicComponent);
}
