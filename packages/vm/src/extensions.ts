import { customKey } from './decode.js';
import {
  hex32,
  LayoutError,
  MisalignedAccessError,
  PrecompileArgumentError,
  VmConfigError,
} from './errors.js';
import type { MemoryMap } from './memory.js';

/**
 * Precompile syscalls: the machine side of a plugin that extends the VM (riscv.md section 6).
 * A precompile is an `ecall` with a7 in 0x1000..0x1FFF whose arguments a0..a5 point at
 * word-aligned memory regions. The VM learns every precompile from the assembled system (the
 * `vm.syscall` extension kind), never from a list of its own; one declaration serves pass 1,
 * pass 2 (the records its component proves) and the layout.
 *
 * A call runs in one cycle clk. Its memory is accessed through the memory argument like a load
 * or a store, with the cycle's timestamps: first every word of every read-only region at
 * 4·clk + 1, then every word of every written region at 4·clk + 3 (read, computed, written
 * back: one access per word). a0 := 0 ("done") at 4·clk + 2. Regions of one kind must not
 * overlap each other (the VM faults), and a written region may overlap a read one: it then
 * sees the values the read saw, which is what a software routine would see too.
 */
export interface SyscallExtension {
  /** a7 of the call: 0x1000..0x1FFF (third-party plugins from 0x1800). */
  readonly number: number;
  /** The call's name, for errors and disassembly (e.g. 'sha256_compress'). */
  readonly name: string;
  /** The npm package that provides it: named in errors on builds without it. */
  readonly plugin: string;
  /** The records table (and so the component) its calls go to; one per extension. */
  readonly table: string;
  /** The word regions of one call, in access order (read-only regions first, see above). */
  readonly regions: readonly PrecompileRegion[];
  /**
   * The call's semantics on the words of its regions, concatenated in region order: read the
   * inputs, overwrite the words of the written regions with the results. Pure: the same words
   * in give the same words out, in both passes.
   */
  compute(words: Uint32Array): void;
}

/** A run of `words` consecutive 32-bit words at the address held in argument register a`arg`. */
export interface PrecompileRegion {
  /** Which argument register holds the (4-byte aligned) address: 0 for a0 .. 5 for a5. */
  readonly arg: number;
  readonly words: number;
  /** Whether the call writes the region (then it must be writable memory). */
  readonly writes: boolean;
}

/** The extension kind precompile plugins register their VM side under. */
export const SYSCALL_EXTENSION = 'vm.syscall';
/** The extension kind of custom instructions. */
export const INSTRUCTION_EXTENSION = 'vm.instruction';

/**
 * A custom instruction (riscv.md section 6): an R-type instruction on the custom-0 (0x0B) or
 * custom-1 (0x2B) major opcode, told apart by funct3 and funct7 (GNU as: `.insn r 0x0B, f3, f7,
 * rd, rs1, rs2`). It reads rs1 and rs2 and writes rd, like an ALU instruction, with the same
 * timestamps (4·clk, + 1, + 2); its records row has the family columns of an R-type ALU op
 * (CUSTOM_COLUMNS), so the instruction-row gadgets of @nexus/air-common fill it. qemu raises
 * SIGILL on these opcodes: guests that use them are tested against the VM's own semantics.
 */
export interface InstructionExtension {
  readonly opcode: 0x0b | 0x2b;
  readonly funct3: number;
  readonly funct7: number;
  /** Its mnemonic (disassembly, errors). */
  readonly name: string;
  readonly plugin: string;
  /** The records table (and component) of its executions; one per instruction. */
  readonly table: string;
  /** rd from rs1 and rs2 (as int32 or uint32; the result is taken mod 2^32). Pure. */
  compute(rs1: number, rs2: number): number;
}

/** The records columns of a custom instruction (named like the families' columns). */
export const CUSTOM_COLUMNS = [
  'clk',
  'pc',
  'word',
  'rd',
  'rs1',
  'rs1Val',
  'rs1Ts',
  'rs2',
  'rs2Val',
  'rs2Ts',
  'rdPrev',
  'rdPrevTs',
  'rdVal',
] as const;

/** The custom instructions of a machine, by key (customKey). */
export type InstructionTable = ReadonlyMap<number, InstructionExtension>;

/**
 * Checks a list of custom instructions and indexes it by key.
 *
 * @throws VmConfigError for a bad opcode/funct field, or a key or table claimed twice
 */
