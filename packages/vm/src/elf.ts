import { ElfError, hex32 } from './errors.js';

/** One PT_LOAD segment: `data` (file bytes) mapped at `vaddr`, zero-filled up to `memsz`. */
export interface ElfSegment {
  readonly vaddr: number;
  readonly memsz: number;
  readonly filesz: number;
  /** Segment flags PF_X (1) | PF_W (2) | PF_R (4). */
  readonly flags: number;
  readonly executable: boolean;
  readonly writable: boolean;
  /** The file bytes of the segment (a view into the ELF, `filesz` long). */
  readonly data: Uint8Array;
}

/** A symbol of the ELF's `.symtab` (when the file has one). */
export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  /** STT_* type: 0 notype, 1 object, 2 func, 3 section, 4 file, 6 tls. */
  readonly type: number;
  /** STB_* binding: 0 local, 1 global, 2 weak. */
  readonly bind: number;
}

/**
 * An extension the guest says it calls, from its `.nexus.requires` section (guest headers write
 * it with ZKVM_REQUIRES_SYSCALL / ZKVM_REQUIRES_INSTRUCTION), so a build without the plugin
 * names the package when the guest makes the call. Advisory: it changes nothing the VM does.
 */
export interface ElfRequirement {
  readonly kind: 'syscall' | 'instruction';
  /** The syscall number (a7), or the custom instruction's key (`customKey`). */
  readonly number: number;
  /** The npm package that provides it. */
  readonly plugin: string;
}

/** A loaded RV32 ELF executable: what the VM needs to run it. */
export interface ElfProgram {
  readonly entry: number;
  /** PT_LOAD segments with memsz > 0, sorted by address, non-overlapping. */
  readonly segments: readonly ElfSegment[];
  /** `.symtab` symbols with a name (empty when the file is stripped). */
  readonly symbols: readonly ElfSymbol[];
  /** e_flags (RISC-V ABI flags). */
  readonly flags: number;
  /** The extensions the guest declares it calls (empty without a `.nexus.requires` section). */
  readonly requires: readonly ElfRequirement[];
}

/** The section guest headers declare their precompiles and custom instructions in. */
export const REQUIRES_SECTION = '.nexus.requires';

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const EM_RISCV = 243;
const SHT_SYMTAB = 2;
const BUILD_HINT = 'build with riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32 -static';

/**
 * Parses a static ELF32 little-endian RISC-V executable (ET_EXEC). Every malformed or
 * unsupported input is an ElfError saying what was found and what to build instead: the loader
 * never reads outside the file and never trusts a size field without checking it.
 *
 * @example
 * const program = loadElf(readFileSync('guests/bin/fib.elf'));
 * program.entry; // 0x10000
 */
