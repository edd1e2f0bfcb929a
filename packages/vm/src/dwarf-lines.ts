import { type ElfProgram, elfSection } from './elf.js';
import { ElfError, hex32 } from './errors.js';

/**
 * A reader of DWARF line-number programs (`.debug_line`, DWARF versions 2 to 5, 32-bit DWARF),
 * the part of `-g` that maps code addresses to source lines: what the studio's source panel and
 * `nexus trace` show. Only the line table is read; `.debug_info` is not (so for DWARF 2 to 4,
 * whose compilation directory lives there, paths stay relative to it).
 *
 * Hostile input is the normal case here (a dropped ELF): every read is bounds-checked against
 * its section, every loop consumes at least one byte of the section it walks, and decoded strings
 * draw on a budget proportional to the sections, so any byte string gives a table or an
 * ElfError, in time and memory linear in the file.
 */

/** A source file the line table names. */
export interface SourceFile {
  /**
   * The path as the DWARF gives it: the compilation directory, the file's directory and its
   * name joined, unless one of them is absolute. Relative when the compiler was told to write
   * relative paths (`-fdebug-prefix-map`), or for DWARF 2 to 4, whose compilation directory is
   * outside the line table: then it is relative to where the compiler ran.
   */
  readonly path: string;
  /** The file's path without the compilation directory (its directory and name joined). */
  readonly relative: string;
}

/** A source position: what a code address was compiled from. */
export interface SourceLocation {
  readonly file: SourceFile;
  /** 1-based line; 0 when the compiler could not attribute the address to a line. */
  readonly line: number;
  /** 1-based column; 0 when unknown. */
  readonly column: number;
}

/**
 * The address -> (file, line, column) map of an ELF's code, as sorted columns: row i covers the
 * addresses from `address[i]` up to `address[i + 1]`. A row whose file is `NO_SOURCE` ends a
 * sequence: the addresses it covers have no line.
 */
export interface LineTable {
  readonly files: readonly SourceFile[];
  /** Ascending, distinct. */
  readonly address: Uint32Array;
  /** Index into `files`, or NO_SOURCE. */
  readonly file: Uint32Array;
  readonly line: Uint32Array;
  readonly column: Uint32Array;
}

/** The file index of a row that ends a sequence (its addresses have no source line). */
export const NO_SOURCE = 0xffffffff;

/** The raw sections a line table is read from (`lineStr`, `str`: DWARF 5 string forms). */
export interface DebugLineSections {
  readonly line: Uint8Array;
  readonly lineStr?: Uint8Array;
  readonly str?: Uint8Array;
}

/** An address range [start, end) of code. */
export interface CodeRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The line table of an ELF's code, or undefined when the ELF has no `.debug_line` (built without
 * `-g`). Sequences outside the executable segments (functions `--gc-sections` dropped, which the
 * linker leaves at address 0) are left out. Throws ElfError when the line info is malformed or
 * uses what this reader does not support (64-bit DWARF, compressed sections, `DW_FORM_strx`).
 *
 * @example
 * const program = loadElf(bytes);
 * const table = readLineTable(bytes, program);
 * if (table !== undefined) lineAt(table, program.entry); // { file: { path: '../runtime/crt0.S', ... }, line: 15, column: 0 }
 */
export function readLineTable(bytes: Uint8Array, program: ElfProgram): LineTable | undefined {
  const line = elfSection(bytes, '.debug_line');
  if (line === undefined) return undefined;
  const code = program.segments
    .filter((s) => s.executable)
    .map((s) => ({ start: s.vaddr, end: s.vaddr + s.memsz }));
  return parseDebugLine(
    {
      line,
      lineStr: elfSection(bytes, '.debug_line_str'),
      str: elfSection(bytes, '.debug_str'),
    },
    code,
  );
}

/**
 * The source location of the instruction at `address`, or undefined when no line covers it.
 *
 * @example
 * const where = lineAt(table, 0x10000);
 * if (where !== undefined) console.log(`${where.file.path}:${where.line}`);
 */
