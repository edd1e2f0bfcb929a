/**
 * A precompile plugin for the Nexus zkVM (made by `nexus new --plugin`). One package holds the
 * whole extension:
 *
 * - the VM side: `syscall`, a `SyscallExtension` of @nexus/vm (the call's memory regions and
 *   what it computes), registered under the `vm.syscall` extension kind;
 * - the AIR side: `component` (air.ts: the constraints and why they pin every value; trace.ts:
 *   its rows from the VM's records);
 * - the guest side: guest/precompile.h (the call, with a software fallback on -ENOSYS).
 */
import type { ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { SYSCALL_EXTENSION, type SyscallExtension } from '@nexus/vm';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { compute, INPUT_WORDS, NUMBER } from './compute.js';
import { traceOf } from './trace.js';
import { NAME, TABLE, VERSION } from './version.js';

export { layout } from './columns.js';
export { compute, INPUT_WORDS, NUMBER } from './compute.js';
export { NAME, TABLE, VERSION };

/**
 * The VM side: the VM checks each call (pointers aligned, regions mapped, written regions
 * writable), reads the read-only regions at 4·clk + 1, computes, writes the written regions at
 * 4·clk + 3 and sets a0 := 0, in both passes; pass 2 records one row per call in TABLE.
 */
export const syscall: SyscallExtension = {
  number: NUMBER,
  name: TABLE,
  plugin: NAME,
  table: TABLE,
  regions: [
    { arg: 1, words: INPUT_WORDS, writes: false },
    { arg: 0, words: 1, writes: true },
  ],
  compute,
};

/** The AIR side: one row per call (free size: the prover's to choose within the bounds). */
export const component: ZkvmComponent = {
  name: TABLE,
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  // The zkVM's tables count this component's lookups from its bus entries on the finished
  // trace: nothing to count by hand, in whatever order `evaluate` looks things up.
  lookups: 'from-entries',
  evaluate,
  traceFor: (ctx) => traceOf(ctx, ctx.records.precompiles[TABLE]),
};

/**
 * The plugin: add it to a zkVM's plugins and guests may make the call.
 *
 * @example
 * createZkvm({ plugins: [...defaultPlugins(), plugin()] })
 */
export function plugin(): Plugin {
  return {
    name: NAME,
    version: VERSION,
    apply(host) {
      // Every tap is named with the plugin's name (the host checks it).
      host.hooks.components.tap(NAME, (r) => r.add(component));
      host.hooks.extensions.tap(NAME, (r) => r.add(SYSCALL_EXTENSION, syscall));
    },
  };
}

export default plugin;
