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
  // The instruction fields every AIR trace generator reads come together: the first read of
  // any of them builds all of the family's (one pass over pc instead of one per column).
  const fields = names.filter((n) => FIELDS.includes(n) && stored[n] === undefined);
  const build = (name: string): Uint32Array => {
    if (!fields.includes(name)) return derive(name, stored, length, rom, localOpOf);
    const cols = instructionFields(fields, stored.pc!, length, rom, localOpOf);
    fields.forEach((f, k) => {
      Object.defineProperty(out, f, { value: cols[k], enumerable: true, writable: false });
    });
    return cols[fields.indexOf(name)]!;
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
        const col = build(name);
        Object.defineProperty(out, name, { value: col, enumerable: true, writable: false });
        return col;
      },
    });
  }
  return out;
}

/** The instruction fields the AIR's trace generators read (op, imm, register numbers). */
const FIELDS: readonly string[] = ['op', 'imm', 'rs1', 'rs2', 'rd'];

/**
 * The columns `fields` (of FIELDS) for rows 0..length-1 in one pass: per ROM index, the
 * fields packed in a table (op, rs1, rs2, rd a byte each; imm apart), then a gather by pc.
 */
function instructionFields(
  fields: readonly string[],
  pc: Uint32Array,
  length: number,
  rom: CodeRom,
  localOpOf: Int8Array,
): Uint32Array[] {
  const n = rom.length;
  const packed = new Uint32Array(n);
  const imms = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const op = rom.op[i]!;
    if (op >= 0xff) continue; // not code
    const rs1 = readsRs1(op) ? rom.rs1[i]! : 0;
    const rs2 = readsRs2(op) ? rom.rs2[i]! : 0;
    const rd = writesRd(op) ? rom.rd[i]! : 0;
    packed[i] = (localOpOf[op]! & 0xff) | (rs1 << 8) | (rs2 << 16) | (rd << 24);
    imms[i] = op === Op.FENCE ? 0 : rom.imm[i]!;
  }
  const cols = fields.map(() => new Uint32Array(length));
  const op = fields.includes('op') ? cols[fields.indexOf('op')]! : undefined;
  const imm = fields.includes('imm') ? cols[fields.indexOf('imm')]! : undefined;
  const rs1 = fields.includes('rs1') ? cols[fields.indexOf('rs1')]! : undefined;
  const rs2 = fields.includes('rs2') ? cols[fields.indexOf('rs2')]! : undefined;
  const rd = fields.includes('rd') ? cols[fields.indexOf('rd')]! : undefined;
  const base = rom.base;
  for (let r = 0; r < length; r++) {
    const i = (pc[r]! - base) >>> 2;
    const p = packed[i]!;
    if (op !== undefined) op[r] = p & 0xff;
    if (rs1 !== undefined) rs1[r] = (p >>> 8) & 0xff;
    if (rs2 !== undefined) rs2[r] = (p >>> 16) & 0xff;
    if (rd !== undefined) rd[r] = p >>> 24;
    if (imm !== undefined) imm[r] = imms[i]!;
  }
  return cols;
}

/**
 * The instruction columns as a table per ROM index (the value for the instruction there),
 * so deriving one is a gather by pc: `static` columns are the table's value, `nextPc` the
 * row's pc plus it.
 */
function instructionTable(name: string, rom: CodeRom, localOpOf: Int8Array): Uint32Array {
  const n = rom.length;
  const lut = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const op = rom.op[i]!;
    let v = 0;
    if (name === 'word') v = rom.word[i]!;
    else if (name === 'op') v = localOpOf[op]! & 0xff;
    else if (name === 'imm') v = op === Op.FENCE ? 0 : rom.imm[i]!;
    else if (name === 'rs1') v = readsRs1(op) ? rom.rs1[i]! : 0;
    else if (name === 'rs2') v = readsRs2(op) ? rom.rs2[i]! : 0;
    else if (name === 'rd') v = writesRd(op) ? rom.rd[i]! : 0;
    else v = op === Op.JAL ? rom.imm[i]! : 4; // nextPc - pc
    lut[i] = v;
  }
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
  localOpOf: Int8Array,
): Uint32Array {
  const pc = S.pc!;
  const base = rom.base;
  if (name !== 'memAddr' && name !== 'memVal' && name !== 'rdVal')
    return gather(pc, length, base, instructionTable(name, rom, localOpOf), name === 'nextPc');
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
