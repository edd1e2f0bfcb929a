import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

/** The set-less-than component (records family `slt`). */
export const sltComponent: ZkvmComponent = {
  name: 'slt',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * SLT, SLTU, SLTI and SLTIU: rd = 1 if rs1 < rs2 (or the immediate), signed or unsigned, else 0.
 *
 * @example
 * assembleSystem([blake2s(), program(), bitwise(), ..., slt()])
 */
export function slt(): Plugin {
  return familyPlugin(NAME, VERSION, sltComponent);
}
