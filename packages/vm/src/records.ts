import { LayoutError } from './errors.js';
import { FAMILIES, type Family, MNEMONICS, Op, readsRs1, readsRs2, writesRd } from './isa.js';

/**
 * Columns of each family's records table. All tables start with the execution columns
 * (clk, pc, nextPc, word, op); then the register accesses the family performs; loads and stores
 * add one RAM access; ecall rows point into the io table. See README.md "Records" for the
 * meaning of every column and the timestamp rules.
 */
const EXEC = ['clk', 'pc', 'nextPc', 'word', 'op'] as const;
const RS1 = ['rs1', 'rs1Val', 'rs1Ts'] as const;
const RS2 = ['rs2', 'rs2Val', 'rs2Ts'] as const;
const RD = ['rd', 'rdPrev', 'rdPrevTs', 'rdVal'] as const;
const MEM = ['memAddr', 'memPrev', 'memPrevTs', 'memVal'] as const;
const ECALL = [
  ...EXEC,
  'a7',
  'a7Ts',
  'a0',
  'a0Ts',
  'a1',
  'a1Ts',
  'a2',
  'a2Ts',
  'rdVal',
  'ioStart',
  'ioLen',
] as const;

/**
 * The records columns of a family proving `ops` (mnemonics): the execution columns, then the
 * accesses any of its instructions makes, in a fixed order (an instruction that does not make
 * one leaves those columns 0). `imm` comes with every instruction that has operands (all but
 * fence); the ecall family has its syscall columns.
 */
export function familyColumns(ops: readonly string[]): readonly string[] {
  const ids = ops.map((m) => MNEMONICS.indexOf(m));
  if (ids.includes(Op.ECALL)) return ECALL;
  const any = (p: (op: number) => boolean) => ids.some(p);
  return [
    ...EXEC,
    ...(any(readsRs1) ? RS1 : []),
    ...(any(readsRs2) ? RS2 : []),
    ...(any((op) => readsRs1(op) || writesRd(op)) ? ['imm'] : []),
    ...(any(writesRd) ? RD : []),
    ...(any((op) => op >= Op.LB && op <= Op.SW) ? MEM : []),
  ];
}

/**
 * The columns of riscv.md's families, spelled out for the types of their records
 * (`FamilyColumn`); equal to `familyColumns` of each family's ops (tested).
 */
export const FAMILY_COLUMNS = {
  add: [...EXEC, ...RS1, ...RS2, 'imm', ...RD],
  sub: [...EXEC, ...RS1, ...RS2, 'imm', ...RD],
  slt: [...EXEC, ...RS1, ...RS2, 'imm', ...RD],
  logic: [...EXEC, ...RS1, ...RS2, 'imm', ...RD],
  shift: [...EXEC, ...RS1, ...RS2, 'imm', ...RD],
  lui: [...EXEC, 'imm', ...RD],
  auipc: [...EXEC, 'imm', ...RD],
  jal: [...EXEC, 'imm', ...RD],
  jalr: [...EXEC, ...RS1, 'imm', ...RD],
  branch: [...EXEC, ...RS1, ...RS2, 'imm'],
  load: [...EXEC, ...RS1, 'imm', ...RD, ...MEM],
  store: [...EXEC, ...RS1, ...RS2, 'imm', ...MEM],
  mul: [...EXEC, ...RS1, ...RS2, 'imm', ...RD],
  div: [...EXEC, ...RS1, ...RS2, 'imm', ...RD],
  ecall: ECALL,
  fence: [...EXEC],
} as const satisfies { [F in Family]: readonly string[] };

/** Columns of the io table: one row per byte moved by a read or write syscall. */
export const IO_COLUMNS = [
  'clk',
  'fd',
  'offset',
  'addr',
  'byte',
  'memAddr',
  'memPrev',
  'memPrevTs',
  'memVal',
  'ts',
] as const;

export type FamilyColumn<F extends Family> = (typeof FAMILY_COLUMNS)[F][number];
export type IoColumn = (typeof IO_COLUMNS)[number];

/**
 * Global column ids: every table keeps its columns in an array indexed by these ids, so the
 * tracer's hot loop indexes `cols[ID][row]` with constants and one code path serves every family
 * (a per-family object of named columns would make those property loads megamorphic).
 */
