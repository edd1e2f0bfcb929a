/**
 * @acme/precompile-popcount: a population-count precompile for the Nexus zkVM, written as an
 * outside package writes one (against the published @nexus packages, no access to the zkVM's
 * repository). One package holds the whole extension (riscv.md section 6):
 *
 * - the VM side: `popcountSyscall`, a `SyscallExtension` of @nexus/vm (the memory regions of a
 *   call and what it computes), registered under the `vm.syscall` extension kind;
 * - the AIR side: the component `popcount256` (air.ts: the constraints and their soundness
 *   argument; trace.ts: its rows from the VM's records);
 * - the guest side: guest/nexus_popcount.h (the call, with a software fallback on -ENOSYS).
 *
 * popcount256 (a7 = 0x1800): a0 = pointer to the result word (written), a1 = pointer to 8 input
 * words (read); the result is the number of set bits of the 256 input bits. a0 := 0 (done).
 */
import type { ZkvmComponent } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { SYSCALL_EXTENSION, type SyscallExtension } from '@nexus/vm';
import { evaluate } from './air.js';
import { layout } from './columns.js';
import { INPUT_WORDS, POPCOUNT256, popcount256Words } from './popcount.js';
import { popcountTrace } from './trace.js';
import { NAME, VERSION } from './version.js';

export { layout } from './columns.js';
export { INPUT_WORDS, POPCOUNT256, popcount32, popcount256Words } from './popcount.js';
export { NAME, VERSION };

/** The records table the VM fills (one row per call), and the component that proves it. */
export const TABLE = 'popcount256';

/**
 * The VM side. The VM checks each call (pointers 4-byte aligned, regions mapped, the result
 * writable), reads the input words at 4·clk + 1, computes, writes the result at 4·clk + 3 and
 * sets a0 := 0, in both passes; pass 2 records one row per call in the table `popcount256`.
 */
export const popcountSyscall: SyscallExtension = {
  number: POPCOUNT256,
  name: 'popcount256',
  plugin: NAME,
  table: TABLE,
  regions: [
    { arg: 1, words: INPUT_WORDS, writes: false },
    { arg: 0, words: 1, writes: true },
  ],
  compute: popcount256Words,
};

/** The AIR side: one row per call (size rule: free, the prover's to choose within the bounds). */
export const popcountComponent: ZkvmComponent = {
  name: TABLE,
  version: VERSION,
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  // The zkVM's tables count this component's lookups from its bus entries on the finished
  // trace: nothing to count by hand, in whatever order `evaluate` looks things up.
  lookups: 'from-entries',
  evaluate,
  traceFor: (ctx) => popcountTrace(ctx, ctx.records.precompiles[TABLE]),
};

/**
 * The popcount256 precompile: add it to a zkVM's plugins and guests may call it.
 *
 * @example
 * createZkvm({ plugins: [...defaultPlugins(), popcount()] })
 */
export function popcount(): Plugin {
  return {
    name: NAME,
    version: VERSION,
    apply(host) {
      // Every tap is named with the plugin's name (the host checks it).
      host.hooks.components.tap(NAME, (r) => r.add(popcountComponent));
      host.hooks.extensions.tap(NAME, (r) => r.add(SYSCALL_EXTENSION, popcountSyscall));
    },
  };
}
