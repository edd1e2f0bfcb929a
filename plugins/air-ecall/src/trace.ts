import {
  type AccessFiller,
  bindAccess,
  ProgramError,
  startFamilyTrace,
  TAPE_TS_SLOT,
  TS_RS1,
  tapeHistory,
  type ZkvmTraceContext,
} from '@nexus/air-common';
import { inv } from '@nexus/field';
import type { ComponentTrace } from '@nexus/kernel';
import { Op } from '@nexus/vm';
import { layout } from './columns.js';

export function traceFor(ctx: ZkvmTraceContext): ComponentTrace | null {
  const t = startFamilyTrace(ctx, 'ecall', layout);
  if (t === null) return null;
  const { n, R, cpuRow } = t;
  const cols = t.cols;
  const tapes = tapeHistory(ctx.records);
  const { lookups } = ctx;
  const [a7Read, a0Read, a1Read, a2Read] = [cols.a7, cols.a0, cols.a1, cols.a2].map((c) =>
    bindAccess(c, lookups),
  ) as [AccessFiller, AccessFiller, AccessFiller, AccessFiller];
  const { n: nC, d: dC, borrow: bC, isPublic, isLog, short: shortC, shortInv, tapeReg } = cols;
  const { pos: posC, ended, newEnded, tapePrevTs, tapeLo, tapeHi, publicShort } = cols;
  const syscall = [cols.isExit, cols.isRead, cols.isWrite];
  for (let i = 0; i < n; i++) {
    const clk = R.clk[i]!;
    cpuRow(i, Op.ECALL, 0);
    const local = R.op[i]!;
    syscall[local]![i] = 1;
    const ts = 4 * clk + TS_RS1;
    a7Read(i, R.a7[i]!, R.a7Ts[i]!, ts);
    a0Read(i, R.a0[i]!, R.a0Ts[i]!, ts);
    a1Read(i, R.a1[i]!, R.a1Ts[i]!, ts);
    a2Read(i, R.a2[i]!, R.a2Ts[i]!, ts);
    if (local === 0) continue;
    const fd = R.a0[i]!;
    if (local === 1) isPublic[i] = fd === 3 ? 1 : 0;
    else isLog[i] = fd === 2 ? 1 : 0;
    const moved = R.ioLen[i]!;
    const len = R.a2[i]! >>> 0;
    let borrow = 0;
    let dsum = 0;
    for (let k = 0; k < 4; k++) {
      const nk = (moved >>> (8 * k)) & 0xff;
      let dk = ((len >>> (8 * k)) & 0xff) - nk - borrow;
      borrow = dk < 0 ? 1 : 0;
      if (dk < 0) dk += 256;
      nC[k]![i] = nk;
      dC[k]![i] = dk;
      bC[k]![i] = borrow;
      dsum += dk;
    }
    lookups.bytePair(nC[0]![i]!, nC[1]![i]!);
    lookups.bytePair(nC[2]![i]!, nC[3]![i]!);
    lookups.bytePair(dC[0]![i]!, dC[1]![i]!);
    lookups.bytePair(dC[2]![i]!, dC[3]![i]!);
    lookups.bytePair(2 * (nC[3]![i]! + 1), 0);
    const buf = R.a1[i]! >>> 0;
    // The AIR takes only buffers below the memory ceiling; the VM runs a call with a buffer
    // above it when it moves no byte (len 0, or an ended tape): that run cannot be proven.
    if (buf >= 0x7f000000) {
      throw new ProgramError(
        `the ecall at pc 0x${R.pc[i]!.toString(16)} passes the buffer 0x${buf.toString(16)}, at or above 0x7f000000: the zkVM proves no access there (even of 0 bytes)`,
      );
    }
    lookups.bytePair(2 * ((buf >>> 24) + 1), 0);
    const short = dsum === 0 ? 0 : 1;
    shortC[i] = short;
    if (short) shortInv[i] = inv(dsum);
    const reg = tapes.register[i]!;
    tapeReg[i] = reg;
    const pos = tapes.prevValue[i]!;
    posC[i] = pos;
    ended[i] = tapes.prevEnded[i]!;
    newEnded[i] = tapes.prevEnded[i]! | short;
    tapePrevTs[i] = tapes.prevTs[i]!;
    lookups.timestampInto(4 * clk + TAPE_TS_SLOT - tapes.prevTs[i]! - 1, tapeLo!, tapeHi!, i);
    if (local === 1 && fd === 3 && short) {
      publicShort[i] = 1;
      lookups.publicInput[pos + moved]!++;
    }
  }
  return t.finish();
}