export function lineAt(table: LineTable, address: number): SourceLocation | undefined {
  const a = table.address;
  let lo = 0;
  let hi = a.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= address) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return undefined;
  const file = table.file[found]!;
  if (file === NO_SOURCE) return undefined;
  return { file: table.files[file]!, line: table.line[found]!, column: table.column[found]! };
}

/**
 * Parses `.debug_line` into the line table of the code in `code` (sequences elsewhere are left
 * out). Throws ElfError on malformed or unsupported input; see readLineTable.
 */
export function parseDebugLine(sections: DebugLineSections, code: readonly CodeRange[]): LineTable {
  const builder = new TableBuilder(sections, code);
  const line = sections.line;
  let offset = 0;
  while (offset < line.length) offset = readUnit(builder, line, offset);
  return builder.finish();
}

// Line-number program opcodes (DWARF 5, section 6.2.5).
const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNS_set_column = 5;
const DW_LNS_negate_stmt = 6;
const DW_LNS_set_basic_block = 7;
const DW_LNS_const_add_pc = 8;
const DW_LNS_fixed_advance_pc = 9;
const DW_LNS_set_prologue_end = 10;
const DW_LNS_set_epilogue_begin = 11;
const DW_LNS_set_isa = 12;
/** How many LEB128 operands each standard opcode 1..12 takes (9 takes a uhalf, counted as 1). */
const STANDARD_OPERANDS = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;
const DW_LNE_define_file = 3;

// Entry formats of the DWARF 5 directory and file tables (6.2.4.1) and the forms they use.
const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;
const DW_FORM = {
  block2: 0x03,
  block4: 0x04,
  data2: 0x05,
  data4: 0x06,
  data8: 0x07,
  string: 0x08,
  block: 0x09,
  block1: 0x0a,
  data1: 0x0b,
  sdata: 0x0d,
  strp: 0x0e,
  udata: 0x0f,
  strx: 0x1a,
  data16: 0x1e,
  line_strp: 0x1f,
  strx1: 0x25,
  strx4: 0x28,
} as const;

/** A bounds-checked little-endian cursor over one section, limited to `end`. */
class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
    public end: number,
    private readonly what: string,
  ) {}

  fail(message: string): never {
    throw new ElfError(`DWARF ${this.what} at offset ${hex32(this.at)}: ${message}`, {
      offset: this.at,
    });
  }

  private need(n: number): number {
    if (this.at + n > this.end)
      this.fail(`needs ${n} more byte(s), only ${this.end - this.at} left`);
    const at = this.at;
    this.at += n;
    return at;
  }

  u8(): number {
    return this.bytes[this.need(1)]!;
  }

  i8(): number {
    return (this.u8() << 24) >> 24;
  }

  u16(): number {
    const at = this.need(2);
    return this.bytes[at]! | (this.bytes[at + 1]! << 8);
  }

  u32(): number {
    const at = this.need(4);
    const b = this.bytes;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }

  skip(n: number): void {
    this.need(n);
  }

  /** An unsigned LEB128 that must fit 32 bits (at most 5 significant bytes; zero padding allowed). */
  uleb(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      const bits = byte & 0x7f;
      if (i < 5) value += bits * scale;
      else if (bits !== 0) this.fail('unsigned LEB128 value does not fit 32 bits');
      scale *= 128;
      if ((byte & 0x80) === 0) break;
      if (i >= 15) this.fail('LEB128 value longer than 16 bytes');
    }
    if (value > 0xffffffff) this.fail('unsigned LEB128 value does not fit 32 bits');
    return value;
  }

  /** A signed LEB128 that must fit 32 bits (at most 5 bytes). */
  sleb(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i >= 5) this.fail('signed LEB128 value longer than 5 bytes');
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) {
        if (byte & 0x40) value -= scale;
        break;
      }
    }
    if (value > 0x7fffffff || value < -0x80000000)
      this.fail('signed LEB128 value does not fit 32 bits');
    return value;
  }

  /** Skips a LEB128 of any length (a value the table does not use, such as a timestamp). */
  skipLeb(): void {
    while (this.u8() & 0x80);
  }

  /** The bytes of a NUL-terminated string, without the NUL. */
  cstring(): Uint8Array {
    const start = this.at;
    const nul = this.bytes.subarray(start, this.end).indexOf(0);
    if (nul < 0) this.fail('string runs past the end of its section');
    this.at = start + nul + 1;
    return this.bytes.subarray(start, start + nul);
  }
}

