import { alu } from './alu.js';
import type { CodeRom } from './code.js';
import { Op, readsRs1, readsRs2, writesRd } from './isa.js';

/**
 * Records columns that follow from a row's stored columns and the decoded program: pass 2 does
 * not write them, and a family's `columns` object computes each one the first time it is read
 * (then keeps it). Pass 2's cost is its scattered stores into fresh memory (one per column per
 * row, each table column-major): a column derived later is one sequential loop over the rows,
 * run only if some consumer reads it (the AIR trace generators never read word, rdVal, memAddr
 * or memVal). The values are exactly what pass 2 wrote before (tests compare every column with
 * the interpreter's, and the pinned proofs are unchanged).
 *
 * - word, op, imm, rs1, rs2, rd: the instruction at pc (op: its index in the family's ops;
 *   register fields 0 where the instruction has no such operand, imm 0 for fence);
 * - nextPc: pc + 4, or the jal's target (families with a branch or jalr store it);
 * - memAddr: the word of rs1Val + imm (loads and stores, else 0);
 * - memVal: the word after the access (a load's is memPrev; a store merges rs2Val into it);
 * - rdVal: the value written to rd (0 for rd = x0 and for instructions without rd).
 */
export const DERIVED_COLUMNS: ReadonlySet<string> = new Set([
  'word',
  'op',
  'imm',
  'rs1',
  'rs2',
  'rd',
  'nextPc',
  'rdVal',
  'memAddr',
  'memVal',
]);

const isControl = (op: number) => (op >= Op.BEQ && op <= Op.BGEU) || op === Op.JALR;

/**
 * The columns pass 2 writes for a family with these columns and ops (global op ids): all of
 * them for the ecall family (its op is the syscall, its values come from the syscall), else
 * those not derived, and nextPc where a branch or jalr makes it data.
 */
export function storedColumns(columns: readonly string[], ops: readonly number[]): string[] {
  if (ops.includes(Op.ECALL)) return [...columns];
  const control = ops.some(isControl);
  return columns.filter((c) => !DERIVED_COLUMNS.has(c) || (c === 'nextPc' && control));
}

/**
 * The `columns` object of a family's records: the stored columns as they are, the derived ones
 * (named in `names`, absent from `stored`) as properties computed on first read. `stored` must
 * stay unchanged until then (a segment's records are read before the next segment reuses its
 * buffers: recordSegments' `reuseBuffers`).
 */
export function familyColumnViews(
  names: readonly string[],
  stored: Readonly<Record<string, Uint32Array>>,
  length: number,
  rom: CodeRom,
  localOpOf: Int8Array,
): Record<string, Uint32Array> {
  const out: Record<string, Uint32Array> = {};
  let index: Int32Array | undefined;
  // ROM index of every row's instruction, shared by the derived columns.
  const rows = () => {
    if (index === undefined) {
      const pc = stored.pc!;
      index = new Int32Array(length);
      for (let r = 0; r < length; r++) index[r] = ((pc[r]! - rom.base) >>> 0) >>> 2;
    }
    return index;
  };
  for (const name of names) {
    const own = stored[name];
    if (own !== undefined) {
      out[name] = own;
      continue;
    }
    if (!DERIVED_COLUMNS.has(name))
      throw new Error(`records column ${name} is neither stored nor derived`);
    Object.defineProperty(out, name, {
      enumerable: true,
      configurable: true,
      get() {
        const col = derive(name, stored, length, rows(), rom, localOpOf);
        Object.defineProperty(out, name, { value: col, enumerable: true, writable: false });
        return col;
      },
    });
  }
  return out;
}

