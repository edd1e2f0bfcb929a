import {
  bindRamAccess,
  isWritableWord,
  logRowsFor,
  readZkvmStatement,
  writeWord,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import type { ComponentTrace, PreprocessedColumn } from '@nexus/kernel';
import { layout, PUBLIC_INPUT, tableLayout } from './columns.js';

export function ioTrace(ctx: ZkvmTraceContext): ComponentTrace | null {
  const io = ctx.records.io;
  const n = io.length;
  if (n === 0) return null;
  const t = layout.trace(logRowsFor(n));
  const R = io.columns;
  // bytes left of each row: the rows of one syscall are contiguous, in address order
  const remaining = new Uint32Array(n);
  const ec = ctx.records.families.ecall.columns;
  for (let r = 0; r < ctx.records.families.ecall.length; r++) {
    const start = ec.ioStart[r]!;
    const len = ec.ioLen[r]!;
    for (let j = 0; j < len; j++) remaining[start + j] = len - j;
  }
  const c = t.cols;
  const { sel, clk, addr: addrC, pos, remaining: left, byte, offset: f, widx, next } = c;
  const tape = [c.isPrivate, c.isOutput, c.isLog, c.isPublic]; // by fd
  const { lookups, program } = ctx;
  const ram = bindRamAccess(c, lookups);
  for (let i = 0; i < n; i++) {
    const fd = R.fd[i]!;
    const addr = R.addr[i]! >>> 0;
    sel[i] = 1;
    clk[i] = R.clk[i]!;
    tape[fd]![i] = 1;
    addrC[i] = addr;
    pos[i] = R.offset[i]!;
    left[i] = remaining[i]!;
    byte[i] = R.byte[i]!;
    f[addr & 3]![i] = 1;
    widx[i] = addr >>> 2;
    writeWord(next, i, R.memVal[i]!);
    ram(i, R.memPrev[i]!, R.memPrevTs[i]!, R.ts[i]!, isWritableWord(program, addr >>> 2));
    // the AIR range-checks every byte read into memory (evalBytes with is_private + is_public)
    if (fd === 0 || fd === 3) lookups.bytePair(R.byte[i]!, 0);
    if (fd === 3) lookups.publicInput[R.offset[i]!]!++;
  }
  return t.finish();
}

/** The public input table's log size: a row per byte and one for the end marker, padded. */
export function publicInputLogRows(inputLength: number): number {
  return logRowsFor(inputLength + 1);
}

export function publicInputTrace(ctx: ZkvmTraceContext): ComponentTrace {
  const logSize = publicInputLogRows(ctx.publicInput.length);
  const t = tableLayout.trace(logSize);
  t.cols.multiplicity.set(ctx.lookups.publicInput);
  return t.finish();
}

function column(id: string, value: (input: Uint8Array, r: number) => number): PreprocessedColumn {
  return {
    id,
    generate(statement, logSize) {
      const input = readZkvmStatement(statement).publicInput;
      if (input.length + 1 > 2 ** logSize) {
        throw new RangeError(
          `the public input (${input.length} bytes) does not fit a table of 2^${logSize} rows`,
        );
      }
      const out = new Uint32Array(2 ** logSize);
      for (let r = 0; r <= input.length; r++) out[r] = value(input, r);
      return out;
    },
  };
}

export const preprocessed: PreprocessedColumn[] = [
  column(PUBLIC_INPUT.offset, (_, r) => r),
  column(PUBLIC_INPUT.byte, (input, r) => (r < input.length ? input[r]! : 256)),
  column(PUBLIC_INPUT.valid, () => 1),
];
