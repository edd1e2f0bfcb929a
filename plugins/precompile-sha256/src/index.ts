/**
 * @nexus/precompile-sha256: the SHA-256 compression function as a zkVM precompile (syscall
 * 0x1001, riscv.md section 6). One package holds the whole extension: the VM's semantics of the
 * call, the components that prove it (`sha256`, `sha256-rounds`, `sha256-schedule`), and the
 * guest headers (`guest/`).
 */
import { type ZkvmComponent, zkvmPlugin } from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { SYSCALL_EXTENSION, type SyscallExtension } from '@nexus/vm';
import {
  layout as callLayout,
  callTrace,
  evaluate as evaluateCall,
  SHA256_COMPRESS,
} from './call.js';
import { sha256CompressWords } from './compress.js';
import { ROWS_PER_CALL } from './relations.js';
import { evaluate as evaluateRounds } from './rounds-air.js';
import { layout as roundsLayout } from './rounds-columns.js';
import { roundsTrace } from './rounds-trace.js';
import { scheduleComponent, schedulePreprocessed } from './schedule.js';
import { NAME, VERSION } from './version.js';

export { bswap, compressTrace, IV, K, sha256CompressWords } from './compress.js';
export { SHA256_CALL, SHA256_SCHEDULE } from './relations.js';
export { NAME, SHA256_COMPRESS, VERSION };

/** The records table (and component) of the calls. */
const TABLE = 'sha256';

/**
 * The VM side: sha256_compress(a0 = state, 8 native words, updated in place; a1 = the 64-byte
 * block in message byte order). The block is read first, then the state rewritten.
 */
export const sha256Syscall: SyscallExtension = {
  number: SHA256_COMPRESS,
  name: 'sha256_compress',
  plugin: NAME,
  table: TABLE,
  regions: [
    { arg: 1, words: 16, writes: false },
    { arg: 0, words: 8, writes: true },
  ],
  compute: sha256CompressWords,
};

export const sha256CallComponent: ZkvmComponent = {
  // The tables' counts come from the bus entries (buildTraces), not from the fillers.
  lookups: 'from-entries',
  name: TABLE,
  version: VERSION,
  columns: callLayout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate: evaluateCall,
  traceFor: (ctx) => callTrace(ctx, ctx.records.precompiles[TABLE]),
};

export const sha256RoundsComponent: ZkvmComponent = {
  // The tables' counts come from the bus entries (buildTraces), not from the fillers.
  lookups: 'from-entries',
  name: 'sha256-rounds',
  rowsPerRecord: { table: TABLE, rows: ROWS_PER_CALL },
  version: VERSION,
  columns: roundsLayout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate: evaluateRounds,
  traceFor: (ctx) => roundsTrace(ctx, ctx.records.precompiles[TABLE]),
};

export { scheduleComponent as sha256ScheduleComponent };

/**
 * The SHA-256 precompile: add it to a zkVM's plugins and guests may call sha256_compress.
 *
 * @example
 * createZkvm({ plugins: [...rv32im(), sha256()] })
 */
export function sha256(): Plugin {
  return zkvmPlugin(NAME, VERSION, {
    components: [sha256CallComponent, sha256RoundsComponent, scheduleComponent],
    preprocessed: schedulePreprocessed,
    extensions: [{ kind: SYSCALL_EXTENSION, value: sha256Syscall }],
  });
}
