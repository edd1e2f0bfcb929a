import {
  evalBytes,
  evalRamAccess,
  IO_CURSOR,
  OUTPUT,
  PUBLIC_INPUT as PUBLIC_INPUT_BUS,
} from '@nexus/air-common';
import type { EvalContext } from '@nexus/kernel';
import { layout, PUBLIC_INPUT, tableLayout } from './columns.js';

/**
 * One byte of a read or write syscall. The row takes the io cursor (clk, fd, address, tape
 * position, bytes left) and puts back the next one (address + 1, position + 1, left - 1), so
 * the rows of one call form a chain from the cursor the ecall row starts to the one it takes
 * back with 0 left: exactly n rows, at consecutive addresses and positions.
 *
 * - Reads (private or public input) write the byte into its RAM word (which must be writable):
 *   the addressed byte of the word becomes the tape byte, the others stay. Every byte that goes
 *   to memory is range-checked, and a public byte is also looked up in the public input table
 *   at its position. The range check is what keeps a public read from consuming the table's
 *   end marker (L, 256) as a data byte: without it, read(3, buf, L + 1) on an L-byte input
 *   could be proven to return L + 1 and to leave a 256 in RAM (issue 16, finding 1). Every
 *   other consumer of RAM bytes assumes they are bytes because each writer checks them.
 * - Writes (output or log) read the addressed byte of the word; an output byte is put on the
 *   `output` bus at its position, which the statement takes: the public output is proven.
 * - The RAM access is at timestamp 4·clk + (address mod 4), as the VM records it.
 */
export function evaluate(e: EvalContext): void {
  const c = layout.exprs(e);
  const { sel, clk, isPrivate, isPublic, isOutput, isLog, addr, pos, remaining, byte } = c;
  const { offset: f, widx, prev, next, writable } = c;
  const one = e.constant(1);

  e.constraint(sel.mul(sel.sub(1)), 'sel is boolean');
  for (const [x, l] of [
    [isPrivate, 'is_private'],
    [isPublic, 'is_public'],
    [isOutput, 'is_output'],
    [isLog, 'is_log'],
    ...f.map((x, k) => [x, `f${k}`] as const),
  ] as const) {
    e.constraint(x.mul(x.sub(1)), `${l} is boolean`);
  }
  e.constraint(isPrivate.add(isPublic).add(isOutput).add(isLog).sub(sel), 'one tape per row');
  e.constraint(f[0]!.add(f[1]!).add(f[2]!).add(f[3]!).sub(sel), 'one byte offset per row');
  const offset = f[1]!.add(f[2]!.mul(2)).add(f[3]!.mul(3));
  e.constraint(addr.sub(widx.mul(4)).sub(offset), 'address = 4·word index + offset');

  const toMemory = isPrivate.add(isPublic);
  let selected = e.constant(0);
  for (let k = 0; k < 4; k++) {
    selected = selected.add(f[k]!.mul(prev[k]!));
    // reads replace the addressed byte; writes leave the word as it was
    e.constraint(
      next[k]!.sub(prev[k]!).sub(toMemory.mul(f[k]!).mul(byte.sub(prev[k]!))),
      `word byte ${k}`,
    );
  }
  e.constraint(
    one.sub(toMemory).mul(byte.sub(selected)),
    'a written-out byte is the addressed memory byte',
  );
  e.constraint(toMemory.mul(one.sub(writable)), 'input goes to writable memory');
  // Both input tapes: the public table's rows below L hold bytes, but its end marker holds 256.
  evalBytes(e, [byte], toMemory);
  e.use(PUBLIC_INPUT_BUS, [pos, byte], isPublic);
  e.yield(OUTPUT, [pos, byte], isOutput);

  evalRamAccess(
    e,
    {
      widx,
      prev,
      next,
      writable,
      ts: clk.mul(4).add(offset),
      prevTs: c.prevTs,
      lo: c.lo,
      hi: c.hi,
      multiplicity: sel,
    },
    'ram',
  );

  const fd = isPublic.mul(3).add(isOutput).add(isLog.mul(2));
  e.use(IO_CURSOR, [clk, fd, addr, pos, remaining], sel);
  e.yield(IO_CURSOR, [clk, fd, addr.add(1), pos.add(1), remaining.sub(1)], sel);
}

/**
 * The public input table: row r < L yields (r, input[r]); row L yields (L, 256), the end
 * marker a short read must find right after its last byte. All preprocessed from the
 * statement's public input. Only the ecall's short-read lookup can take the marker: an io row
 * looks up (pos, byte) with its byte range-checked below 256.
 */
export function evaluatePublicInput(e: EvalContext): void {
  const m = tableLayout.exprs(e).multiplicity;
  e.constraint(
    e.constant(1).sub(e.preprocessed(PUBLIC_INPUT.valid)).mul(m),
    'padding rows yield nothing',
  );
  e.yield(
    PUBLIC_INPUT_BUS,
    [e.preprocessed(PUBLIC_INPUT.offset), e.preprocessed(PUBLIC_INPUT.byte)],
    m,
    {
      table: true,
    },
  );
}
