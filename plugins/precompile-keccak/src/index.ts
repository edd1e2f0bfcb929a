/**
 * @nexus/precompile-keccak: the Keccak-f[1600] permutation as a zkVM precompile (syscall
 * 0x1002 keccakf, riscv.md section 6). One package holds the whole extension: the VM's
 * semantics of the call, the components that prove it (`keccak`, `keccak-rounds`,
 * `keccak-round-constants`), and the guest header (`guest/nexus_keccak.h`).
 */
import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { SYSCALL_EXTENSION, type SyscallExtension } from '@nexus/vm';
import { layout as callLayout, callTrace, evaluate as evaluateCall, KECCAKF } from './call.js';
import { keccakf } from './keccak.js';
import { ROWS_PER_CALL } from './relations.js';
import { roundConstantsComponent, roundConstantsPreprocessed } from './round-constants.js';
import { evaluate as evaluateRounds } from './rounds-air.js';
import { roundsLayout } from './rounds-columns.js';
import { roundsTrace, stateCells } from './rounds-trace.js';
import { NAME, VERSION } from './version.js';

export {
  keccak256,
  keccakf,
  keccakfStates,
  keccakRound,
  PI_TARGET,
  RC,
  RC_BIT_POSITIONS,
  ROTATION,
  ROUNDS,
  type RoundWitness,
  rcBit,
  roundWitness,
} from './keccak.js';
export { KECCAK_CALL, KECCAK_ROUND, ROWS_PER_CALL } from './relations.js';
export { KECCAKF, NAME, stateCells, VERSION };

/** The records table (and component) of the calls. */
const TABLE = 'keccak';

/**
 * The VM side: keccakf(a0 = the 25 lanes of the state, 50 words, each lane a little-endian
 * u64, permuted in place). The state is read, permuted and rewritten at 4·clk + 3.
 */
export const keccakSyscall: SyscallExtension = {
  number: KECCAKF,
  name: 'keccakf',
  plugin: NAME,
  table: TABLE,
  regions: [{ arg: 0, words: 50, writes: true }],
  compute: keccakf,
};

export const keccakCallComponent: ZkvmComponent = {
  name: TABLE,
  version: VERSION,
  columns: callLayout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate: evaluateCall,
  traceFor: (ctx) => callTrace(ctx, ctx.records.precompiles[TABLE]),
};

export const keccakRoundsComponent: ZkvmComponent = {
  name: 'keccak-rounds',
  rowsPerRecord: { table: TABLE, rows: ROWS_PER_CALL },
  version: VERSION,
  // A getter: the layout is defined on first use (rounds-columns.ts), by the systems that
  // include this component.
  get columns() {
    return roundsLayout().names;
  },
  size: freeSize(),
  tracePhase: 'rows',
  evaluate: evaluateRounds,
  traceFor: (ctx) => roundsTrace(ctx, ctx.records.precompiles[TABLE]),
};

export { roundConstantsComponent as keccakRoundConstantsComponent };

/**
 * The Keccak precompile: add it to a zkVM's plugins and guests may call keccakf.
 *
 * @example
 * createZkvm({ plugins: [...rv32im(), keccak()] })
 */
export function keccak(): Plugin {
  return zkvmPlugin(NAME, VERSION, {
    components: [keccakCallComponent, keccakRoundsComponent, roundConstantsComponent],
    preprocessed: roundConstantsPreprocessed,
    extensions: [{ kind: SYSCALL_EXTENSION, value: keccakSyscall }],
  });
}