export function instructionTable(
  list: readonly InstructionExtension[] | undefined,
  syscalls: SyscallTable = new Map(),
): InstructionTable {
  const byKey = new Map<number, InstructionExtension>();
  if (list === undefined) return byKey;
  const tables = new Set([...syscalls.values()].map((s) => s.table));
  for (const ext of list) {
    const who = `${ext?.plugin ?? '?'}'s ${ext?.name ?? '?'}`;
    if (ext.opcode !== 0x0b && ext.opcode !== 0x2b)
      throw new VmConfigError(`${who}: custom instructions use opcode 0x0b or 0x2b`);
    if (!Number.isInteger(ext.funct3) || ext.funct3 < 0 || ext.funct3 > 7)
      throw new VmConfigError(`${who}: funct3 is 0..7`);
    if (!Number.isInteger(ext.funct7) || ext.funct7 < 0 || ext.funct7 > 127)
      throw new VmConfigError(`${who}: funct7 is 0..127`);
    const key = customKey(ext.opcode, ext.funct3, ext.funct7);
    const prev = byKey.get(key);
    if (prev !== undefined) {
      throw new VmConfigError(
        `custom instruction ${describeCustom(key)} is claimed by both ${prev.plugin} (${prev.name}) and ${ext.plugin} (${ext.name})`,
      );
    }
    if (typeof ext.table !== 'string' || ext.table === '' || tables.has(ext.table))
      throw new VmConfigError(`${who}: records table '${ext.table}' is missing or taken`);
    if (typeof ext.compute !== 'function') throw new VmConfigError(`${who}: no compute function`);
    byKey.set(key, ext);
    tables.add(ext.table);
  }
  return byKey;
}

/** A custom instruction's key as GNU as writes it: `custom-0 funct3=1 funct7=0x02`. */
export function describeCustom(key: number): string {
  return `custom-${key >>> 10} funct3=${key & 7} funct7=0x${((key >>> 3) & 0x7f).toString(16).padStart(2, '0')}`;
}

/** The range of precompile syscall numbers (riscv.md section 6). */
export const PRECOMPILE_FIRST = 0x1000;
export const PRECOMPILE_LAST = 0x1fff;

/**
 * Numbers assigned by riscv.md section 6, with the package that implements each: a build without
 * it names the package to add when a guest makes the call.
 */
export const KNOWN_PRECOMPILES: Readonly<Record<number, string>> = {
  4097: '@nexus/precompile-sha256 (sha256_compress)',
  4098: '@nexus/precompile-keccak (keccakf)',
};

/** Timestamp slots of a call's memory accesses within its cycle (4·clk + slot). */
export const PRECOMPILE_READ_SLOT = 1;
export const PRECOMPILE_WRITE_SLOT = 3;

/** The syscalls of a machine, by number, checked once. */
export type SyscallTable = ReadonlyMap<number, SyscallExtension>;

const EMPTY_TABLE: SyscallTable = new Map();

/**
 * Checks a list of precompiles and indexes it by number.
 *
 * @throws VmConfigError for a number outside 0x1000..0x1FFF, a number or table claimed twice,
 *   or a malformed region list.
 */
export function syscallTable(list: readonly SyscallExtension[] | undefined): SyscallTable {
  if (list === undefined || list.length === 0) return EMPTY_TABLE;
  const byNumber = new Map<number, SyscallExtension>();
  const tables = new Map<string, string>();
  for (const ext of list) {
    const who = `${ext?.plugin ?? '?'}'s ${ext?.name ?? '?'}`;
    if (
      !Number.isInteger(ext.number) ||
      ext.number < PRECOMPILE_FIRST ||
      ext.number > PRECOMPILE_LAST
    ) {
      throw new VmConfigError(
        `${who}: precompile numbers lie in 0x1000..0x1fff (got ${ext.number})`,
      );
    }
    const prev = byNumber.get(ext.number);
    if (prev !== undefined) {
      throw new VmConfigError(
        `syscall 0x${ext.number.toString(16)} is claimed by both ${prev.plugin} (${prev.name}) and ${ext.plugin} (${ext.name})`,
      );
    }
    if (typeof ext.table !== 'string' || ext.table === '')
      throw new VmConfigError(`${who}: no records table name`);
    const owner = tables.get(ext.table);
    if (owner !== undefined)
      throw new VmConfigError(`records table ${ext.table} is used by both ${owner} and ${who}`);
    if (!Array.isArray(ext.regions) || ext.regions.length === 0)
      throw new VmConfigError(`${who}: a precompile accesses at least one memory region`);
    let writing = false;
    for (const r of ext.regions) {
      if (!Number.isInteger(r.arg) || r.arg < 0 || r.arg > 5)
        throw new VmConfigError(`${who}: a region's pointer is in a0..a5 (arg 0..5)`);
      if (!Number.isInteger(r.words) || r.words < 1 || r.words > 1024)
        throw new VmConfigError(`${who}: a region holds 1..1024 words`);
      if (writing && !r.writes)
        throw new VmConfigError(`${who}: read-only regions come before written ones`);
      writing ||= r.writes;
    }
    if (typeof ext.compute !== 'function') throw new VmConfigError(`${who}: no compute function`);
    byNumber.set(ext.number, ext);
    tables.set(ext.table, who);
  }
  return byNumber;
}