/** Longest path string accepted: far above PATH_MAX, a bound on the work a string costs. */
const MAX_STRING = 1 << 16;

/**
 * Collects the rows of the sequences inside the code and the files they name, and decodes strings
 * within a budget: strings referenced by offset may overlap, so without one a small hostile
 * section could make the reader build gigabytes of paths.
 */
class TableBuilder {
  private readonly decoder = new TextDecoder();
  private budget: number;
  private readonly fileIndex = new Map<string, number>();
  readonly files: SourceFile[] = [];
  private readonly sequences: { start: number; end: number; rows: Uint32Array }[] = [];
  private readonly strings = new Map<string, string>();

  constructor(
    readonly sections: DebugLineSections,
    private readonly code: readonly CodeRange[],
  ) {
    const total =
      sections.line.length + (sections.lineStr?.length ?? 0) + (sections.str?.length ?? 0);
    this.budget = 4 * total + (1 << 20);
  }

  private charge(n: number, r: Reader): void {
    this.budget -= n;
    if (this.budget < 0)
      r.fail('its strings decode to far more text than the sections hold (overlapping strings?)');
  }

  /** Decodes path bytes (UTF-8; paths are bytes, so bad sequences become U+FFFD, never throw). */
  text(bytes: Uint8Array, r: Reader): string {
    if (bytes.length > MAX_STRING)
      r.fail(`string of ${bytes.length} bytes (at most ${MAX_STRING})`);
    this.charge(bytes.length, r);
    return this.decoder.decode(bytes);
  }

  /** A string at `offset` in `.debug_line_str` or `.debug_str`, decoded once per offset. */
  stringAt(section: 'lineStr' | 'str', offset: number, r: Reader): string {
    const key = `${section}:${offset}`;
    const known = this.strings.get(key);
    if (known !== undefined) return known;
    const bytes = this.sections[section];
    const name = section === 'lineStr' ? '.debug_line_str' : '.debug_str';
    if (bytes === undefined) r.fail(`refers to ${name}, which the file does not have`);
    if (offset >= bytes.length)
      r.fail(`string offset ${hex32(offset)} is past the end of ${name} (${bytes.length} bytes)`);
    const s = new Reader(bytes, offset, bytes.length, name);
    const value = this.text(s.cstring(), r);
    this.strings.set(key, value);
    return value;
  }

  /** The index in `files` of a path, adding it the first time. */
  file(directory: string, name: string, compDir: string, r: Reader): number {
    const relative = joinPath(directory, name);
    const path = joinPath(compDir, relative);
    this.charge(relative.length + path.length, r);
    const key = `${path}\0${relative}`;
    let index = this.fileIndex.get(key);
    if (index === undefined) {
      index = this.files.length;
      this.files.push({ path, relative });
      this.fileIndex.set(key, index);
    }
    return index;
  }

  /** Keeps a finished sequence when it lies in the code; rows: (address, file, line, column)*. */
  sequence(start: number, end: number, rows: Uint32Array, r: Reader): void {
    if (end <= start) return; // empty: covers no address
    const range = this.code.find((c) => start >= c.start && start < c.end);
    if (range === undefined) return; // not code of this ELF (e.g. a function the linker dropped)
    if (end > range.end)
      r.fail(
        `line sequence [${hex32(start)}, ${hex32(end)}) runs past the end of its code segment (${hex32(range.end)})`,
      );
    this.sequences.push({ start, end, rows });
  }

