import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-shift';
export const VERSION = '0.1.0';

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
  return zkvmPlugin(NAME, VERSION, { components: [shiftComponent] });
}
