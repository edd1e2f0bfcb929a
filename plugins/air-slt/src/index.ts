import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-slt';
export const VERSION = '0.1.0';

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
  return zkvmPlugin(NAME, VERSION, { components: [sltComponent] });
}
