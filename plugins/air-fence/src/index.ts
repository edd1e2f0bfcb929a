import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

/** The FENCE component (records family `fence`). */
export const fenceComponent: ZkvmComponent = {
  name: 'fence',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * FENCE: a no-op that takes a cycle (program lookup and execution step only).
 *
 * @example
 * assembleSystem([blake2s(), program(), ..., fence()])
 */
export function fence(): Plugin {
  return familyPlugin(NAME, VERSION, fenceComponent);
}