export const COLUMN_IDS: Readonly<Record<string, number>> = Object.fromEntries(
  [...new Set([...ECALL, ...RS1, ...RS2, 'imm', ...RD, ...MEM, ...IO_COLUMNS])].map((name, id) => [
    name,
    id,
  ]),
);
const COLUMN_COUNT = Object.keys(COLUMN_IDS).length;
const EMPTY = new Uint32Array(0);

const tableCapacity = (capacity: number, limit: number) => Math.min(Math.max(capacity, 0), limit);

/**
 * A records table: struct-of-arrays, one `Uint32Array` column per name, `length` rows in use.
 * A family's table holds the columns pass 2 writes (FamilyPartition `stored`); its records add
 * the derived ones (derived-columns.ts).
 * All columns of a table live in one buffer, column after column (`data`, `stride` entries per
 * column, `capacity` of them usable): the columns are views into it, and compiled pass-2 blocks
 * address every column of a table from that one base (`data[slot * stride + row]`), which keeps
 * V8 from juggling a pointer per column. Tables are allocated for the expected row count and
 * grow by doubling when a caller-given layout leaves it open; `limit` (the layout's padded row
 * count) is a hard bound.
 */
export class RecordTable {
  /**
   * A table without columns or rows. Alive as long as the class, it also keeps the class's map
   * alive: V8's optimised code holds the maps it checks weakly, and a map whose last object dies
   * is collected. Between two pass-2 runs of a process (a pool's jobs, a bench's runs) no table
   * lived, the next run's tables got a new map, and every compiled pass-2 block was deoptimised
   * ('weak objects') and compiled again (long.elf: its 13 hot blocks once a run, 10-80 ms of
   * compilation each). A module-level constant nothing reads would not do: V8 does not keep it.
   */
  static readonly EMPTY: RecordTable = new RecordTable('', [], 0, 0);

  readonly name: string;
  readonly columnNames: readonly string[];
  /** Position of each global column id inside `data` (in columns), or -1 when absent. */
  readonly slots: Int32Array;
  /** All columns, column-major: column `slots[id]` occupies [slot * stride, slot * stride + capacity). */
  data: Uint32Array;
  /** Entries from one column's start to the next one's (see `columnStride`). */
  stride: number;
  /** Column views by global column id (COLUMN_IDS); absent columns are empty. Re-read after growth. */
  cols: Uint32Array[];
  length = 0;
  capacity: number;
  readonly limit: number;

  /**
   * `storage`, when given, holds the table's `tableWords(columnNames.length, capacity)` zeroed
   * entries (a part of one buffer several tables share: `newRecordTables`).
   */
  constructor(
    name: string,
    columnNames: readonly string[],
    capacity: number,
    limit: number,
    storage?: Uint32Array,
  ) {
    this.name = name;
    this.columnNames = columnNames;
    this.limit = limit;
    this.capacity = tableCapacity(capacity, limit);
    this.stride = columnStride(this.capacity);
    this.slots = new Int32Array(COLUMN_COUNT).fill(-1);
    columnNames.forEach((c, slot) => {
      this.slots[COLUMN_IDS[c]!] = slot;
    });
    const words = columnNames.length * this.stride;
    if (storage !== undefined && storage.length !== words)
      throw new Error(`RecordTable ${name}: storage of ${storage.length} entries, needs ${words}`);
    this.data = storage ?? new Uint32Array(words);
    this.cols = this.views();
  }

  private views(): Uint32Array[] {
    const cols = new Array<Uint32Array>(COLUMN_COUNT).fill(EMPTY);
    const { capacity, stride } = this;
    this.columnNames.forEach((c, slot) => {
      cols[COLUMN_IDS[c]!] = this.data.subarray(slot * stride, slot * stride + capacity);
    });
    return cols;
  }

  /**
   * Empties the table for reuse (the next segment's rows): zeroes the rows in use, because row
   * writers skip constant zeros and rely on fresh rows being 0. Reusing warm memory instead of
   * allocating is what keeps pass 2 from paying first-touch page faults every segment.
   */
  clear(): void {
    const stride = this.stride;
    for (let slot = 0; slot < this.columnNames.length; slot++)
      this.data.fill(0, slot * stride, slot * stride + this.length);
    this.length = 0;
  }

