import { alu } from './alu.js';
import type { CodeRom } from './code.js';
import { Op, readsRs2, writesRd } from './isa.js';

/**
 * Records columns that follow from a row's stored columns and the decoded program: pass 2 does
 * not write them, and a family's `columns` object computes each one the first time it is read
 * (then keeps it). Pass 2's cost is its scattered stores into fresh memory (one per column per
 * row, each table column-major); these columns are never read to prove a run (the AIR trace
 * generators never read word, rdVal, memAddr or memVal, and nextPc only of branches, which
 * store it), so a proof never builds them. The values are exactly what pass 2 wrote before (tests
 * compare them with the ELF's decoded words and replay the records' memory argument).
 *
 * The instruction fields (op, imm, rs1, rs2, rd) follow from pc too, but every AIR trace
 * generator reads them: built later they cost a proof more than their stores in pass 2
 * (measured on long.elf, bench:pass2: pass 2 plus the columns the AIR reads took 0.91 s of CPU
 * with them derived, 0.75 s with them written), so pass 2 writes them.
 *
 * - word: the instruction word at pc;
 * - nextPc: pc + 4, the jal's target, or the jalr's (rs1Val + imm with bit 0 cleared);
 *   families with a branch store it;
 * - memAddr: the word of rs1Val + imm (loads and stores, else 0);
 * - memVal: the word after the access (a load's is memPrev; a store merges rs2Val into it);
 * - rdVal: the value written to rd (0 for rd = x0 and for instructions without rd).
 */
export const DERIVED_COLUMNS: ReadonlySet<string> = new Set([
  'word',
  'nextPc',
  'rdVal',
  'memAddr',
  'memVal',
]);

const isBranch = (op: number) => op >= Op.BEQ && op <= Op.BGEU;

/**
 * The columns pass 2 writes for a family with these columns and ops (global op ids): all of
 * them for the ecall family (its op is the syscall, its values come from the syscall), else
 * those not derived, and nextPc where a branch makes it data (the branch AIR reads it).
 */
export function storedColumns(columns: readonly string[], ops: readonly number[]): string[] {
  if (ops.includes(Op.ECALL)) return [...columns];
  const branches = ops.some(isBranch);
  return columns.filter((c) => !DERIVED_COLUMNS.has(c) || (c === 'nextPc' && branches));
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
): Record<string, Uint32Array> {
  const out: Record<string, Uint32Array> = {};
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
        const col = derive(name, stored, length, rom);
        Object.defineProperty(out, name, { value: col, enumerable: true, writable: false });
        return col;
      },
    });
  }
  return out;
}

/** nextPc - pc per ROM index: the jal's offset, else 4 (jalr rows are set apart). */
function nextPcOffsets(rom: CodeRom): Uint32Array {
  const lut = new Uint32Array(rom.length);
  for (let i = 0; i < rom.length; i++) lut[i] = rom.op[i] === Op.JAL ? rom.imm[i]! : 4;
  return lut;
}

/** out[r] = lut[ROM index of pc[r]] (+ pc[r] with `addPc`): one tight loop. */
function gather(pc: Uint32Array, length: number, base: number, lut: Uint32Array, addPc: boolean) {
  const out = new Uint32Array(length);
  if (addPc) for (let r = 0; r < length; r++) out[r] = pc[r]! + lut[(pc[r]! - base) >>> 2]!;
  else for (let r = 0; r < length; r++) out[r] = lut[(pc[r]! - base) >>> 2]!;
  return out;
}

/** Computes derived column `name` for rows 0..length-1. */
function derive(
  name: string,
  S: Readonly<Record<string, Uint32Array>>,
  length: number,
  rom: CodeRom,
): Uint32Array {
  const pc = S.pc!;
  const base = rom.base;
  if (name === 'word') return gather(pc, length, base, rom.word, false);
  if (name === 'nextPc') {
    const out = gather(pc, length, base, nextPcOffsets(rom), true);
    // A jalr's target is data: its row's rs1Val + imm (a family without rs1 has no jalr).
    const a = S.rs1Val;
    if (a !== undefined) {
      for (let r = 0; r < length; r++) {
        const i = (pc[r]! - base) >>> 2;
        if (rom.op[i] === Op.JALR) out[r] = (a[r]! + rom.imm[i]!) & -2;
      }
    }
    return out;
  }
  const out = new Uint32Array(length);
  const ops = rom.op;
  const a = S.rs1Val;
  const b = S.rs2Val;
  const prev = S.memPrev;
  for (let r = 0; r < length; r++) {
    const i = (pc[r]! - base) >>> 2;
    const op = ops[i]!;
    const imm = rom.imm[i]!;
    const mem = op >= Op.LB && op <= Op.SW;
    if (name === 'memAddr') {
      if (mem) out[r] = (a![r]! + imm) & ~3;
    } else if (name === 'memVal') {
      if (!mem) continue;
      const w = prev![r]!;
      if (op <= Op.LHU) out[r] = w;
      else {
        const v = b![r]!;
        const s = ((a![r]! + imm) & 3) << 3;
        if (op === Op.SW) out[r] = v;
        else if (op === Op.SH) out[r] = (w & ~(0xffff << s)) | ((v & 0xffff) << s);
        else out[r] = (w & ~(0xff << s)) | ((v & 0xff) << s);
      }
    } else if (writesRd(op) && rom.rd[i] !== 0) {
      out[r] = rdValue(op, pc[r]!, imm, a?.[r] ?? 0, b?.[r] ?? 0, prev?.[r] ?? 0);
    }
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
