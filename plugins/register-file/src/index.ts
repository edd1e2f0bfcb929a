import {
  col,
  cols,
  defineLayout,
  REG,
  REGISTER_COUNT,
  readZkvmStatement,
  tapeHistory,
  type ZkvmComponent,
  zkvmPlugin,
} from '@nexus/air-common';
import { type EvalContext, fixedSize, type Plugin, type PreprocessedColumn } from '@nexus/kernel';
import pkg from '../package.json' with { type: 'json' };

/** The package's name and version, read from its package.json (never kept by hand). */
export const NAME: string = pkg.name;
export const VERSION: string = pkg.version;
export const LOG_ROWS = 6;

/** Each register's final value (bytes) and the timestamp of its last access. */
const layout = defineLayout({ final: cols('final', 4), finalTs: col('final_ts') });
const REG_ID = 'regfile.reg';
const VALID = 'regfile.valid';
const INIT = [0, 1, 2, 3].map((k) => `regfile.init${k}`);

/**
 * The ends of the register file's memory argument: every register (x0..x31 and the four tape
 * positions) is put on the bus with its initial value at timestamp 0, and taken off with its
 * final value and timestamp. Initial values are preprocessed: all zero except sp, which starts
 * where the VM's memory map says. Final values are whatever the last access left: the bus
 * balance forces them.
 */
function evaluate(e: EvalContext): void {
  const reg = e.preprocessed(REG_ID);
  const valid = e.preprocessed(VALID);
  e.yield(REG, [reg, ...INIT.map((id) => e.preprocessed(id)), 0], valid);
  const c = layout.exprs(e);
  e.use(REG, [reg, ...c.final, c.finalTs], valid);
}

const fixed = (id: string, f: (r: number, sp: number) => number): PreprocessedColumn => ({
  id,
  generate(statement, logSize) {
    if (logSize !== LOG_ROWS)
      throw new RangeError(`the register file has 2^${LOG_ROWS} rows, not 2^${logSize}`);
    const sp = readZkvmStatement(statement).decoded.initialSp;
    return Uint32Array.from({ length: 2 ** LOG_ROWS }, (_, r) =>
      r < REGISTER_COUNT ? f(r, sp) : 0,
    );
  },
});

export const registerFileComponent: ZkvmComponent = {
  name: 'register-file',
  version: VERSION,
  columns: layout.names,
  size: fixedSize(LOG_ROWS),
  // The run's register boundary: proven once, in the last segment of a segmented proof.
  scope: 'once',
  tracePhase: 'rows',
  evaluate,
  traceFor(ctx) {
    // A segmented run's register boundary (the initial and final tokens) is proven once, in
    // the last segment, which alone knows the final values; the other segments' accesses
    // balance against it across segments (scope 'once': the verifier holds it to that segment).
    if (ctx.records.segment !== undefined && !ctx.records.segment.last) return null;
    const t = layout.trace(LOG_ROWS);
    const { final, finalTs } = t.cols;
    const { value, ts } = ctx.records.registersFinal;
    const tapes = tapeHistory(ctx.records);
    for (let r = 0; r < REGISTER_COUNT; r++) {
      if (r < 32) {
        const v = value[r]!;
        for (let k = 0; k < 4; k++) final[k]![r] = (v >>> (8 * k)) & 0xff;
        finalTs[r] = ts[r]!;
      } else {
        // a tape register holds (position, ended, 0, 0)
        final[0][r] = tapes.finalValue[r - 32]!;
        final[1][r] = tapes.finalEnded[r - 32]!;
        finalTs[r] = tapes.finalTs[r - 32]!;
      }
    }
    return t.finish();
  },
};

/** The register file's initial and final tables (x0..x31 and the tape-position registers). */
export function registerFile(): Plugin {
  return zkvmPlugin(NAME, VERSION, {
    components: [registerFileComponent],
    preprocessed: [
      fixed(REG_ID, (r) => r),
      fixed(VALID, () => 1),
      ...INIT.map((id, k) => fixed(id, (r, sp) => (r === 2 ? (sp >>> (8 * k)) & 0xff : 0))),
    ],
  });
}