  /**
   * Empties the table for reuse without zeroing it: every row written next must write every
   * stored column, zeros included (compiled blocks built with `completeRows`, `zeroRow` before
   * the interpreter's partial writes). Zeroing the rows in use (`clear`) cost pass 2 of a long
   * run in segments about as much as writing them.
   */
  rewind(): void {
    this.length = 0;
  }

  /** Zeroes row r of every column (a reused row the interpreter writes only in part). */
  zeroRow(r: number): void {
    const { data, stride } = this;
    for (let slot = 0, n = this.columnNames.length; slot < n; slot++) data[slot * stride + r] = 0;
  }

  /** Makes room for one more row (throws LayoutError past the layout's row count). */
  grow(pc: number): void {
    if (this.length >= this.limit) {
      throw new LayoutError(
        pc,
        `the layout allows ${this.limit} rows for the ${this.name} table and the execution needs more: derive the layout from this run or give larger row counts`,
        { table: this.name, limit: this.limit },
      );
    }
    const next = Math.min(this.limit, Math.max(1024, this.capacity * 2));
    const stride = columnStride(next);
    const data = new Uint32Array(this.columnNames.length * stride);
    for (let slot = 0; slot < this.columnNames.length; slot++) {
      data.set(
        this.data.subarray(slot * this.stride, slot * this.stride + this.length),
        slot * stride,
      );
    }
    this.data = data;
    this.capacity = next;
    this.stride = stride;
    this.cols = this.views();
  }

  /** Views of the used rows of every column, by name (no copy). */
  view(): Record<string, Uint32Array> {
    const out: Record<string, Uint32Array> = {};
    for (const c of this.columnNames) out[c] = this.cols[COLUMN_IDS[c]!]!.subarray(0, this.length);
    return out;
  }

  /** Bytes held by the column arrays. */
  get byteLength(): number {
    return this.columnNames.length * this.capacity * 4;
  }
}

/** Entries of a table of `columns` columns and room for `capacity` rows. */
function tableWords(columns: number, capacity: number): number {
  return columns * columnStride(capacity);
}

/**
 * Above this many bytes, each table gets a buffer of its own (one typed array stays far below
 * the engine's length limit).
 */
const SHARED_BUFFER_MAX = 2 ** 30;

/**
 * The tables of a pass-2 run, in one zeroed buffer when they fit: glibc serves an allocation
 * under 32 MiB from its heap once a larger block has been freed (the mmap threshold adapts),
 * and then zero-fills all of it, rows the run never writes included (measured: 8 tables of
 * 27 MiB in 45-88 ms, against 2-9 ms for the same bytes in blocks above 32 MiB, which come
 * from fresh zero pages, paid only where written).
 */
export function newRecordTables(
  specs: readonly {
    readonly name: string;
    readonly columns: readonly string[];
    readonly capacity: number;
    readonly limit: number;
  }[],
): RecordTable[] {
  const words = specs.map((t) => tableWords(t.columns.length, tableCapacity(t.capacity, t.limit)));
  const total = words.reduce((a, b) => a + b, 0);
  const buffer = total * 4 <= SHARED_BUFFER_MAX ? new Uint32Array(total) : undefined;
  let offset = 0;
  return specs.map((t, k) => {
    const storage = buffer?.subarray(offset, offset + words[k]!);
    offset += words[k]!;
    return new RecordTable(t.name, t.columns, t.capacity, t.limit, storage);
  });
}

/**
 * The distance between a table's columns for `capacity` rows: rounded up to an odd number of
 * 64-byte cache lines. Pass 2 writes row r of every column together; columns a power of two
 * apart (segments of 2^19 rows) put those 16-odd writes in one cache set, more than it has
 * ways, so each write evicts the line another column is filling. An odd line count spreads
 * them over the sets.
 */
function columnStride(capacity: number): number {
  const lines = Math.ceil(capacity / 16);
  return 16 * (lines % 2 === 0 ? lines + 1 : lines);
}

/**
 * The finished records of one family: row count and column views (typed by name for riscv.md's
 * families, by string for the others a build registers).
 */