  finish(): LineTable {
    const seqs = this.sequences.sort((a, b) => a.start - b.start);
    let n = 0;
    for (const s of seqs) n += s.rows.length / 4 + 1;
    const address = new Uint32Array(n);
    const file = new Uint32Array(n);
    const line = new Uint32Array(n);
    const column = new Uint32Array(n);
    let count = 0;
    const push = (a: number, f: number, l: number, c: number) => {
      // Several rows at one address: the last one describes the instruction there (as binutils).
      if (count > 0 && address[count - 1] === a) count--;
      address[count] = a;
      file[count] = f;
      line[count] = l;
      column[count] = c;
      count++;
    };
    let previousEnd = 0;
    for (const s of seqs) {
      if (s.start < previousEnd)
        throw new ElfError(
          `DWARF .debug_line: line sequences overlap at ${hex32(s.start)} (one ends at ${hex32(previousEnd)})`,
        );
      for (let i = 0; i < s.rows.length; i += 4)
        push(s.rows[i]!, s.rows[i + 1]!, s.rows[i + 2]!, s.rows[i + 3]!);
      push(s.end, NO_SOURCE, 0, 0);
      previousEnd = s.end;
    }
    return {
      files: this.files,
      address: address.slice(0, count),
      file: file.slice(0, count),
      line: line.slice(0, count),
      column: column.slice(0, count),
    };
  }
}

/** Joins a directory and a path the way the DWARF means it: an absolute path stands alone. */
function joinPath(directory: string, path: string): string {
  if (directory === '' || path.startsWith('/')) return path;
  return directory.endsWith('/') ? directory + path : `${directory}/${path}`;
}

/** The header of one line-number program unit: what its opcodes need. */
interface UnitHeader {
  readonly version: number;
  readonly minInstructionLength: number;
  readonly maxOpsPerInstruction: number;
  readonly lineBase: number;
  readonly lineRange: number;
  readonly opcodeBase: number;
  readonly standardLengths: Uint8Array;
  /** Unit file number -> index in the builder's files (DWARF 2-4 number files from 1). */
  readonly files: number[];
  readonly directories: string[];
  readonly compDir: string;
}

/** Reads the unit at `offset`: its header, then runs its program. Returns the next unit's offset. */
function readUnit(builder: TableBuilder, section: Uint8Array, offset: number): number {
  const r = new Reader(section, offset, section.length, '.debug_line');
  const length = r.u32();
  if (length === 0xffffffff)
    r.fail('64-bit DWARF (unit length 0xffffffff) is not supported: build with 32-bit DWARF');
  if (length >= 0xfffffff0) r.fail(`reserved unit length ${hex32(length)}`);
  if (length > r.end - r.at)
    r.fail(`unit length ${length} runs past the end of the section (${r.end - r.at} bytes left)`);
  r.end = r.at + length;
  const unitEnd = r.end;
  const version = r.u16();
  if (version < 2 || version > 5)
    r.fail(`line table version ${version} is not supported (DWARF 2 to 5 are)`);
  if (version >= 5) {
    const addressSize = r.u8();
    if (addressSize !== 4) r.fail(`address size ${addressSize} (RV32 addresses are 4 bytes)`);
    const segmentSize = r.u8();
    if (segmentSize !== 0) r.fail(`segment selector size ${segmentSize} (expected 0)`);
  }
  const headerLength = r.u32();
  if (headerLength > r.end - r.at)
    r.fail(`header length ${headerLength} runs past the end of the unit`);
  const programStart = r.at + headerLength;
  r.end = programStart; // the header's fields stay inside the header
  const minInstructionLength = r.u8();
  const maxOpsPerInstruction = version >= 4 ? r.u8() : 1;
  if (maxOpsPerInstruction === 0) r.fail('maximum_operations_per_instruction is 0');
  r.u8(); // default_is_stmt: a lookup takes every row, statement or not (as objdump lists them)
  const lineBase = r.i8();
  const lineRange = r.u8();
  if (lineRange === 0) r.fail('line_range is 0');
  const opcodeBase = r.u8();
  if (opcodeBase === 0) r.fail('opcode_base is 0');
  const standardLengths = new Uint8Array(opcodeBase);
  for (let op = 1; op < opcodeBase; op++) {
    standardLengths[op] = r.u8();
    const known = STANDARD_OPERANDS[op - 1];
    if (known !== undefined && standardLengths[op] !== known)
      r.fail(
        `standard opcode ${op} declared with ${standardLengths[op]} operand(s), DWARF says ${known}`,
      );
  }
  const header = version >= 5 ? readTablesV5(builder, r) : readTablesV2(builder, r);
  r.end = unitEnd;
  r.at = programStart;
  runProgram(builder, r, {
    version,
    minInstructionLength,
    maxOpsPerInstruction,
    lineBase,
    lineRange,
    opcodeBase,
    standardLengths,
    ...header,
  });
  return unitEnd;
}

