import {
  logRowsFor,
  readZkvmStatement,
  type ZkvmProgram,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace, PreprocessedColumn, StatementLike } from '@nexus/kernel';
import { layout, PROGRAM_FIELDS, preId, VALID } from './columns.js';

export function logRows(program: ZkvmProgram): number {
  return logRowsFor(program.instructions.pc.length);
}

export function traceFor(ctx: ZkvmTraceContext): ComponentTrace {
  const logSize = logRows(ctx.program);
  const t = layout.trace(logSize);
  t.cols.multiplicity.set(ctx.lookups.program);
  return t.finish();
}

const P = 0x7fffffff;

/**
 * Writes field `f` of the first n instructions into out. The field is chosen once per column,
 * not per row: these loops run cold in every process that proves or verifies, over every
 * instruction of the program, twelve times.
 */
function fill(program: ZkvmProgram, f: string, n: number, out: Uint32Array): void {
  const ins = program.instructions;
  switch (f) {
    case 'pc':
      out.set(ins.pc.subarray(0, n));
      return;
    case 'op':
      out.set(ins.op.subarray(0, n));
      return;
    case 'rd':
      out.set(ins.rd.subarray(0, n));
      return;
    case 'rs1':
      out.set(ins.rs1.subarray(0, n));
      return;
    case 'rs2':
      out.set(ins.rs2.subarray(0, n));
      return;
    case 'imm_f':
      // imm mod p: -2^31 (lui/auipc 0x80000) is -(p + 1), so a single + p is not enough
      for (let i = 0; i < n; i++) out[i] = ((ins.imm[i]! % P) + P) % P;
      return;
    case 'rd_nz':
      for (let i = 0; i < n; i++) out[i] = ins.rd[i] === 0 ? 0 : 1;
      return;
    default: {
      const shift = 8 * Number(f.slice(3));
      for (let i = 0; i < n; i++) out[i] = ((ins.imm[i]! >>> 0) >>> shift) & 0xff;
    }
  }
}

function column(id: string, f: string | null): PreprocessedColumn {
  return {
    id,
    generate(statement: StatementLike, logSize: number) {
      const program = readZkvmStatement(statement).decoded;
      const n = program.instructions.pc.length;
      if (n > 2 ** logSize) {
        throw new RangeError(
          `the program has ${n} instructions, more than a table of 2^${logSize} rows holds`,
        );
      }
      const out = new Uint32Array(2 ** logSize);
      if (f === null) out.fill(1, 0, n);
      else fill(program, f, n, out);
      return out;
    },
  };
}

export const preprocessed: PreprocessedColumn[] = [
  ...PROGRAM_FIELDS.map((f) => column(preId(f), f)),
  column(VALID, null),
];
