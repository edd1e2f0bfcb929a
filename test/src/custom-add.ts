import {
  cols,
  customColumns,
  defineLayout,
  evalByteAdd,
  evalBytes,
  evalCustomRow,
  startCustomTrace,
  writeWord,
  type ZkvmComponent,
  zkvmPlugin,
} from '@nexus/air-common';
import { freeSize, type Plugin } from '@nexus/kernel';
import { customKey, INSTRUCTION_EXTENSION, type InstructionExtension } from '@nexus/vm';

/**
 * A custom instruction as a plugin writes one, for the tests: `cadd rd, rs1, rs2` (custom-0,
 * funct3 0, funct7 1) puts rs1 + rs2 mod 2^32 in rd. The VM side and the component in one
 * plugin; the instruction row comes from @nexus/air-common's custom-instruction gadget.
 */
export const CADD = { opcode: 0x0b, funct3: 0, funct7: 1 } as const;
export const CADD_KEY = customKey(CADD.opcode, CADD.funct3, CADD.funct7);
const NAME = 'test-custom-add';

/** The instruction word `cadd rd, rs1, rs2`. */
export const cadd = (rd: number, rs1: number, rs2: number): number =>
  ((CADD.funct7 << 25) |
    (rs2 << 20) |
    (rs1 << 15) |
    (CADD.funct3 << 12) |
    (rd << 7) |
    CADD.opcode) >>>
  0;

export const caddInstruction: InstructionExtension = {
  ...CADD,
  name: 'cadd',
  plugin: NAME,
  table: 'cadd',
  compute: (a, b) => (a + b) | 0,
};

/** The instruction row's columns, then the sum's bytes and the carry out of each byte. */
const layout = defineLayout({ ...customColumns(), sum: cols('sum', 4), carry: cols('carry', 4) });

export const caddComponent: ZkvmComponent = {
  name: 'cadd',
  version: '0.0.0',
  columns: layout.names,
  size: freeSize(),
  tracePhase: 'rows',
  evaluate(e) {
    const c = layout.exprs(e);
    const { sum } = c;
    const row = evalCustomRow(e, c, CADD_KEY, sum);
    evalByteAdd(e, row.a, row.b, sum, c.carry, { of: 'the sum', carry: 'carry' });
    evalBytes(e, sum, row.sel);
  },
  traceFor(ctx) {
    const t = startCustomTrace(ctx, ctx.records.precompiles.cadd, layout);
    if (t === null) return null;
    const { sum, carry } = t.cols;
    for (let i = 0; i < t.n; i++) {
      t.row(i);
      const a = t.R.rs1Val![i]!;
      const b = t.R.rs2Val![i]!;
      const s = (a + b) >>> 0;
      writeWord(sum, i, s);
      let c = 0;
      for (let k = 0; k < 4; k++) {
        c = (((a >>> (8 * k)) & 0xff) + ((b >>> (8 * k)) & 0xff) + c) >>> 8;
        carry[k]![i] = c;
      }
      ctx.lookups.bytePair(s & 0xff, (s >>> 8) & 0xff);
      ctx.lookups.bytePair((s >>> 16) & 0xff, s >>> 24);
    }
    return t.finish();
  },
};

/** The plugin: the VM's instruction and its component. */
export function customAdd(): Plugin {
  return zkvmPlugin(NAME, '0.0.0', {
    components: [caddComponent],
    extensions: [{ kind: INSTRUCTION_EXTENSION, value: caddInstruction }],
  });
}