type Tables = Pick<UnitHeader, 'files' | 'directories' | 'compDir'>;

/**
 * DWARF 2 to 4: include_directories then file_names, each list ended by an empty entry. Directory
 * 0 is the compilation directory, which only `.debug_info` names: left empty (relative paths).
 */
function readTablesV2(builder: TableBuilder, r: Reader): Tables {
  const directories = [''];
  for (;;) {
    const dir = r.cstring();
    if (dir.length === 0) break;
    directories.push(builder.text(dir, r));
  }
  const files = [NO_SOURCE]; // file numbers start at 1
  for (;;) {
    const name = r.cstring();
    if (name.length === 0) break;
    files.push(fileEntryV2(builder, r, name, directories));
  }
  return { files, directories, compDir: '' };
}

/** The rest of a DWARF 2-4 file entry (after its name): directory index, mtime, length. */
function fileEntryV2(
  builder: TableBuilder,
  r: Reader,
  name: Uint8Array,
  directories: readonly string[],
): number {
  const dir = r.uleb();
  r.skipLeb(); // modification time
  r.skipLeb(); // length
  if (dir >= directories.length)
    r.fail(`file entry names directory ${dir}, the table has ${directories.length}`);
  return builder.file(directories[dir]!, builder.text(name, r), '', r);
}

/** One DWARF 5 entry format: pairs of (content type, form). */
function readFormat(r: Reader): [number, number][] {
  const count = r.u8();
  const format: [number, number][] = [];
  for (let i = 0; i < count; i++) format.push([r.uleb(), r.uleb()]);
  return format;
}

/** DWARF 5: self-describing directory and file tables; directory 0 is the compilation directory. */
function readTablesV5(builder: TableBuilder, r: Reader): Tables {
  const dirFormat = readFormat(r);
  const dirCount = r.uleb();
  const directories: string[] = [];
  for (let i = 0; i < dirCount; i++) {
    const entry = readEntry(builder, r, dirFormat);
    if (entry.path === undefined) r.fail(`directory entry ${i} has no DW_LNCT_path`);
    directories.push(entry.path);
  }
  if (directories.length === 0) r.fail('the directory table is empty (DWARF 5 needs entry 0)');
  const compDir = directories[0]!;
  const fileFormat = readFormat(r);
  const fileCount = r.uleb();
  const files: number[] = [];
  for (let i = 0; i < fileCount; i++) {
    const entry = readEntry(builder, r, fileFormat);
    if (entry.path === undefined) r.fail(`file entry ${i} has no DW_LNCT_path`);
    const dir = entry.directory;
    if (dir >= directories.length)
      r.fail(`file entry ${i} names directory ${dir}, the table has ${directories.length}`);
    // Directory 0 is the compilation directory itself: relative to it, the file is just its name.
    files.push(builder.file(dir === 0 ? '' : directories[dir]!, entry.path, compDir, r));
  }
  return { files, directories, compDir };
}

