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

function field(program: ZkvmProgram, f: string, i: number): number {
  const ins = program.instructions;
  switch (f) {
    case 'pc':
      return ins.pc[i]!;
    case 'op':
      return ins.op[i]!;
    case 'rd':
      return ins.rd[i]!;
    case 'rs1':
      return ins.rs1[i]!;
    case 'rs2':
      return ins.rs2[i]!;
    case 'imm_f':
      // imm mod p: -2^31 (lui/auipc 0x80000) is -(p + 1), so a single + p is not enough
      return ((ins.imm[i]! % P) + P) % P;
    case 'rd_nz':
      return ins.rd[i] === 0 ? 0 : 1;
    default: {
      const k = Number(f.slice(3));
      return ((ins.imm[i]! >>> 0) >>> (8 * k)) & 0xff;
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
      for (let i = 0; i < n; i++) out[i] = f === null ? 1 : field(program, f, i);
      return out;
    },
  };
}

export const preprocessed: PreprocessedColumn[] = [
  ...PROGRAM_FIELDS.map((f) => column(preId(f), f)),
  column(VALID, null),
];