export function loadElf(bytes: Uint8Array): ElfProgram {
  if (!(bytes instanceof Uint8Array))
    throw new ElfError('loadElf expects the file contents as a Uint8Array');
  const size = bytes.length;
  if (
    size < 4 ||
    bytes[0] !== 0x7f ||
    bytes[1] !== 0x45 ||
    bytes[2] !== 0x4c ||
    bytes[3] !== 0x46
  ) {
    throw new ElfError(
      `not an ELF file (no \\x7fELF magic in the first 4 bytes; ${size} bytes read)`,
      { size },
    );
  }
  if (size < 52)
    throw new ElfError(`truncated ELF file: ${size} bytes, the ELF32 header alone needs 52`, {
      size,
    });
  const cls = bytes[4];
  if (cls === 2)
    throw new ElfError(`64-bit ELF (ELFCLASS64): the VM runs RV32 only; ${BUILD_HINT}`);
  if (cls !== 1) throw new ElfError(`bad ELF class ${cls} (expected 1, ELFCLASS32)`);
  const data = bytes[5];
  if (data === 2)
    throw new ElfError(
      `big-endian ELF (ELFDATA2MSB): RISC-V guests must be little-endian; ${BUILD_HINT}`,
    );
  if (data !== 1) throw new ElfError(`bad ELF data encoding ${data} (expected 1, little-endian)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);
  const type = u16(16);
  const machine = u16(18);
  if (machine !== EM_RISCV) {
    throw new ElfError(
      `wrong machine: e_machine=${machine}${machineName(machine)}, expected 243 (RISC-V); ${BUILD_HINT}`,
      {
        machine,
      },
    );
  }
  if (type !== 2) {
    const what =
      type === 1
        ? 'a relocatable object (ET_REL): link it first'
        : type === 3
          ? 'position-independent (ET_DYN): link with -static -no-pie'
          : `of type ${type}`;
    throw new ElfError(`not an executable (ET_EXEC): the file is ${what}`, { type });
  }
  const flags = u32(36);
  if (flags & 1)
    throw new ElfError(`the ELF uses compressed instructions (EF_RISCV_RVC): ${BUILD_HINT}`, {
      flags,
    });
  if (flags & 6)
    throw new ElfError(`the ELF uses a hardware floating-point ABI: ${BUILD_HINT}`, { flags });
  if (flags & 8)
    throw new ElfError('the ELF uses the RV32E ABI (16 registers): build for rv32im/ilp32', {
      flags,
    });
  const entry = u32(24);
  const phoff = u32(28);
  const phentsize = u16(42);
  const phnum = u16(44);
  if (phnum === 0) throw new ElfError('the ELF has no program headers (nothing to load)');
  if (phentsize < 32)
    throw new ElfError(`bad program header size ${phentsize} (expected 32)`, { phentsize });
  if (phoff + phnum * phentsize > size) {
    throw new ElfError(
      `truncated ELF file: the program header table ends at byte ${phoff + phnum * phentsize}, the file has ${size}`,
      {
        size,
      },
    );
  }
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const pType = u32(o);
    if (pType === PT_INTERP || pType === PT_DYNAMIC) {
      throw new ElfError(
        'dynamically linked ELF (PT_INTERP/PT_DYNAMIC): link statically with -static',
      );
    }
    if (pType !== PT_LOAD) continue;
    const offset = u32(o + 4);
    const vaddr = u32(o + 8);
    const filesz = u32(o + 16);
    const memsz = u32(o + 20);
    const pflags = u32(o + 24);
    if (filesz > memsz)
      throw new ElfError(
        `segment ${i} at ${hex32(vaddr)}: p_filesz ${filesz} exceeds p_memsz ${memsz}`,
      );
    if (offset + filesz > size) {
      throw new ElfError(
        `truncated ELF file: segment ${i} at ${hex32(vaddr)} needs file bytes up to ${offset + filesz}, the file has ${size}`,
        {
          size,
        },
      );
    }
    if (memsz === 0) continue;
    if (vaddr + memsz > 2 ** 32) {
      throw new ElfError(
        `segment ${i} at ${hex32(vaddr)} with size ${memsz} extends past the 32-bit address space`,
        { vaddr, memsz },
      );
    }
    const executable = (pflags & 1) !== 0;
    if (executable && vaddr % 4 !== 0) {
      throw new ElfError(
        `executable segment ${i} starts at ${hex32(vaddr)}, which is not 4-byte aligned`,
      );
    }
    segments.push({
      vaddr,
      memsz,
      filesz,
      flags: pflags,
      executable,
      // Code is never writable (riscv.md section 2), even if the file asks for RWX.
      writable: (pflags & 2) !== 0 && !executable,
      data: bytes.subarray(offset, offset + filesz),
    });
  }
  if (segments.length === 0)
    throw new ElfError('the ELF has no loadable (PT_LOAD) segment with memory');
  segments.sort((a, b) => a.vaddr - b.vaddr);
  for (let i = 1; i < segments.length; i++) {
    const prev = segments[i - 1]!;
    const cur = segments[i]!;
    if (prev.vaddr + prev.memsz > cur.vaddr) {
      throw new ElfError(
        `overlapping segments: [${hex32(prev.vaddr)}, ${hex32(prev.vaddr + prev.memsz)}) and [${hex32(cur.vaddr)}, ${hex32(cur.vaddr + cur.memsz)})`,
      );
    }
  }
  const code = segments.find((s) => s.executable && entry >= s.vaddr && entry < s.vaddr + s.memsz);
  if (code === undefined)
    throw new ElfError(`entry point ${hex32(entry)} is not inside an executable segment`, {
      entry,
    });
  if (entry % 4 !== 0)
    throw new ElfError(`entry point ${hex32(entry)} is not 4-byte aligned`, { entry });
  return {
    entry,
    segments,
    symbols: readSymbols(bytes, view),
    flags,
    requires: readRequirements(bytes),
  };
}

/** The largest `.nexus.requires` section read: far above any real list, a bound on the work. */
const MAX_REQUIRES_BYTES = 1 << 16;

/**
 * Parses `.nexus.requires`: NUL-terminated ASCII records `syscall 0x1001 @nexus/precompile-sha256`
 * or `instruction 0x0 @acme/air-madd` (number in hex or decimal, then an npm package name).
 */
function readRequirements(bytes: Uint8Array): ElfRequirement[] {
  const section = elfSection(bytes, REQUIRES_SECTION);
  if (section === undefined) return [];
  if (section.length > MAX_REQUIRES_BYTES) {
    throw new ElfError(
      `section ${REQUIRES_SECTION} has ${section.length} bytes; at most ${MAX_REQUIRES_BYTES} are read`,
    );
  }
  return parseRequirements(new TextDecoder().decode(section));
}

const REQUIREMENT =
  /^(syscall|instruction) (0x[0-9a-fA-F]{1,8}|[0-9]{1,10}) (@?[a-z0-9][a-z0-9._~/-]{0,213})$/;

function parseRequirements(text: string): ElfRequirement[] {
  const out: ElfRequirement[] = [];
  const seen = new Set<string>();
  for (const record of text.split('\0')) {
    if (record === '') continue; // padding between the records of several objects
    const m = REQUIREMENT.exec(record);
    const number = m === null ? Number.NaN : Number(m[2]);
    if (m === null || number > 0xffffffff) {
      throw new ElfError(
        `malformed record in ${REQUIRES_SECTION}: ${JSON.stringify(record.slice(0, 80))} (expected "syscall 0x1001 @scope/package" or "instruction <key> <package>")`,
      );
    }
    // Several objects may declare one extension: the first record names it.
    const key = `${m[1]} ${number}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind: m[1] as 'syscall' | 'instruction', number, plugin: m[3]! });
  }
  return out;
}