/** Reads one directory or file entry of a DWARF 5 table, keeping its path and directory index. */
function readEntry(
  builder: TableBuilder,
  r: Reader,
  format: readonly [number, number][],
): { path: string | undefined; directory: number } {
  let path: string | undefined;
  let directory = 0;
  for (const [content, form] of format) {
    if (content === DW_LNCT_path) {
      if (form === DW_FORM.string) path = builder.text(r.cstring(), r);
      else if (form === DW_FORM.line_strp) path = builder.stringAt('lineStr', r.u32(), r);
      else if (form === DW_FORM.strp) path = builder.stringAt('str', r.u32(), r);
      else if (form === DW_FORM.strx || (form >= DW_FORM.strx1 && form <= DW_FORM.strx4))
        r.fail(
          `path in form ${form} (DW_FORM_strx*) needs .debug_str_offsets, which this reader does not read`,
        );
      else r.fail(`path in form 0x${form.toString(16)}, which is not a string form`);
    } else if (content === DW_LNCT_directory_index) {
      if (form === DW_FORM.data1) directory = r.u8();
      else if (form === DW_FORM.data2) directory = r.u16();
      else if (form === DW_FORM.udata) directory = r.uleb();
      else
        r.fail(`directory index in form 0x${form.toString(16)} (expected data1, data2 or udata)`);
    } else skipForm(r, form);
  }
  return { path, directory };
}

/** The size of the fixed-size forms a line table entry may use (data, string offsets, strx1-4). */
const FIXED_FORM_SIZE: Readonly<Record<number, number>> = {
  [DW_FORM.data1]: 1,
  [DW_FORM.data2]: 2,
  [DW_FORM.data4]: 4,
  [DW_FORM.data8]: 8,
  [DW_FORM.data16]: 16,
  [DW_FORM.strp]: 4,
  [DW_FORM.line_strp]: 4,
  [DW_FORM.strx1]: 1,
  38: 2, // strx2
  39: 3, // strx3
  [DW_FORM.strx4]: 4,
};

/** Skips a value this reader does not use (timestamps, sizes, MD5s, vendor content). */
function skipForm(r: Reader, form: number): void {
  const fixed = FIXED_FORM_SIZE[form];
  if (fixed !== undefined) r.skip(fixed);
  else if (form === DW_FORM.udata || form === DW_FORM.sdata || form === DW_FORM.strx) r.skipLeb();
  else if (form === DW_FORM.string) r.cstring();
  else if (form === DW_FORM.block) r.skip(r.uleb());
  else if (form === DW_FORM.block1) r.skip(r.u8());
  else if (form === DW_FORM.block2) r.skip(r.u16());
  else if (form === DW_FORM.block4) r.skip(r.u32());
  else r.fail(`entry format uses form 0x${form.toString(16)}, which a line table does not use`);
}

/**
 * Runs one unit's line-number program (the state machine of DWARF 5 section 6.2.2) and hands its
 * sequences to the builder. Each opcode consumes at least one byte, so the loop ends with the unit.
 */
