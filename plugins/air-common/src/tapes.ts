import {
  FD_DEBUG_LOG,
  FD_PRIVATE_INPUT,
  FD_PUBLIC_INPUT,
  FD_PUBLIC_OUTPUT,
  type Records,
} from '@nexus/vm';
import { TAPE_REGISTER } from './relations.js';

/**
 * The tape-position pseudo-registers over an execution. Each read/write syscall reads the
 * register of its tape and writes it back advanced, at ts 4·clk + 1 (a slot the ecall leaves
 * free). A tape register holds (position, ended, 0, 0): `ended` turns 1 once a read returned
 * fewer bytes than asked (the tape is exhausted; later reads return 0). The VM does not keep
 * these registers, so they are recomputed from the ecall rows, in clk order (from the state
 * the previous segments left, for a segment of a run).
 */
export interface TapeHistory {
  /** Per ecall row: the tape register touched (-1 for exit), its previous value and timestamp. */
  readonly register: Int32Array;
  readonly prevValue: Uint32Array;
  readonly prevEnded: Uint8Array;
  readonly prevTs: Uint32Array;
  /** Final value, ended flag and timestamp of the four tape registers (index register - 32). */
  readonly finalValue: Uint32Array;
  readonly finalEnded: Uint8Array;
  readonly finalTs: Uint32Array;
}

export const TAPE_TS_SLOT = 1;

export function tapeRegisterOf(fd: number): number {
  switch (fd) {
    case FD_PRIVATE_INPUT:
      return TAPE_REGISTER.privateInput;
    case FD_PUBLIC_INPUT:
      return TAPE_REGISTER.publicInput;
    case FD_PUBLIC_OUTPUT:
      return TAPE_REGISTER.publicOutput;
    case FD_DEBUG_LOG:
      return TAPE_REGISTER.debugLog;
    default:
      return -1;
  }
}

const cache = new WeakMap<Records, TapeHistory>();

export function tapeHistory(records: Records): TapeHistory {
  let h = cache.get(records);
  if (h) return h;
  const e = records.families.ecall;
  const n = e.length;
  const register = new Int32Array(n).fill(-1);
  const prevValue = new Uint32Array(n);
  const prevTs = new Uint32Array(n);
  const prevEnded = new Uint8Array(n);
  const value = new Uint32Array(4);
  const ended = new Uint8Array(4);
  const ts = new Uint32Array(4);
  // A segment starts from the tapes as earlier segments left them (the VM's SegmentInfo).
  const start = records.segment?.tapes;
  if (start !== undefined) {
    for (let fd = 0; fd < 4; fd++) {
      const k = tapeRegisterOf(fd) - 32;
      value[k] = start.position[fd]!;
      ended[k] = start.ended[fd]!;
      ts[k] = start.lastClk[fd]! === 0 ? 0 : 4 * start.lastClk[fd]! + TAPE_TS_SLOT;
    }
  }
  // Ecall rows are recorded in execution (clk) order.
  for (let r = 0; r < n; r++) {
    if (e.columns.op[r] === 0) continue; // exit
    const reg = tapeRegisterOf(e.columns.a0[r]!);
    const k = reg - 32;
    register[r] = reg;
    prevValue[r] = value[k]!;
    prevTs[r] = ts[k]!;
    prevEnded[r] = ended[k]!;
    // a read returning fewer bytes than asked exhausted its tape
    if (e.columns.op[r] === 1 && e.columns.ioLen[r]! < e.columns.a2[r]! >>> 0) ended[k] = 1;
    value[k] = (value[k]! + e.columns.ioLen[r]!) >>> 0;
    ts[k] = 4 * e.columns.clk[r]! + TAPE_TS_SLOT;
  }
  h = { register, prevValue, prevEnded, prevTs, finalValue: value, finalEnded: ended, finalTs: ts };
  cache.set(records, h);
  return h;
}
