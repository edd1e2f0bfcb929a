import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

/** The multiplication component (records family `mul`). */
export const mulComponent: ZkvmComponent = {
  name: 'mul',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/**
 * MUL (low word), MULH (high word, signed × signed), MULHSU (signed × unsigned) and MULHU
 * (unsigned × unsigned).
 *
 * @example
 * assembleSystem([blake2s(), program(), bitwise(), rangeCheck(), ..., mul()])
 */
export function mul(): Plugin {
  return familyPlugin(NAME, VERSION, mulComponent);
}
