import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

/** The shift component (records family `shift`). */
export const shiftComponent: ZkvmComponent = {
  name: 'shift',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * SLL, SRL, SRA (by rs2's low 5 bits) and SLLI, SRLI, SRAI (by the immediate shift amount).
 *
 * @example
 * assembleSystem([blake2s(), program(), bitwise(), rangeCheck(), ..., shift()])
 */
export function shift(): Plugin {
  return familyPlugin(NAME, VERSION, shiftComponent);
}
