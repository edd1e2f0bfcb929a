import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

/** The division component (records family `div`). */
export const divComponent: ZkvmComponent = {
  name: 'div',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * DIV, DIVU (quotient) and REM, REMU (remainder), with the spec's division by zero (quotient
 * all ones, remainder the dividend) and signed overflow (INT_MIN / -1 = INT_MIN, remainder 0).
 *
 * @example
 * assembleSystem([blake2s(), program(), bitwise(), rangeCheck(), ..., div()])
 */
export function div(): Plugin {
  return familyPlugin(NAME, VERSION, divComponent);
}
