import { EXIT, OUTPUT, readZkvmStatement, type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { type BoundaryEntry, freeSize, type Plugin, statementSize } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate, evaluatePublicInput } from './air.js';
import { layout, tableLayout } from './columns.js';
import { ioTrace, preprocessed, publicInputLogRows, publicInputTrace } from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

export const ioComponent: ZkvmComponent = {
  name: 'io',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor: ioTrace,
};

export const publicInputComponent: ZkvmComponent = {
  name: 'public-input',
  version: VERSION,
  columns: tableLayout.names,
  // One row per public input byte and one for the end marker, padded.
  size: statementSize((s) => publicInputLogRows(readZkvmStatement(s).publicInput.length)),
  tracePhase: 'tables',
  evaluate: evaluatePublicInput,
  traceFor: publicInputTrace,
};

/**
 * The tapes: io byte transfers, the public input table, and the statement's side of the public
 * output and the exit code: it takes every (position, byte) of the claimed output and the
 * claimed exit code off their buses, so they balance only if the guest produced exactly them.
 */
export function io(): Plugin {
  return zkvmPlugin(NAME, VERSION, {
    components: [ioComponent, publicInputComponent],
    preprocessed,
    boundary(statement) {
      const s = readZkvmStatement(statement);
      const out: BoundaryEntry[] = [];
      for (let k = 0; k < s.publicOutput.length; k++) {
        out.push({ relation: OUTPUT, values: [k, s.publicOutput[k]!], multiplicity: 1 });
      }
      const code = s.exitCode >>> 0;
      out.push({
        relation: EXIT,
        values: [code & 0xff, (code >>> 8) & 0xff, (code >>> 16) & 0xff, code >>> 24],
        multiplicity: 1,
      });
      return out;
    },
  });
}