/** Total words of a precompile's regions (the length of `compute`'s array). */
export function regionWords(ext: SyscallExtension): number {
  let n = 0;
  for (const r of ext.regions) n += r.words;
  return n;
}

/**
 * The columns of a precompile's records table: the instruction (clk, pc), the reads of a7 and
 * the pointer registers at 4·clk (value and previous timestamp), a0's value before the call,
 * and per word k of the regions its address, previous value and timestamp, and value after.
 */
export function syscallColumns(ext: SyscallExtension): string[] {
  const cols = ['clk', 'pc', 'a7Ts'];
  for (const arg of pointerArgs(ext)) cols.push(`a${arg}`, `a${arg}Ts`);
  if (!pointerArgs(ext).includes(0)) cols.push('a0', 'a0Ts');
  for (let k = 0; k < regionWords(ext); k++)
    cols.push(`m${k}Addr`, `m${k}Prev`, `m${k}PrevTs`, `m${k}Val`);
  return cols;
}

/** The distinct argument registers of a precompile's regions, ascending. */
export function pointerArgs(ext: SyscallExtension): number[] {
  return [...new Set(ext.regions.map((r) => r.arg))].sort((a, b) => a - b);
}

/**
 * The records of one extension (a precompile syscall or a custom instruction): one row per
 * execution, struct of arrays growing by doubling (off the hot path: an extension's row does
 * far more work than its bookkeeping).
 */
export class ExtensionRecords {
  readonly table: string;
  readonly columnNames: readonly string[];
  length = 0;
  private cap = 0;
  private cols: Record<string, Uint32Array> = {};
  private readonly limit: number;

  constructor(table: string, columnNames: readonly string[], limit: number) {
    this.table = table;
    this.columnNames = columnNames;
    this.limit = limit;
    this.reserve(Math.min(limit, 16));
  }

  /** Starts a row and returns its index (LayoutError past the layout's row count, like RecordTable). */
  push(pc: number): number {
    if (this.length >= this.limit) {
      throw new LayoutError(
        pc,
        `the layout allows ${this.limit} rows for the ${this.table} table and the execution needs more: derive the layout from this run or give larger row counts`,
        { table: this.table, limit: this.limit },
      );
    }
    if (this.length >= this.cap) this.reserve(Math.min(this.limit, this.cap * 2));
    return this.length++;
  }

  col(name: string): Uint32Array {
    const c = this.cols[name];
    if (c === undefined) throw new Error(`records table ${this.table} has no column ${name}`);
    return c;
  }

  /** Views of the used rows, by column name. */
  view(): Record<string, Uint32Array> {
    const out: Record<string, Uint32Array> = {};
    for (const n of this.columnNames) out[n] = this.cols[n]!.subarray(0, this.length);
    return out;
  }

  private reserve(cap: number): void {
    const next: Record<string, Uint32Array> = {};
    for (const n of this.columnNames) {
      const c = new Uint32Array(cap);
      const old = this.cols[n];
      if (old !== undefined) c.set(old.subarray(0, this.length));
      next[n] = c;
    }
    this.cols = next;
    this.cap = cap;
  }
}

/**
 * The word addresses of one call, region after region, after the checks every call makes in
 * both passes: each pointer 4-byte aligned, each region mapped (and writable where written),
 * regions of one kind disjoint.
 *
 * @throws MisalignedAccessError, UnmappedAddressError, CodeWriteError, PrecompileArgumentError
 */
export function precompileAddresses(
  pc: number,
  ext: SyscallExtension,
  x: Int32Array,
  map: Pick<MemoryMap, 'checkRange'>,
): Uint32Array {
  const out = new Uint32Array(regionWords(ext));
  const spans: [number, number, boolean][] = [];
  let k = 0;
  for (const r of ext.regions) {
    const base = x[10 + r.arg]! >>> 0;
    const kind = r.writes ? 'store' : 'load';
    if ((base & 3) !== 0) throw new MisalignedAccessError(pc, base, kind, 4);
    map.checkRange(pc, base, 4 * r.words, kind);
    for (const [s, e, w] of spans) {
      if (w === r.writes && base < e && s < base + 4 * r.words) {
        throw new PrecompileArgumentError(
          pc,
          ext.name,
          `its ${r.writes ? 'written' : 'read'} regions overlap (a${r.arg} = ${hex32(base)})`,
        );
      }
    }
    spans.push([base, base + 4 * r.words, r.writes]);
    for (let i = 0; i < r.words; i++) out[k++] = base + 4 * i;
  }
  return out;
}
