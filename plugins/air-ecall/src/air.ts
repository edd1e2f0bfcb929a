import {
  type AccessExprs,
  BITWISE,
  BITWISE_PAIR,
  cpuExprs,
  EXIT,
  evalByteSub,
  evalBytes,
  evalCpu,
  evalRegisterAccess,
  IO_CURSOR,
  PUBLIC_INPUT,
  REG,
  TAPE_TS_SLOT,
  TS_RD,
  TS_RS1,
  wordOf,
} from '@nexus/air-common';
import type { EvalContext, Expr } from '@nexus/kernel';
import { layout } from './columns.js';

/** End-of-tape marker: the public input table yields (length, 256) after the last byte. */
export const END_OF_TAPE = 256;

/**
 * ECALL: the guest ABI of riscv.md section 2.
 *
 * - a7 selects the syscall: its bytes must be exactly (93 | 63 | 64, 0, 0, 0), so an unknown
 *   syscall has no provable row.
 * - exit(a0): yields a0's bytes on the `exit` bus, which the statement takes once (the exit
 *   code is proven), and yields no successor on the exec bus: the chain ends here.
 * - read(fd, buf, len) / write(fd, buf, len): fd must be 0/3 (read) or 1/2 (write); n bytes
 *   move between the tape and memory by io rows, started and finished through the io cursor
 *   (clk, fd, address, tape position, bytes left). n <= len (len - n has no final borrow);
 *   a write moves exactly len; a read that moves fewer (short) exhausts its tape: for the
 *   public tape the end marker sits exactly at the new position, and every tape records
 *   `ended`, after which reads move nothing. a0 becomes n (written at 4·clk + 2).
 * - The tape register (position, ended) continues where the previous call left it.
 * - Buffers lie below 0x7f000000 (byte 3 of a1 at most 126) and so does n (byte 3 of n at
 *   most 126), so their field values are their integer values. With n only below 2^31,
 *   n = 0x7fffffff was p, 0 in the field: the io cursor's start and end tuples coincided, no
 *   io row moved a byte, and a0 := 0x7fffffff (an attacker's review). An honest n never
 *   reaches 0x7f000000: its bytes lie in mapped memory. The buffer bound is the zkVM's memory
 *   ceiling (MAX_MEMORY_END in @nexus/air-common, where the io rows' side of the argument is
 *   written): a bound of 2^31 let a1 = 0x7fffffff, which is p and so 0 in the field, start
 *   the io rows at address 0 where the VM faults (issue 16). Nothing at or above 0x7f000000 is
 *   mapped, so the tighter bound costs nothing the VM would run.
 */
