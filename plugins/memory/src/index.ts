import { readZkvmStatement, type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin, statementSize } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };
import { evaluate, evaluateImage, evaluateZeroPages } from './air.js';
import { layout, tableLayout } from './columns.js';
import {
  imageLogRows,
  imageTrace,
  memoryTrace,
  preprocessed,
  zeroPagesLogRows,
  zeroPagesTrace,
} from './trace.js';

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;

export const memoryComponent: ZkvmComponent = {
  name: 'memory',
  version: VERSION,
  columns: layout.names,
  // Free: one row per touched word. Addresses strictly increase below 2^29, whatever the size.
  size: freeSize(),
  // The run's memory boundary (initial and final images): proven once, in the last segment of
  // a segmented proof (the VM gives only that segment the images).
  scope: 'once',
  tracePhase: 'rows',
  evaluate,
  traceFor: memoryTrace,
};

export const memoryImageComponent: ZkvmComponent = {
  name: 'memory-image',
  version: VERSION,
  columns: tableLayout.names,
  size: statementSize((s) => imageLogRows(readZkvmStatement(s).decoded)),
  tracePhase: 'tables',
  evaluate: evaluateImage,
  traceFor: imageTrace,
};

export const zeroPagesComponent: ZkvmComponent = {
  name: 'memory-zero-pages',
  version: VERSION,
  columns: tableLayout.names,
  size: statementSize((s) => zeroPagesLogRows(readZkvmStatement(s).decoded)),
  tracePhase: 'tables',
  evaluate: evaluateZeroPages,
  traceFor: zeroPagesTrace,
};

/**
 * RAM for the memory argument: the table of touched words (initial and final values, strictly
 * increasing addresses) and the preprocessed tables of the program's initial memory.
 */
export function memory(): Plugin {
  return zkvmPlugin(NAME, VERSION, {
    components: [memoryComponent, memoryImageComponent, zeroPagesComponent],
    preprocessed,
  });
}