export interface FamilyRecords<F extends string = Family> {
  readonly family: F;
  readonly length: number;
  readonly columns: F extends Family
    ? { readonly [K in FamilyColumn<F>]: Uint32Array }
    : Readonly<Record<string, Uint32Array>>;
}

/** The records of one precompile (extensions.ts `syscallColumns`): one row per call. */
export interface PrecompileRecords {
  readonly table: string;
  readonly length: number;
  readonly columns: Readonly<Record<string, Uint32Array>>;
}

/**
 * Where a segment's records sit in the whole run (`recordSegments`). Timestamps and clk are
 * global, so the buses balance across segments: segment k's first row consumes the (pc, clk)
 * its predecessor's last row produced, and its accesses name the values and timestamps earlier
 * segments left.
 */
export interface SegmentInfo {
  /** 0 for the first segment. */
  readonly index: number;
  /** clk of its first and last rows. */
  readonly firstClk: number;
  readonly lastClk: number;
  /** pc of its first row (the entry for segment 0, else the previous segment's last nextPc). */
  readonly startPc: number;
  /**
   * The tapes as the segment finds them, per fd (0 private input, 1 public output, 2 debug log,
   * 3 public input): bytes moved so far, whether a read came back short (the tape is
   * exhausted), and the clk of the last read or write (0: none). What the tape registers of
   * the AIR start from.
   */
  readonly tapes: {
    readonly position: Uint32Array;
    readonly ended: Uint8Array;
    readonly lastClk: Uint32Array;
  };
  /**
   * Whether the guest exited in it. The last segment alone knows the final state, so it holds
   * the memory images (init and final: `memoryInit` and `memoryFinal` are empty in the others)
   * and the register file's.
   */
  readonly last: boolean;
}

/** The records of pass 2: everything the AIR components need to generate their traces. */
export interface Records {
  /**
   * Per-family tables: every family of the machine (families that never ran have length 0),
   * and riscv.md's families always (empty where the machine groups instructions otherwise).
   */
  readonly families: { readonly [F in Family]: FamilyRecords<F> } & {
    readonly [name: string]: FamilyRecords<string> | undefined;
  };
  /** Per precompile records table (every precompile of the machine, 0 rows if never called). */
  readonly precompiles: Readonly<Record<string, PrecompileRecords>>;
  /** One row per byte moved by read/write syscalls. */
  readonly io: {
    readonly length: number;
    readonly columns: { readonly [K in IoColumn]: Uint32Array };
  };
  /** Initial memory image of the layout: every layout word with its value at clk 0 (ts 0). */
  readonly memoryInit: { readonly address: Uint32Array; readonly value: Uint32Array };
  /** Final memory image: every layout word, its final value and the timestamp of its last access (0 if never). */
  readonly memoryFinal: {
    readonly address: Uint32Array;
    readonly value: Uint32Array;
    readonly ts: Uint32Array;
  };
  /** Register file at the start (x0..x31; ts 0). */
  readonly registersInit: Uint32Array;
  /** Register file at the end, with the timestamp of each register's last access. */
  readonly registersFinal: { readonly value: Uint32Array; readonly ts: Uint32Array };
  readonly publicInput: Uint8Array;
  readonly privateInput: Uint8Array;
  readonly publicOutput: Uint8Array;
  readonly log: Uint8Array;
  /** a0 of the exit syscall, as a signed 32-bit value (like ExecutionResult.exitCode). */
  readonly exitCode: number;
  /** Number of instructions executed = the clk of the last row. */
  readonly cycles: number;
  readonly entryPc: number;
  /** nextPc of the last row (the exit ecall's pc + 4). */
  readonly finalPc: number;
  /**
   * Bytes pass 2 wrote: the stored columns of every table (rows in use), for the
   * bytes-per-cycle figure (derived columns, computed when first read, are not counted).
   */
  readonly byteLength: number;
  /**
   * Present when the records are one segment of a run (`recordSegments`): `cycles` and
   * `finalPc` are then where the segment ends, and `publicOutput` and `log` what was written up
   * to there.
   */
  readonly segment?: SegmentInfo;
}

export { FAMILIES };
