import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { traceFor } from './trace.js';

export const NAME = '@nexus/air-add';
export const VERSION = '0.1.0';

export const addComponent: ZkvmComponent = {
  name: 'add',
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate,
  traceFor,
};

/** ADD and ADDI. */
export function add(): Plugin {
  return zkvmPlugin(NAME, VERSION, { components: [addComponent] });
}
