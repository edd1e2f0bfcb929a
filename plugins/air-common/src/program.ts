import { bytesEqual, NexusError } from '@nexus/field';
import {
  codeRomFor,
  type ElfProgram,
  type ElfSegment,
  type MemoryMap,
  type MemoryOptions,
  memoryMapFor,
  NOT_CODE,
  Op,
  PAGE_WORDS,
} from '@nexus/vm';

/** A program the zkVM cannot prove (the VM may still run it). */
export class ProgramError extends NexusError {}

/**
 * Mapped memory must lie below 0x7f000000 = 2^31 - 2^24, so that no mapped byte sits at
 * p - 1 = 0x7ffffffe or at p = 0x7fffffff (which is 0 as a field element). The AIRs treat byte
 * addresses as field elements in two places, and both arguments rest on this bound:
 * - An io row's address is addr = 4·widx + offset with widx a word that has a RAM token, i.e.
 *   a mapped word, so addr < MAX_MEMORY_END < p as an integer. The rows of one syscall step
 *   addr by 1 in the field; with both ends integers below MAX_MEMORY_END <= p - 1, each step
 *   is an integer step: a buffer cannot run from p - 1 on to 0. (With memory up to 2^31, word
 *   2^29 - 1 was mapped and its byte 3, at 0x7fffffff, passed for address 0: issue 16.)
 * - The ecall starts the rows at buf = a1 as a field element; the ecall AIR bounds a1 below
 *   0x7f000000 (its byte 3 is at most 126), so buf is a1 itself, never 0x7fffffff standing for
 *   0. The first row's addr is then exactly a1, and the rows move exactly the bytes a1 ..
 *   a1 + n - 1 the VM moves. Buffers at or above 0x7f000000 are unmapped here anyway.
 * The VM's default stack ends right at this bound (DEFAULT_STACK_TOP in @nexus/vm).
 */
export const MAX_MEMORY_END = 0x7f00_0000;
/** Code must lie below 2^30, so a jump target out of range can never alias a real pc mod p. */
export const MAX_CODE_END = 2 ** 30;

/**
 * What the proof is about, derived from the ELF: the decoded instructions (the program table),
 * the initial memory (file-backed words and zero-filled pages) and the initial register state.
 * It travels in the statement as a canonical encoding (`encodeProgram`): only what execution
 * depends on (segments, entry, the VM's stack region), so stripping symbols or debug sections
 * does not change it.
 */
export interface ZkvmProgram {
  readonly elf: ElfProgram;
  readonly memoryOptions: MemoryOptions;
  readonly map: MemoryMap;
  readonly entry: number;
  readonly initialSp: number;
  /**
   * Legal instructions, ascending pc, with the fields each op does not read set to 0 (the VM's
   * decoder does that, and this table also zeroes FENCE's immediate: FENCE is a no-op).
   */
  readonly instructions: {
    readonly pc: Uint32Array;
    readonly op: Uint8Array;
    readonly rd: Uint8Array;
    readonly rs1: Uint8Array;
    readonly rs2: Uint8Array;
    readonly imm: Int32Array;
  };
  /** Instruction index of a pc (-1 if none). */
  indexOfPc(pc: number): number;
  /**
   * Words whose initial value comes from the file: the words of every page that has file
   * bytes, is only partly mapped, or mixes writable and read-only regions. A word is here only
   * when all four of its bytes are mapped, and it is writable only when all four are (the
   * memory argument is per word; the VM checks every byte).
   */
  readonly image: {
    readonly widx: Uint32Array;
    readonly value: Uint32Array;
    readonly writable: Uint8Array;
  };
  /** Image row of a word index (-1 if none). */
  imageIndexOf(widx: number): number;
  /** Fully mapped pages without file bytes, all writable or all read-only: zero-filled at first. */
  readonly zeroPages: { readonly page: Uint32Array; readonly writable: Uint8Array };
  zeroPageIndexOf(page: number): number;
}

const MAGIC = [0x4e, 0x58, 0x50, 0x47]; // "NXPG"