/** Computes derived column `name` for rows 0..length-1 (wi: their ROM indices). */
function derive(
  name: string,
  S: Readonly<Record<string, Uint32Array>>,
  length: number,
  wi: Int32Array,
  rom: CodeRom,
  localOpOf: Int8Array,
): Uint32Array {
  const out = new Uint32Array(length);
  const ops = rom.op;
  const pc = S.pc!;
  switch (name) {
    case 'word':
      for (let r = 0; r < length; r++) out[r] = rom.word[wi[r]!]!;
      break;
    case 'op':
      for (let r = 0; r < length; r++) out[r] = localOpOf[ops[wi[r]!]!]!;
      break;
    case 'imm':
      for (let r = 0; r < length; r++) {
        const i = wi[r]!;
        out[r] = ops[i] === Op.FENCE ? 0 : rom.imm[i]!;
      }
      break;
    case 'rs1':
      for (let r = 0; r < length; r++) {
        const i = wi[r]!;
        out[r] = readsRs1(ops[i]!) ? rom.rs1[i]! : 0;
      }
      break;
    case 'rs2':
      for (let r = 0; r < length; r++) {
        const i = wi[r]!;
        out[r] = readsRs2(ops[i]!) ? rom.rs2[i]! : 0;
      }
      break;
    case 'rd':
      for (let r = 0; r < length; r++) {
        const i = wi[r]!;
        out[r] = writesRd(ops[i]!) ? rom.rd[i]! : 0;
      }
      break;
    case 'nextPc':
      for (let r = 0; r < length; r++) {
        const i = wi[r]!;
        out[r] = ops[i] === Op.JAL ? pc[r]! + rom.imm[i]! : pc[r]! + 4;
      }
      break;
    case 'memAddr': {
      const a = S.rs1Val!;
      for (let r = 0; r < length; r++) {
        const i = wi[r]!;
        const op = ops[i]!;
        if (op >= Op.LB && op <= Op.SW) out[r] = (a[r]! + rom.imm[i]!) & ~3;
      }
      break;
    }
    case 'memVal': {
      const a = S.rs1Val!;
      const b = S.rs2Val;
      const prev = S.memPrev!;
      for (let r = 0; r < length; r++) {
        const i = wi[r]!;
        const op = ops[i]!;
        const w = prev[r]!;
        if (op >= Op.LB && op <= Op.LHU) out[r] = w;
        else if (op >= Op.SB && op <= Op.SW) {
          const v = b![r]!;
          const s = ((a[r]! + rom.imm[i]!) & 3) << 3;
          if (op === Op.SW) out[r] = v;
          else if (op === Op.SH) out[r] = (w & ~(0xffff << s)) | ((v & 0xffff) << s);
          else out[r] = (w & ~(0xff << s)) | ((v & 0xff) << s);
        }
      }
      break;
    }
    case 'rdVal': {
      const a = S.rs1Val;
      const b = S.rs2Val;
      const prev = S.memPrev;
      for (let r = 0; r < length; r++) {
        const i = wi[r]!;
        const op = ops[i]!;
        if (!writesRd(op) || rom.rd[i] === 0) continue;
        const imm = rom.imm[i]!;
        out[r] = rdValue(op, pc[r]!, imm, a?.[r] ?? 0, b?.[r] ?? 0, prev?.[r] ?? 0);
      }
      break;
    }
    default:
      throw new Error(`records column ${name} is not derived`);
  }
  return out;
}

/**
 * The value an instruction with rd writes (pass 2's semantics; alu.ts for the ALU ops), from
 * the row's pc, immediate, register reads and the loaded word.
 */
function rdValue(op: number, pc: number, imm: number, a: number, b: number, word: number): number {
  switch (op) {
    case Op.LUI:
      return imm;
    case Op.AUIPC:
      return pc + imm;
    case Op.JAL:
    case Op.JALR:
      return pc + 4;
    case Op.LW:
      return word;
    case Op.LH:
    case Op.LHU:
    case Op.LB:
    case Op.LBU: {
      const addr = (a + imm) | 0;
      if (op === Op.LH) return (word << (16 - ((addr & 2) << 3))) >> 16;
      if (op === Op.LHU) return (word >>> ((addr & 2) << 3)) & 0xffff;
      if (op === Op.LB) return (word << (24 - ((addr & 3) << 3))) >> 24;
      return (word >>> ((addr & 3) << 3)) & 0xff;
    }
    default:
      return alu(op, a | 0, readsRs2(op) ? b | 0 : imm);
  }
}
