import { familyPlugin, type ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export { END_OF_TAPE } from './air.js';
/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

export const ecallComponent: ZkvmComponent = {
  name: 'ecall',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/** ECALL: exit, read (private/public input) and write (public output/debug log). */
export function ecall(): Plugin {
  return familyPlugin(NAME, VERSION, ecallComponent);
}