function runProgram(builder: TableBuilder, r: Reader, h: UnitHeader): void {
  let rows = new Uint32Array(64);
  let count = 0;
  let address = 0;
  let opIndex = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  let start = -1;
  let sequenceOpen = false;
  const reset = () => {
    address = 0;
    opIndex = 0;
    file = 1;
    line = 1;
    column = 0;
    count = 0;
    start = -1;
    sequenceOpen = false;
  };
  const fileIndex = (n: number): number => {
    const index = h.files[n];
    if (index === undefined || index === NO_SOURCE)
      r.fail(`row names file ${n}, which the unit's file table does not have`);
    return index;
  };
  const emit = () => {
    if (start < 0) start = address;
    else if (address < rows[count - 4]!)
      r.fail(
        `addresses go backwards within a sequence (${hex32(address)} after ${hex32(rows[count - 4]!)})`,
      );
    if (count + 4 > rows.length) {
      const grown = new Uint32Array(rows.length * 2);
      grown.set(rows);
      rows = grown;
    }
    rows[count++] = address;
    rows[count++] = fileIndex(file);
    rows[count++] = line;
    rows[count++] = column;
  };
  // Advances by `operations` operations (VLIW bundles when max_ops > 1; else just instructions).
  const advance = (operations: number) => {
    const ops = opIndex + operations;
    const next = address + h.minInstructionLength * Math.floor(ops / h.maxOpsPerInstruction);
    if (next > 0xffffffff) r.fail(`address advances past 4 GiB (${next.toString(16)})`);
    address = next;
    opIndex = ops % h.maxOpsPerInstruction;
    sequenceOpen = true;
  };
  const setLine = (next: number) => {
    if (next < 0 || next > 0xffffffff) r.fail(`line number ${next} is out of range`);
    line = next;
  };
  reset();
  while (r.at < r.end) {
    const op = r.u8();
    if (op >= h.opcodeBase) {
      // Special opcode: advance address and line at once, then append a row.
      const adjusted = op - h.opcodeBase;
      advance(Math.floor(adjusted / h.lineRange));
      setLine(line + h.lineBase + (adjusted % h.lineRange));
      emit();
      continue;
    }
    sequenceOpen = true;
    switch (op) {
      case 0: {
        const length = r.uleb();
        if (length === 0) r.fail('extended opcode of length 0');
        if (length > r.end - r.at) r.fail(`extended opcode of length ${length} runs past the unit`);
        const next = r.at + length;
        const sub = r.u8();
        if (sub === DW_LNE_end_sequence) {
          emit();
          const end = rows[count - 4]!;
          builder.sequence(start, end, rows.slice(0, count - 4), r);
          reset();
        } else if (sub === DW_LNE_set_address) {
          if (length !== 5)
            r.fail(`DW_LNE_set_address with a ${length - 1}-byte address (RV32: 4)`);
          const target = r.u32();
          if (start >= 0 && target < address)
            r.fail(
              `DW_LNE_set_address moves back to ${hex32(target)} within a sequence (at ${hex32(address)})`,
            );
          address = target;
          opIndex = 0;
        } else if (sub === DW_LNE_define_file && h.version <= 4) {
          const name = r.cstring();
          h.files.push(fileEntryV2(builder, r, name, h.directories));
        }
        // Other extended opcodes (set_discriminator, vendor ones) change no row we keep.
        if (r.at > next) r.fail('extended opcode overruns its stated length');
        r.at = next;
        break;
      }
      case DW_LNS_copy:
        emit();
        break;
      case DW_LNS_advance_pc:
        advance(r.uleb());
        break;
      case DW_LNS_advance_line:
        setLine(line + r.sleb());
        break;
      case DW_LNS_set_file:
        file = r.uleb();
        break;
      case DW_LNS_set_column:
        column = r.uleb();
        break;
      case DW_LNS_const_add_pc:
        advance(Math.floor((255 - h.opcodeBase) / h.lineRange));
        break;
      case DW_LNS_fixed_advance_pc: {
        const next = address + r.u16();
        if (next > 0xffffffff) r.fail('address advances past 4 GiB');
        address = next;
        opIndex = 0;
        break;
      }
      case DW_LNS_negate_stmt:
      case DW_LNS_set_basic_block:
      case DW_LNS_set_prologue_end:
      case DW_LNS_set_epilogue_begin:
        break; // flags no lookup here uses
      case DW_LNS_set_isa:
        r.uleb();
        break;
      default:
        // A standard opcode newer than DWARF 5: skip its LEB128 operands, as the header says.
        for (let i = 0; i < h.standardLengths[op]!; i++) r.skipLeb();
    }
  }
  if (sequenceOpen || count > 0)
    r.fail('the line program ends inside a sequence (no DW_LNE_end_sequence)');
}