export function evaluate(e: EvalContext): void {
  const cols = layout.exprs(e);
  const c = cpuExprs(e, cols.cpu);
  const isExit = cols.isExit;
  const isRead = cols.isRead;
  const isWrite = cols.isWrite;
  const active = isRead.add(isWrite);
  const clk4 = c.clk.mul(4);
  const r7 = cols.a7;
  const r0 = cols.a0;
  const r1 = cols.a1;
  const r2 = cols.a2;
  const isPublic = cols.isPublic;
  const isLog = cols.isLog;
  const n = cols.n;
  const d = cols.d;
  const borrow = cols.borrow;
  const short = cols.short;
  const pos = cols.pos;
  const ended = cols.ended;
  const newEnded = cols.newEnded;
  const one = e.constant(1);
  const bool = (x: Expr, label: string) => e.constraint(x.mul(x.sub(1)), `${label} is boolean`);

  evalCpu(e, c, c.pc.add(4), active);
  for (const [f, l] of [
    [isExit, 'is_exit'],
    [isRead, 'is_read'],
    [isWrite, 'is_write'],
    [isPublic, 'is_public'],
    [isLog, 'is_log'],
    [short, 'short'],
  ] as const) {
    bool(f, l);
  }
  e.constraint(isExit.add(active).sub(c.sel), 'one syscall per ecall row');

  // The argument registers, read at 4·clk.
  const reads: [number, AccessExprs, string][] = [
    [17, r7, 'a7'],
    [10, r0, 'a0'],
    [11, r1, 'a1'],
    [12, r2, 'a2'],
  ];
  for (const [reg, r, label] of reads) {
    evalRegisterAccess(
      e,
      {
        reg: e.constant(reg),
        prev: r.value,
        next: r.value,
        ts: clk4.add(TS_RS1),
        prevTs: r.prevTs,
        lo: r.lo,
        hi: r.hi,
        multiplicity: c.sel,
      },
      label,
    );
  }
  e.constraint(
    r7.value[0]!.sub(isExit.mul(93).add(isRead.mul(63)).add(isWrite.mul(64))),
    'a7 names exit, read or write',
  );
  for (let k = 1; k < 4; k++) e.constraint(r7.value[k]!, `a7 byte ${k} is 0`);

  // exit: the code is proven; the chain ends (evalCpu yields no successor for it).
  e.yield(EXIT, r0.value, isExit);

  // fd: read 0 or 3, write 1 or 2.
  e.constraint(isRead.mul(r0.value[0]!.sub(isPublic.mul(3))), 'read: fd is 0 or 3');
  e.constraint(isWrite.mul(r0.value[0]!.sub(1).sub(isLog)), 'write: fd is 1 or 2');
  e.constraint(isPublic.mul(one.sub(isRead)), 'is_public only on reads');
  e.constraint(isLog.mul(one.sub(isWrite)), 'is_log only on writes');
  for (let k = 1; k < 4; k++) e.constraint(active.mul(r0.value[k]!), `fd byte ${k} is 0`);

  // n and len - n, bytewise: len_k - n_k - borrow_(k-1) = d_k - 256·borrow_k.
  evalBytes(e, n, active);
  evalBytes(e, d, active);
  // 2·(x + 1) is a byte only for x <= 126: n < 0x7f000000 and buf < 0x7f000000 (see above).
  e.use(BITWISE, [BITWISE_PAIR, n[3]!.add(1).mul(2), 0, 0], active);
  // 2·(a1_3 + 1) is a byte only for a1_3 <= 126: buf < 0x7f000000 (a1_3 is a register byte).
  e.use(BITWISE, [BITWISE_PAIR, r1.value[3]!.add(1).mul(2), 0, 0], active);
  evalByteSub(e, r2.value, n, d, borrow, { of: 'len - n', carry: 'borrow' }, active);
  e.constraint(borrow[3]!, 'n <= len');
  const dsum = d[0]!.add(d[1]!).add(d[2]!).add(d[3]!);
  e.constraint(one.sub(short).mul(dsum), 'not short: n = len');
  e.constraint(short.mul(dsum.mul(cols.shortInv).sub(1)), 'short: n < len');
  e.constraint(isWrite.mul(short), 'a write moves all len bytes');
  const nField = wordOf(n);

  // a0 := n, right after the read of a0 at 4·clk.
  e.use(REG, [10, ...r0.value, clk4.add(TS_RS1)], active);
  e.yield(REG, [10, ...n, clk4.add(TS_RD)], active);

  // The tape register: (position, ended) -> (position + n, ended or short).
  const tapeReg = cols.tapeReg;
  e.constraint(
    tapeReg.sub(isRead.mul(isPublic.add(32))).sub(isWrite.mul(isLog.add(34))),
    'tape register of the fd',
  );
  e.constraint(ended.mul(nField), 'an ended tape moves nothing');
  e.constraint(newEnded.sub(ended).sub(short).add(ended.mul(short)), 'ended := ended or short');
  const zero = e.constant(0);
  evalRegisterAccess(
    e,
    {
      reg: tapeReg,
      prev: [pos, ended, zero, zero],
      next: [pos.add(nField), newEnded, zero, zero],
      ts: clk4.add(TAPE_TS_SLOT),
      prevTs: cols.tapePrevTs,
      lo: cols.tapeLo,
      hi: cols.tapeHi,
      multiplicity: active,
    },
    'tape register',
  );

  // A short public read ends exactly at the end of the public input.
  const publicShort = cols.publicShort;
  e.constraint(
    publicShort.sub(isRead.mul(isPublic).mul(short)),
    'public_short = read·public·short',
  );
  e.use(PUBLIC_INPUT, [pos.add(nField), END_OF_TAPE], publicShort);

  // The io rows move the bytes: start the cursor, take it back when n bytes are done.
  const fd = r0.value[0]!;
  const buf = wordOf(r1.value);
  e.yield(IO_CURSOR, [c.clk, fd, buf, pos, nField], active);
  e.use(IO_CURSOR, [c.clk, fd, buf.add(nField), pos.add(nField), 0], active);
}