/** Canonical bytes of a program and the VM memory options it runs under. */
export function encodeProgram(elf: ElfProgram, memoryOptions: MemoryOptions = {}): Uint8Array {
  const parts: number[] = [...MAGIC, 1];
  const u32 = (v: number) =>
    parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  u32(elf.entry);
  const stack = memoryOptions.stack;
  if (stack === false) {
    parts.push(0);
    u32(0);
    u32(0);
  } else {
    parts.push(1);
    u32(stack?.top ?? 0);
    u32(stack?.size ?? 0);
  }
  u32(memoryOptions.maxMemoryBytes ?? 0);
  u32(elf.segments.length);
  const head = Uint8Array.from(parts);
  const chunks: Uint8Array[] = [head];
  for (const s of elf.segments) {
    const h = new Uint8Array(13);
    const v = new DataView(h.buffer);
    v.setUint32(0, s.vaddr, true);
    v.setUint32(4, s.memsz, true);
    v.setUint8(8, s.flags);
    v.setUint32(9, s.filesz, true);
    chunks.push(h, s.data.subarray(0, s.filesz));
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

const byArray = new WeakMap<Uint8Array, ZkvmProgram>();
/**
 * The last programs decoded, by content: a hit is the same bytes in another array (a statement
 * read back, another proof of the program). At most 16, compared length first, then byte for
 * byte (bytesEqual): cheaper than hashing every encoding on its way in, which a cold proof paid
 * for its one program even with nothing to compare it with.
 */
const byContent: { bytes: Uint8Array; program: ZkvmProgram }[] = [];

/**
 * Decodes a canonical program encoding and derives its tables, memoized by content: every
 * plugin reading a statement, and every proof of the same program, shares one decoding.
 *
 * @throws ProgramError for malformed bytes or a memory map the zkVM cannot prove.
 */
export function decodeProgram(bytes: Uint8Array): ZkvmProgram {
  const hit = byArray.get(bytes);
  if (hit) return hit;
  for (const same of byContent) {
    if (bytesEqual(same.bytes, bytes)) {
      byArray.set(bytes, same.program);
      return same.program;
    }
  }
  const fail = (m: string): never => {
    throw new ProgramError(`program encoding: ${m}`);
  };
  if (bytes.length < 26 || MAGIC.some((b, i) => bytes[i] !== b) || bytes[4] !== 1)
    fail('not a Nexus program (bad magic or version)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 5;
  const u32 = () => {
    if (o + 4 > bytes.length) fail('truncated');
    const v = view.getUint32(o, true);
    o += 4;
    return v;
  };
  const entry = u32();
  const hasStack = bytes[o++];
  const top = u32();
  const size = u32();
  const maxMemoryBytes = u32();
  const memoryOptions: MemoryOptions = {
    ...(hasStack === 0
      ? { stack: false as const }
      : top || size
        ? { stack: { ...(top ? { top } : {}), ...(size ? { size } : {}) } }
        : {}),
    ...(maxMemoryBytes ? { maxMemoryBytes } : {}),
  };
  const n = u32();
  if (n > 64) fail(`${n} segments`);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < n; i++) {
    const vaddr = u32();
    const memsz = u32();
    if (o >= bytes.length) fail('truncated');
    const flags = bytes[o++]!;
    const filesz = u32();
    if (filesz > memsz || o + filesz > bytes.length) fail('segment sizes');
    // loadElf rejects these too; a statement is decoded without it, and the soundness of the
    // jumps and branches rests on every program pc being 4-aligned.
    if ((flags & 1) !== 0 && vaddr % 4 !== 0)
      fail(`executable segment ${i} starts at 0x${vaddr.toString(16)}, not 4-byte aligned`);
    // loadElf sorts the segments and rejects overlaps; the memory tables (one writable flag per
    // word, regions found by binary search) rely on both, so a decoded statement must hold them.
    const before = segments[segments.length - 1];
    if (before !== undefined && vaddr < before.vaddr + before.memsz)
      fail(`segment ${i} at 0x${vaddr.toString(16)} overlaps or precedes the one before it`);
    segments.push({
      vaddr,
      memsz,
      filesz,
      flags,
      executable: (flags & 1) !== 0,
      writable: (flags & 2) !== 0,
      data: bytes.subarray(o, o + filesz),
    });
    o += filesz;
  }
  if (o !== bytes.length) fail('trailing bytes');
  const elf: ElfProgram = { entry, segments, symbols: [], flags: 0, requires: [] };
  const program = deriveTables(elf, memoryOptions);
  byArray.set(bytes, program);
  if (byContent.length >= 16) byContent.shift();
  byContent.push({ bytes: bytes.slice(), program });
  return program;
}

function deriveTables(elf: ElfProgram, memoryOptions: MemoryOptions): ZkvmProgram {
  const map = memoryMapFor(elf, memoryOptions);
  for (const r of map.regions) {
    if (r.end > MAX_MEMORY_END) {
      throw new ProgramError(
        `the zkVM proves guests whose memory lies below 0x${MAX_MEMORY_END.toString(16)} (2 GiB - 16 MiB); region [0x${r.start.toString(16)}, 0x${r.end.toString(16)}) reaches higher (move the stack with stack: { top } or relink)`,
      );
    }
    if (r.executable && r.end > MAX_CODE_END) {
      throw new ProgramError(
        'the zkVM proves guests whose code lies below 1 GiB; relink the guest lower',
      );
    }
  }
  // Instructions: every legal decoded slot of the executable segments, in ROM (= pc) order.
  // Typed arrays filled in one loop, and the pc -> row index as an array over the ROM's slots
  // (a Map of every pc, and an Array.from callback per field and instruction, ran cold in
  // every proof).
  const rom = codeRomFor(elf);
  let count = 0;
  for (let i = 0; i < rom.length; i++)
    if (rom.op[i] !== NOT_CODE && rom.op[i] !== Op.ILLEGAL) count++;
  const instructions = {
    pc: new Uint32Array(count),
    op: new Uint8Array(count),
    rd: new Uint8Array(count),
    rs1: new Uint8Array(count),
    rs2: new Uint8Array(count),
    imm: new Int32Array(count),
  };
  const rowOfSlot = new Int32Array(rom.length).fill(-1);
  const codeBase = rom.base;
  for (let i = 0, k = 0; i < rom.length; i++) {
    const op = rom.op[i]!;
    if (op === NOT_CODE || op === Op.ILLEGAL) continue;
    rowOfSlot[i] = k;
    instructions.pc[k] = rom.base + 4 * i;
    instructions.op[k] = op;
    instructions.rd[k] = rom.rd[i]!;
    instructions.rs1[k] = rom.rs1[i]!;
    instructions.rs2[k] = rom.rs2[i]!;
    // FENCE is a no-op here: its fm/pred/succ bits change nothing, so the table holds 0 for
    // them (as for every field an op does not read) and a FENCE row needs no immediate columns.
    instructions.imm[k] = op === Op.FENCE ? 0 : rom.imm[i]!;
    k++;
  }

  // Memory, page by page (a page is 1024 words): a page that is fully mapped, has no file
  // bytes and one writability is a zero page with that flag; every other page goes word by
  // word into the image, each word with its own flag. (A page shared by a read-only and a
  // writable region once took the flag of the last region as a zero page: a store into its
  // read-only part was provable where the VM faults. Issue 16.)
  // Work is per page, and per word only inside image pages (the stack and heap are large).
  const PAGE_BYTES = 4 * PAGE_WORDS;
  const pages = new Map<
    number,
    { mapped: number; file: boolean; writable: boolean; mixed: boolean }
  >();
  for (const r of map.regions) {
    for (let page = Math.floor(r.start / PAGE_BYTES); page * PAGE_BYTES < r.end; page++) {
      const lo = Math.max(r.start, page * PAGE_BYTES);
      const hi = Math.min(r.end, (page + 1) * PAGE_BYTES);
      const p = pages.get(page) ?? { mapped: 0, file: false, writable: r.writable, mixed: false };
      p.mapped += hi - lo; // bytes: regions never overlap, so PAGE_BYTES means fully mapped
      if (p.writable !== r.writable) p.mixed = true;
      pages.set(page, p);
    }
  }
  for (const s of elf.segments) {
    if (s.filesz === 0) continue;
    const first = Math.floor(s.vaddr / 4 / PAGE_WORDS);
    const last = Math.floor((s.vaddr + s.filesz - 1) / 4 / PAGE_WORDS);
    for (let page = first; page <= last; page++) pages.get(page)!.file = true;
  }
  // Pages in address order: the image and the zero pages come out sorted, which their
  // index lookups (binary search) rely on.
  const order = [...pages.keys()].sort((x, y) => x - y);
  const isZero = (page: number) => {
    const info = pages.get(page)!;
    return !info.file && !info.mixed && info.mapped === PAGE_BYTES;
  };
  let zeroCount = 0;
  for (const page of order) if (isZero(page)) zeroCount++;
  // At most a page of words per image page; the arrays are cut to the words mapped.
  const most = (order.length - zeroCount) * PAGE_WORDS;
  const imageWords = new Uint32Array(most);
  const imageValues = new Uint32Array(most);
  const imageWritable = new Uint8Array(most);
  let words = 0;
  const zeroPages = {
    page: new Uint32Array(zeroCount),
    writable: new Uint8Array(zeroCount),
  };
  let zeros = 0;
  // The page's file bytes: every segment's bytes that fall in it. Segments never overlap
  // (decodeProgram rejects it, as loadElf does), so each byte comes from at most one segment
  // and a block copy per segment gives what OR-ing them byte by byte gave.
  const bytes = new Uint8Array(PAGE_BYTES);
  for (const page of order) {
    if (isZero(page)) {
      zeroPages.page[zeros] = page;
      zeroPages.writable[zeros++] = pages.get(page)!.writable ? 1 : 0;
      continue;
    }
    const lo = page * PAGE_BYTES;
    const hi = lo + PAGE_BYTES;
    bytes.fill(0);
    for (const s of elf.segments) {
      const from = Math.max(lo, s.vaddr);
      const to = Math.min(hi, s.vaddr + s.filesz);
      if (from < to) bytes.set(s.data.subarray(from - s.vaddr, to - s.vaddr), from - lo);
    }
    // One region over the whole page (the usual case): every word mapped, one writability.
    const whole = map.regionAt(lo);
    const uniform = whole !== undefined && whole.end >= hi ? whole : undefined;
    for (let w = page * PAGE_WORDS; w < (page + 1) * PAGE_WORDS; w++) {
      // A word's token gives access to all four bytes, so it exists only when the VM maps all
      // four, and is writable only when the VM lets a store reach all four: a word straddling
      // a region's end (a segment whose size is not a multiple of 4) is left out, and one
      // straddling a read-only and a writable region is read-only. That costs only the accesses
      // the VM allows into such a word: none when segments start and end on word boundaries.
      let mapped = true;
      let writable = uniform?.writable ?? true;
      if (uniform === undefined) {
        for (let k = 0; k < 4; k++) {
          const r = map.regionAt(4 * w + k);
          if (r === undefined) mapped = false;
          else if (!r.writable) writable = false;
        }
      }
      if (!mapped) continue;
      const b = 4 * w - lo;
      imageWords[words] = w;
      imageValues[words] =
        bytes[b]! | (bytes[b + 1]! << 8) | (bytes[b + 2]! << 16) | (bytes[b + 3]! << 24);
      imageWritable[words++] = writable ? 1 : 0;
    }
  }
  const image = {
    widx: imageWords.slice(0, words),
    value: imageValues.slice(0, words),
    writable: imageWritable.slice(0, words),
  };
  return {
    elf,
    memoryOptions,
    map,
    entry: elf.entry,
    initialSp: map.initialSp,
    instructions,
    indexOfPc: (pc) => {
      const off = pc - codeBase;
      const slot = off >>> 2;
      // slot·4 = off only for a 4-aligned integer offset in [0, 2^32).
      return off < 0 || slot >= rowOfSlot.length || slot * 4 !== off ? -1 : rowOfSlot[slot]!;
    },
    image,
    imageIndexOf: (w) => indexInSorted(image.widx, w),
    zeroPages,
    zeroPageIndexOf: (p) => indexInSorted(zeroPages.page, p),
  };
}

/** The index of `v` in an ascending array, or -1 (binary search). */
function indexInSorted(sorted: Uint32Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid]!;
    if (x < v) lo = mid + 1;
    else if (x > v) hi = mid - 1;
    else return mid;
  }
  return -1;
}