const SHT_NOBITS = 8;
const SHF_COMPRESSED = 0x800;

/**
 * The file bytes of the section named `name` (a view into `bytes`), or undefined when the ELF has
 * no such section. Throws ElfError when the section table or the section lies outside the file,
 * or the section is compressed (SHF_COMPRESSED: this reader does not inflate).
 *
 * @example
 * elfSection(readFileSync('guests/bin/fib.elf'), '.debug_line'); // its bytes: fib is built with -g
 */
export function elfSection(bytes: Uint8Array, name: string): Uint8Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 52) throw new ElfError(`truncated ELF file: ${bytes.length} bytes`);
  const headers = sectionHeaders(bytes, view);
  const shstrndx = view.getUint16(50, true);
  if (shstrndx >= headers.length) return undefined;
  const names = headers[shstrndx]!;
  const namesOff = view.getUint32(names + 16, true);
  const namesLen = view.getUint32(names + 20, true);
  if (namesOff + namesLen > bytes.length)
    throw new ElfError('truncated ELF file: the section name table lies outside the file');
  const wanted = new TextEncoder().encode(`${name}\0`);
  for (const o of headers) {
    const nameOff = view.getUint32(o, true);
    if (nameOff + wanted.length > namesLen) continue;
    const at = namesOff + nameOff;
    if (!wanted.every((b, k) => bytes[at + k] === b)) continue;
    if (view.getUint32(o + 4, true) === SHT_NOBITS) return new Uint8Array(0);
    if (view.getUint32(o + 8, true) & SHF_COMPRESSED)
      throw new ElfError(
        `section ${name} is compressed (SHF_COMPRESSED): link without --compress-debug-sections`,
      );
    const off = view.getUint32(o + 16, true);
    const len = view.getUint32(o + 20, true);
    if (off + len > bytes.length)
      throw new ElfError(`truncated ELF file: section ${name} lies outside the file`);
    return bytes.subarray(off, off + len);
  }
  return undefined;
}

/** The file offset of every section header (none when the file has no section table). */
function sectionHeaders(bytes: Uint8Array, view: DataView): number[] {
  const shoff = view.getUint32(32, true);
  const shentsize = view.getUint16(46, true);
  const shnum = view.getUint16(48, true);
  if (shoff === 0 || shnum === 0) return [];
  if (shentsize < 40 || shoff + shnum * shentsize > bytes.length) {
    throw new ElfError(
      `truncated ELF file: the section header table (offset ${shoff}, ${shnum} entries) lies outside the file`,
    );
  }
  return Array.from({ length: shnum }, (_, i) => shoff + i * shentsize);
}

function readSymbols(bytes: Uint8Array, view: DataView): ElfSymbol[] {
  const size = bytes.length;
  const headers = sectionHeaders(bytes, view);
  const shnum = headers.length;
  const symbols: ElfSymbol[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < shnum; i++) {
    const o = headers[i]!;
    if (view.getUint32(o + 4, true) !== SHT_SYMTAB) continue;
    const off = view.getUint32(o + 16, true);
    const len = view.getUint32(o + 20, true);
    const link = view.getUint32(o + 24, true);
    const entsize = view.getUint32(o + 36, true) || 16;
    if (off + len > size || link >= shnum || entsize < 16)
      throw new ElfError(`malformed symbol table (section ${i})`);
    const so = headers[link]!;
    const strOff = view.getUint32(so + 16, true);
    const strLen = view.getUint32(so + 20, true);
    if (strOff + strLen > size)
      throw new ElfError(`truncated ELF file: string table of section ${i} lies outside the file`);
    for (let s = off; s + 16 <= off + len; s += entsize) {
      const nameOff = view.getUint32(s, true);
      if (nameOff === 0 || nameOff >= strLen) continue;
      let end = strOff + nameOff;
      while (end < strOff + strLen && bytes[end] !== 0) end++;
      const info = bytes[s + 12]!;
      symbols.push({
        name: decoder.decode(bytes.subarray(strOff + nameOff, end)),
        value: view.getUint32(s + 4, true),
        size: view.getUint32(s + 8, true),
        type: info & 0xf,
        bind: info >>> 4,
      });
    }
  }
  return symbols;
}

function machineName(m: number): string {
  const names: Record<number, string> = {
    3: ' (x86)',
    8: ' (MIPS)',
    40: ' (ARM)',
    62: ' (x86-64)',
    183: ' (AArch64)',
  };
  return names[m] ?? '';
}

/** The value of a symbol by name, or undefined (first match; globals preferred). */
export function symbolValue(program: ElfProgram, name: string): number | undefined {
  let found: ElfSymbol | undefined;
  for (const s of program.symbols) {
    if (s.name !== name) continue;
    if (found === undefined || (found.bind === 0 && s.bind !== 0)) found = s;
  }
  return found?.value;
}
