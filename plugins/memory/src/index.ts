import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import type { Plugin } from '@nexus/kernel';
import { evaluate, evaluateImage, evaluateZeroPages } from './air.js';
import { layout, tableLayout } from './columns.js';
import { imageTrace, memoryTrace, preprocessed, zeroPagesTrace } from './trace.js';

export const NAME = '@nexus/memory';
export const VERSION = '0.1.0';

export const memoryComponent: ZkvmComponent = {
  name: 'memory',
  version: VERSION,
  columns: layout.names,
  tracePhase: 'rows',
  evaluate,
  traceFor: memoryTrace,
};

export const memoryImageComponent: ZkvmComponent = {
  name: 'memory-image',
  version: VERSION,
  columns: tableLayout.names,
  tracePhase: 'tables',
  evaluate: evaluateImage,
  traceFor: imageTrace,
};

export const zeroPagesComponent: ZkvmComponent = {
  name: 'memory-zero-pages',
  version: VERSION,
  columns: tableLayout.names,
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
