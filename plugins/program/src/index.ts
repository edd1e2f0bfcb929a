import { EXEC, readZkvmStatement, type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { type Plugin, statementSize } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { logRows, preprocessed, traceFor } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

export const programComponent: ZkvmComponent = {
  name: 'program',
  version: VERSION,
  columns: layout.names,
  // One row per instruction of the program the statement commits to, padded.
  size: statementSize((s) => logRows(readZkvmStatement(s).decoded)),
  tracePhase: 'tables',
  evaluate,
  traceFor,
};

/**
 * The program table (preprocessed from the ELF: every decoded instruction with the number of
 * times it ran) and the start of the execution chain: the statement yields (entry pc, clk 1).
 */
export function program(): Plugin {
  return zkvmPlugin(NAME, VERSION, {
    components: [programComponent],
    preprocessed,
    boundary: (statement) => [
      { relation: EXEC, values: [readZkvmStatement(statement).decoded.entry, 1], multiplicity: -1 },
    ],
  });
}
